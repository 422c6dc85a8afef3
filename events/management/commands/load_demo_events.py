"""`manage.py load_demo_events`: a few thousand demo events across each tenant's tree and the past year."""

import time

from django.core.management.base import BaseCommand, CommandError

from events.demo import create_demo_events
from grids.models import Tenant


class Command(BaseCommand):
    help = "Create demo events in every state across the past year (run after load_demo); skips tenants with events."

    def add_arguments(self, parser):
        parser.add_argument("tenant_codes", nargs="*")
        parser.add_argument("--count", type=int, default=3000, help="Events per tenant (default 3000).")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true", help="Add events even where some exist.")

    def handle(self, *args, tenant_codes, count, seed, force, **options):
        tenants = Tenant.objects.filter(is_active=True)
        if tenant_codes:
            tenants = tenants.filter(code__in=tenant_codes)
            if not tenants.exists():
                raise CommandError("unknown tenant code")
        from events.models import Event

        for tenant in tenants:
            if not force and Event.objects.filter(tenant=tenant).exists():
                self.stdout.write(f"{tenant}: has events already, skipped (use --force to add more)")
                continue
            began = time.monotonic()
            made = create_demo_events(tenant, count=count, seed=seed)
            summary = ", ".join(f"{status} {n}" for status, n in sorted(made.items()))
            self.stdout.write(f"{tenant}: {sum(made.values())} events ({summary}) in {time.monotonic() - began:.1f} s")
