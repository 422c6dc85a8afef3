"""`manage.py load_demo_registry`: the demo registry (Langya compound and the thinner rest of the district)."""

import time

from django.core.management.base import BaseCommand

from grids.models import Tenant
from registry.demo import load_langya


class Command(BaseCommand):
    help = "载入演示人地事物：琅琊小区（18 栋、920 户、3089 人）及瑶海区其他网格的少量数据；已载入则跳过。"

    def add_arguments(self, parser):
        parser.add_argument("--tenant", default="340102", help="District code (default: Yaohai, 340102).")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, tenant, seed, **options):
        district = Tenant.objects.filter(code=tenant).first()
        if district is None:
            self.stdout.write(f"{tenant}: no such district (run load_demo first); skipped.")
            return
        began = time.monotonic()
        summary = load_langya(district, seed=seed, log=self.stdout.write)
        if summary is None:
            self.stdout.write(f"{district}: the registry is loaded already (or the Langya grids are missing); skipped.")
            return
        self.stdout.write(f"用时 {time.monotonic() - began:.1f} 秒。")
