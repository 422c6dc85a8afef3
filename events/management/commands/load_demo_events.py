"""`manage.py load_demo_events`: a few thousand demo events across each tenant's tree and the past year."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from events.choices import Status
from events.demo import create_demo_events
from grids.models import Tenant


class Command(BaseCommand):
    help = "Create demo events in every state across the past year (run after load_demo); skips tenants with events."
    # It speaks the platform's language, as load_demo does (a command otherwise runs without one: English).
    leave_locale_alone = True

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
                raise CommandError(f"未知的租户代码：{' '.join(tenant_codes)}")
        from events.models import Event

        with translation.override(settings.LANGUAGE_CODE):
            for tenant in tenants:
                if not force and Event.objects.filter(tenant=tenant).exists():
                    self.stdout.write(f"{tenant}：已有事件，跳过（加 --force 可再添加）。")
                    continue
                began = time.monotonic()
                made = create_demo_events(tenant, count=count, seed=seed)
                summary = "，".join(f"{Status(status).label} {n}" for status, n in sorted(made.items()))
                elapsed = time.monotonic() - began
                self.stdout.write(f"{tenant}：{sum(made.values())} 个事件（{summary}），用时 {elapsed:.1f} 秒。")
