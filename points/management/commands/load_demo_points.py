"""`manage.py load_demo_points`: the demo passbooks of Langya (after load_demo and load_demo_registry)."""

import time

from django.core.management.base import BaseCommand

from grids.models import Tenant
from points.demo import load_baowen_evaluation, load_points


class Command(BaseCommand):
    help = ("载入演示积分：琅琊小区 8 名小巷管家和其他志愿者一年的服务、审核、兑换；好帮手单位的奖品；"
            "宝文国际花园 2025 年度文明户评选（公示中）。已载入则跳过。")

    def add_arguments(self, parser):
        parser.add_argument("--tenant", default="340102", help="District code (default: Yaohai, 340102).")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, tenant, seed, **options):
        district = Tenant.objects.filter(code=tenant).first()
        if district is None:
            self.stdout.write(f"{tenant}: no such district (run load_demo first); skipped.")
            return
        began = time.monotonic()
        if load_points(district, seed=seed, log=self.stdout.write) is None:
            self.stdout.write(f"{district}: the passbooks are loaded already (or the registry is missing); skipped.")
        if load_baowen_evaluation(district, log=self.stdout.write) is None:
            self.stdout.write(f"{district}: 宝文国际花园's evaluation is loaded already (or its grids, committee or "
                              "households are missing); skipped.")
        self.stdout.write(f"用时 {time.monotonic() - began:.1f} 秒。")
