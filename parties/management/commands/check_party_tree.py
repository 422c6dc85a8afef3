"""Check every tenant's party tree (and rebuild its nested set with --rebuild)."""

from django.core.management.base import BaseCommand

from grids.models import Tenant
from parties.integrity import check_tree, rebuild_tree


class Command(BaseCommand):
    help = "Check the party organisation trees; --rebuild recomputes a broken nested set from the parent links."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true")

    def handle(self, *args, rebuild=False, **options):
        bad = 0
        for tenant in Tenant.objects.order_by("code"):
            problems = check_tree(tenant)
            if problems and rebuild:
                rebuild_tree(tenant)
                problems = check_tree(tenant)
            for problem in problems:
                self.stdout.write(str(problem))
            bad += len(problems)
        if bad:
            raise SystemExit(1)
        self.stdout.write("ok")
