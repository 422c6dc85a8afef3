"""manage.py check_tree [--tenant CODE] [--rebuild]: find (and repair) inconsistencies in the grid trees."""

from django.core.management.base import BaseCommand, CommandError

from grids import integrity
from grids.models import Tenant


class Command(BaseCommand):
    help = (
        "Check each tenant's grid tree: MPTT fields against the parent links, parent kinds, codes, ancestor "
        "stamps, one tree per tenant. With --rebuild, rebuild the trees that have problems and check again. "
        "Exits non-zero while problems remain."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", metavar="CODE", help="Only the tenant with this division code.")
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Recompute lft/rght/level from the parent links and re-stamp nodes and records, then check again.",
        )

    def handle(self, *args, tenant=None, rebuild=False, **options):
        tenants = Tenant.objects.order_by("code")
        if tenant:
            tenants = tenants.filter(code=tenant)
            if not tenants.exists():
                raise CommandError(f"No tenant with code {tenant}.")
        remaining = 0
        for each in tenants:
            problems = integrity.check_tree(each)
            if problems and rebuild:
                for problem in problems:
                    self.stdout.write(f"{problem}")
                self.stdout.write(f"[{each.code} {each.name}] rebuilding the tree …")
                integrity.rebuild_tree(each)
                problems = integrity.check_tree(each)
                if not problems:
                    self.stdout.write(self.style.SUCCESS(f"[{each.code} {each.name}] rebuilt; the tree is consistent."))
                    continue
                self.stdout.write(f"[{each.code} {each.name}] still wrong after the rebuild:")
            for problem in problems:
                self.stderr.write(f"{problem}")
            if problems:
                remaining += len(problems)
            else:
                self.stdout.write(self.style.SUCCESS(f"[{each.code} {each.name}] the tree is consistent."))
        if remaining:
            hint = "" if rebuild else " Run with --rebuild to repair the nested set and the stamps."
            raise CommandError(f"{remaining} problem(s) found in the grid trees.{hint}")
