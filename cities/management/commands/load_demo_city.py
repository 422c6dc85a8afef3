"""`manage.py load_demo_city`: 合肥市 over the demo's 瑶海区 and 庐阳区, and the city account `hefei_officer`."""

from django.core.management.base import BaseCommand

from cities.demo import load_city


class Command(BaseCommand):
    help = "载入演示城市：合肥市（瑶海区、庐阳区）及市级账号 hefei_officer。可重复运行。"

    def handle(self, *args, **options):
        load_city(log=self.stdout.write)
