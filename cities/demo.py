"""The demo city: 合肥市 over the demo's 瑶海区 (340102) and 庐阳区 (340103), and its officer `hefei_officer`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from grids.models import Tenant, User

from . import services

CITY = ("合肥市", "340100")
DISTRICT_CODES = ("340102", "340103")
OFFICER = "hefei_officer"
OFFICER_NAME = "合肥市城市运行管理服务中心"
TITLE = "市网格化服务管理中心 主任"


@transaction.atomic
def load_city(*, log: Callable[[str], None] = print) -> dict:
    """The city, its districts (those of the demo that exist) and its officer; run again, changes nothing."""
    name, code = CITY
    city = services.create_city(name=name, code=code)
    districts = []
    for tenant in Tenant.objects.filter(code__in=DISTRICT_CODES).order_by("code"):
        services.add_district(city=city, tenant=tenant)
        districts.append(tenant.name)
    user = User.objects.filter(username=OFFICER).first()
    created = user is None
    if created:
        user = User(username=OFFICER, tenant=None, display_name=OFFICER_NAME)
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    services.assign_officer(city=city, user=user, title=TITLE, start_date=dt.date(2024, 1, 1))
    log(f"{city.name}（{city.code}）：{'、'.join(districts) or '（尚无区）'}；市级账号 {OFFICER}"
        f"{'' if created else '（已存在，密码未重置）'}。")
    return {"city": city, "districts": districts, "officer": user, "created": created}
