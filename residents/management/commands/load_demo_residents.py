"""`manage.py load_demo_residents`: the demo resident account (mobile 13800000001) and her first report."""

from django.core.management.base import BaseCommand

from grids.models import Tenant
from residents.demo import DEMO_PHONE, load


class Command(BaseCommand):
    help = f"载入演示居民账号（手机 {DEMO_PHONE}，铁路一村社区，已确认）及一条随手拍；已载入则跳过。"

    def add_arguments(self, parser):
        parser.add_argument("--tenant", default="340102", help="District code (default: Yaohai, 340102).")

    def handle(self, *args, tenant, **options):
        district = Tenant.objects.filter(code=tenant).first()
        if district is None:
            self.stdout.write(f"{tenant}: no such district (run load_demo first); skipped.")
            return
        load(district, log=self.stdout.write)
