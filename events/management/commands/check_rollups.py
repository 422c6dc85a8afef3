"""`manage.py check_rollups [TENANT_CODE ...] [--rebuild]`: compare the dashboards' rollups with a recount."""

from django.core.management.base import BaseCommand, CommandError

from events import rollups
from grids.models import Tenant


class Command(BaseCommand):
    help = (
        "Compare the pre-aggregated dashboard counts with a recount of the events; --rebuild replaces them "
        "(needed after bulk writes that bypass Event.save: SQL imports, COPY, QuerySet.update)."
    )

    def add_arguments(self, parser):
        parser.add_argument("tenant_codes", nargs="*")
        parser.add_argument("--rebuild", action="store_true", help="Replace the stored rows with the recount.")

    def handle(self, *args, tenant_codes, rebuild, **options):
        tenants = Tenant.objects.order_by("code")
        if tenant_codes:
            tenants = tenants.filter(code__in=tenant_codes)
            if tenants.count() != len(set(tenant_codes)):
                raise CommandError("unknown tenant code")
        failed = False
        for tenant in tenants:
            if rebuild:
                rows = rollups.rebuild(tenant.pk)
                self.stdout.write(f"{tenant}: {rows} rollup rows recounted")
                continue
            differences = rollups.drift(tenant.pk)
            if differences:
                failed = True
                self.stdout.write(f"{tenant}: {len(differences)} rollup rows differ from a recount")
                for (node, category, span, day), stored, recounted in differences[:20]:
                    self.stdout.write(f"  node {node} category {category} {span} {day}: {stored} != {recounted}")
            else:
                self.stdout.write(f"{tenant}: rollups match the events")
        if failed:
            raise CommandError("rollups drifted; run with --rebuild")
