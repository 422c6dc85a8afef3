"""The default care lists and thing types installed into a new tenant (editable after, in the admin)."""

from django.db import transaction

from .models import CareList, ThingType

# (code, name, visit every … days)
DEFAULT_CARE_LISTS = [
    ("elderly_alone", "独居老人", 7),
    ("disabled", "残疾人", 30),
    ("subsistence", "低保户", 30),
    ("left_behind_children", "留守儿童", 14),
    ("community_correction", "社区矫正", 7),
    ("special_hardship", "特困人员", 14),
    ("mental_illness", "严重精神障碍患者", 14),
]

DEFAULT_THING_TYPES = [
    ("manhole", "井盖"),
    ("street_lamp", "路灯"),
    ("hydrant", "消防栓"),
    ("camera", "监控探头"),
    ("charging_pile", "电动车充电桩"),
    ("waste_point", "垃圾分类投放点"),
]


@transaction.atomic
def install_registry_catalogue(tenant) -> None:
    """Create the default care lists and thing types a tenant lacks; existing entries are left as edited."""
    for order, (code, name, days) in enumerate(DEFAULT_CARE_LISTS, start=1):
        CareList.objects.get_or_create(
            tenant=tenant, code=code, defaults={"name": name, "visit_every_days": days, "sort_order": order * 10}
        )
    for code, name in DEFAULT_THING_TYPES:
        ThingType.objects.get_or_create(tenant=tenant, code=code, defaults={"name": name})
