"""Install the default event categories (大类/小类 with time limits) into one tenant or all of them."""

from django.core.management.base import BaseCommand, CommandError

from events.catalogue import install_event_catalogue
from grids.models import Tenant


class Command(BaseCommand):
    help = "Install the default event categories into a tenant (by division code) or, without one, every tenant."

    def add_arguments(self, parser):
        parser.add_argument("tenant_codes", nargs="*")

    def handle(self, *args, tenant_codes, **options):
        tenants = Tenant.objects.all()
        if tenant_codes:
            tenants = tenants.filter(code__in=tenant_codes)
            if tenants.count() != len(set(tenant_codes)):
                raise CommandError("unknown tenant code")
        for tenant in tenants:
            self.stdout.write(f"{tenant}: {install_event_catalogue(tenant)} categories added")
