"""The demo resident: 王秀英 of 琅琊小区 (铁路一村社区), mobile 13800000001, confirmed by her community and linked to
a Langya household when the demo registry is loaded; one 随手拍 of a broken street lamp, filed through the services."""

from __future__ import annotations

from django.db import transaction

from events.models import Category
from grids.choices import NodeKind
from grids.models import GridNode, Tenant
from registry.models import Household
from yaohai.core.personal import crypto
from yaohai.core.personal.identity import mask_phone

from . import reporting, services
from .choices import PHONE_PURPOSE, AccountStatus
from .models import ResidentAccount

DEMO_PHONE = "13800000001"
COMMUNITY = "铁路一村社区"


def load(tenant: Tenant, *, log=print) -> ResidentAccount | None:
    """Idempotent: skipped when the demo resident exists already."""
    index = crypto.blind_index(DEMO_PHONE, PHONE_PURPOSE)
    if ResidentAccount.objects.filter(tenant=tenant, phone_index=index).exists():
        log(f"{tenant}: the demo resident is loaded already; skipped.")
        return None
    community = GridNode.objects.filter(tenant=tenant, kind=NodeKind.COMMUNITY, name=COMMUNITY).first() or \
        GridNode.objects.filter(tenant=tenant, kind=NodeKind.COMMUNITY).order_by("tree_id", "lft").first()
    if community is None:
        log(f"{tenant}: no community (run load_demo first); skipped.")
        return None
    with transaction.atomic():
        account = services._create_account(tenant, DEMO_PHONE, index)
        account.user.display_name = "王秀英"
        account.user.save(update_fields=["display_name"])
        account = services.choose_community(account=account, community_id=community.pk)
        household = Household.objects.filter(community_id=community.pk, dissolved_on__isnull=True).order_by("id").first()
        ResidentAccount.objects.filter(pk=account.pk).update(status=AccountStatus.CONFIRMED, household=household)
        account.refresh_from_db()
    lamp = Category.objects.filter(tenant=tenant, name="路灯不亮", parent__isnull=False).first()
    if lamp is not None:
        reporting.file_report(account=account, category_id=lamp.pk, description="琅琊小区东门路灯不亮，晚上出行不便。",
                              key="demo-lamp")
    log(f"{tenant}: demo resident {mask_phone(DEMO_PHONE)} in {community.name}"
        f"{' (household linked)' if household else ''}.")
    return account
