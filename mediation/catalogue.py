"""The default catalogue of dispute types (纠纷类型), installed into each tenant and editable after."""

from .models import DisputeType

DEFAULT_TYPES = [
    ("neighbours", "邻里纠纷"),
    ("family", "婚姻家庭纠纷"),
    ("property", "物业纠纷"),
    ("labour", "劳动争议"),
    ("land", "房屋宅基地纠纷"),
    ("debt", "债务纠纷"),
    ("damages", "损害赔偿纠纷"),
    ("other", "其他纠纷"),
]


def install_dispute_types(tenant) -> dict[str, DisputeType]:
    """Create the missing default dispute types of a tenant (idempotent); returns them by code."""
    found = {}
    for order, (code, name) in enumerate(DEFAULT_TYPES, start=1):
        found[code], _created = DisputeType.objects.get_or_create(
            tenant=tenant, code=code, defaults={"name": name, "sort_order": order * 10}
        )
    return found
