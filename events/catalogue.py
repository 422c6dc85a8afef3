"""The default event taxonomy (大类/小类) with time limits, installed into a tenant and editable in the admin after."""

from __future__ import annotations

from django.db import transaction

from .choices import TimeUnit
from .models import Category

H, D = TimeUnit.WORKING_HOURS, TimeUnit.WORKING_DAYS

# 大类: [(小类, accept (n, unit), handle (n, unit), verify (n, unit))]
DEFAULT_CATEGORIES: dict[str, list[tuple[str, tuple[int, str], tuple[int, str], tuple[int, str]]]] = {
    "市容环境": [
        ("暴露垃圾", (2, H), (1, D), (1, D)),
        ("乱堆物料", (2, H), (2, D), (1, D)),
        ("违规张贴小广告", (2, H), (2, D), (1, D)),
        ("绿化损毁", (4, H), (5, D), (2, D)),
        ("油烟噪声扰民", (2, H), (3, D), (1, D)),
    ],
    "街面秩序": [
        ("占道经营", (1, H), (1, D), (1, D)),
        ("乱停乱放", (1, H), (1, D), (1, D)),
        ("违规户外广告", (4, H), (5, D), (2, D)),
        ("流动摊贩", (1, H), (1, D), (1, D)),
    ],
    "设施管理": [
        ("道路破损", (4, H), (5, D), (2, D)),
        ("井盖缺失破损", (1, H), (4, H), (1, D)),
        ("路灯不亮", (4, H), (3, D), (1, D)),
        ("消防设施损坏", (2, H), (2, D), (1, D)),
        ("电梯故障", (1, H), (1, D), (1, D)),
    ],
    "矛盾纠纷": [
        ("邻里纠纷", (4, H), (5, D), (2, D)),
        ("物业纠纷", (4, H), (10, D), (2, D)),
        ("劳资纠纷", (4, H), (10, D), (2, D)),
        ("婚姻家庭纠纷", (4, H), (10, D), (2, D)),
    ],
    "安全隐患": [
        ("消防通道堵塞", (1, H), (1, D), (1, D)),
        ("电动车违规充电", (1, H), (1, D), (1, D)),
        ("燃气安全隐患", (1, H), (4, H), (1, D)),
        ("危房及高空坠物", (1, H), (1, D), (1, D)),
    ],
    "民生服务": [
        ("困难群众帮扶", (4, H), (5, D), (2, D)),
        ("供水供电供气", (2, H), (2, D), (1, D)),
        ("社保医保咨询", (4, H), (3, D), (1, D)),
        ("其他民生诉求", (4, H), (5, D), (2, D)),
    ],
}


@transaction.atomic
def install_event_catalogue(tenant) -> int:
    """Create the default categories a tenant does not have yet (by name); returns how many were added."""
    added = 0
    for main_order, (main_name, subs) in enumerate(DEFAULT_CATEGORIES.items(), start=1):
        main, created = Category.objects.get_or_create(
            tenant=tenant, parent=None, name=main_name, defaults={"sort_order": main_order * 10}
        )
        added += created
        for order, (name, accept, handle, verify) in enumerate(subs, start=1):
            _, created = Category.objects.get_or_create(
                tenant=tenant,
                parent=main,
                name=name,
                defaults={
                    "sort_order": order * 10,
                    "accept_limit": accept[0],
                    "accept_time_unit": accept[1],
                    "handle_limit": handle[0],
                    "handle_time_unit": handle[1],
                    "verify_limit": verify[0],
                    "verify_time_unit": verify[1],
                },
            )
            added += created
    return added
