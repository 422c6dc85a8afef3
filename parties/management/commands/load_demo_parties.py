"""`manage.py load_demo_parties`: party building and co-governance of the demo district (first run only)."""

import time

from django.core.management.base import BaseCommand

from grids.models import Tenant
from parties.demo import load


class Command(BaseCommand):
    help = "载入演示党建与共治数据：琅琊小区 89 名党员、铁路一村 15 个网格党支部、长淮街道四级党组织与网格共治委员会、宝文国际花园议题；已载入则跳过。"

    def add_arguments(self, parser):
        parser.add_argument("--tenant", default="340102", help="District code (default: Yaohai, 340102).")

    def handle(self, *args, tenant, **options):
        district = Tenant.objects.filter(code=tenant).first()
        if district is None:
            self.stdout.write(f"{tenant}: no such district (run load_demo first); skipped.")
            return
        began = time.monotonic()
        summary = load(district, log=self.stdout.write)
        if summary is None:
            self.stdout.write(f"{district}: party building is loaded already (or the demo tree is missing); skipped.")
            return
        self.stdout.write(f"用时 {time.monotonic() - began:.1f} 秒。")
