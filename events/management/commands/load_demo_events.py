"""`manage.py load_demo_events`: a year of demo events in each tenant — the history in bulk, the last days through
the services."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from events.choices import Status
from events.demo import create_demo_events, load_history
from grids.models import Tenant


class Command(BaseCommand):
    help = (
        "载入演示事件（在 load_demo 之后运行）：一年的历史事件批量写入（看板汇总同步更新），最近几天的事件经各环节"
        "服务办理，覆盖所有状态；偏重演示账号所在的街道、社区和网格。已有事件的区跳过。"
    )
    # It speaks the platform's language, as load_demo does (a command otherwise runs without one: English).
    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("tenant_codes", nargs="*")
        parser.add_argument("--count", type=int, default=3000, help="批量写入的历史事件数（每区，默认 3000）。")
        parser.add_argument("--recent", type=int, default=200, help="最近几天经服务办理的事件数（每区，默认 200）。")
        parser.add_argument("--recent-days", type=int, default=14, help="“最近”的天数（默认 14）。")
        parser.add_argument("--days", type=int, default=365, help="历史覆盖的天数（默认 365）。")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true", help="已有事件的区也再添加。")

    def handle(self, *args, tenant_codes, count, recent, recent_days, days, seed, force, **options):
        if count < 0 or recent < 0 or not 0 < recent_days < days:
            raise CommandError("事件数不能为负，且须 0 < --recent-days < --days。")
        tenants = Tenant.objects.filter(is_active=True)
        if tenant_codes:
            tenants = tenants.filter(code__in=tenant_codes)
            if not tenants.exists():
                raise CommandError(f"未知的租户代码：{' '.join(tenant_codes)}")
        from events.models import Event

        def log(message):
            self.stdout.write(message)
            self.stdout.flush()

        with translation.override(settings.LANGUAGE_CODE):
            for tenant in tenants:
                if not force and Event.objects.filter(tenant=tenant).exists():
                    log(f"{tenant}：已有事件，跳过（加 --force 可再添加）。")
                    continue
                began = time.monotonic()
                made = load_history(tenant, count=count, days=days, after_days=recent_days, seed=seed, log=log)
                for status, n in create_demo_events(
                    tenant, count=recent, days=recent_days, seed=seed, log=log
                ).items():
                    made[status] = made.get(status, 0) + n
                summary = "，".join(f"{Status(status).label} {n}" for status, n in sorted(made.items()))
                elapsed = time.monotonic() - began
                log(f"{tenant}：{sum(made.values()):,} 个事件（{summary}），用时 {elapsed:.1f} 秒。")
