"""`manage.py load_demo_assessment`: the demo's assessment — the last months scored, all but the newest published."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from assessment import services
from assessment.models import AssessmentRun
from assessment.months import label
from grids.models import Tenant, User


class Command(BaseCommand):
    help = (
        "载入演示考核（在 load_demo_events 之后运行）：为每个区计算最近三个月的考核（与每月任务相同），并以区级网格长"
        "的名义发布其中较早的两个月；最近一个月留作草稿。已计算的月份跳过。"
    )
    leave_locale_alone = True

    def handle(self, *args, **options):
        began = time.monotonic()
        with translation.override(settings.LANGUAGE_CODE):
            scored = services.score_due_months()
            for tenant in Tenant.objects.filter(pk__in={pk for pk, _month, _version in scored}).order_by("pk"):
                months = sorted(month for pk, month, _version in scored if pk == tenant.pk)
                publisher = self._publisher(tenant)
                for month in months[:-1]:
                    run = AssessmentRun.objects.get(tenant=tenant, month=month, version=1)
                    with transaction.atomic():
                        services.publish_month(actor=publisher, tenant=tenant, month=month, version=run.version)
                self.stdout.write(
                    f"{tenant}：考核 {'、'.join(label(m) for m in months)} 已计算，"
                    f"{'、'.join(label(m) for m in months[:-1]) or '无'} 已发布（{publisher or '系统'}）。"
                )
        if not scored:
            self.stdout.write("考核：最近的月份都已计算，跳过。")
        self.stdout.write(f"用时 {time.monotonic() - began:.1f} 秒。")

    @staticmethod
    def _publisher(tenant):
        """Who publishes: a holder of a post on the district node who may (the district's 网格长), else nobody."""
        for user in User.objects.filter(
            tenant=tenant, is_active=True, assignments__node__tenant=tenant, assignments__node__parent__isnull=True
        ).order_by("pk").distinct():
            if services.may_publish(user, tenant.pk):
                return user
        return None
