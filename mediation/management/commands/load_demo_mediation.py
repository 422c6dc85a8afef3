"""`manage.py load_demo_mediation`: a year of mediation cases across 长淮街道 and 铁路一村社区."""

import time

from django.core.management.base import BaseCommand

from grids.models import Tenant
from mediation.demo import load


class Command(BaseCommand):
    help = "载入演示调解案件：长淮街道与铁路一村社区一年的案件、调解组织、三官一律名册；已载入则跳过。"

    def add_arguments(self, parser):
        parser.add_argument("--tenant", default="340102", help="District code (default: Yaohai, 340102).")
        parser.add_argument("--count", type=int, default=240)

    def handle(self, *args, tenant, count, **options):
        district = Tenant.objects.filter(code=tenant).first()
        if district is None:
            self.stdout.write(f"{tenant}: no such district (run load_demo first); skipped.")
            return
        began = time.monotonic()
        if load(district, count=count, log=self.stdout.write) is None:
            self.stdout.write(f"{district}: mediation is loaded already (or the demo streets are missing); skipped.")
            return
        self.stdout.write(f"用时 {time.monotonic() - began:.1f} 秒。")
