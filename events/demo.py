"""Demo events: a few thousand events across a tenant's tree and the past year, in every state.

Every event is filed and moved through the workflow by the real services, as the people who hold the posts would;
only the timestamps are then shifted into the past (created_at and log times), which is demo-data fabrication the
services themselves never do, and the dashboards' rollups are recounted after it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grids.choices import NodeKind
from grids.models import Assignment, GridNode, Tenant, User

from . import rollups, services
from .catalogue import install_event_catalogue
from .choices import CloseReason, RejectReason, Source, Status, UnitKind, Urgency
from .models import Category, Event, EventLog, HandlingUnit
from .rights import DISPATCH, REPORT, VERIFY

# How many events of each final status in a cycle of 50: every state appears in any run of 50 or more.
STATUS_CYCLE = (
    [Status.CLOSED] * 25
    + [Status.REPORTED] * 4
    + [Status.ACCEPTED] * 3
    + [Status.REJECTED] * 3
    + [Status.DISPATCHED] * 4
    + [Status.IN_PROGRESS] * 5
    + [Status.HANDLED] * 4
    + [Status.REWORK] * 2
)
TITLES = {
    "暴露垃圾": ["小区门口垃圾满溢", "绿化带内有暴露垃圾"],
    "占道经营": ["早市摊点占用人行道", "店外占道经营"],
    "路灯不亮": ["小区主干道路灯不亮", "巷口路灯损坏"],
    "邻里纠纷": ["楼上漏水引发纠纷", "噪声扰民引发争吵"],
    "电动车违规充电": ["楼道内飞线充电", "电动车停放在楼梯间充电"],
}
UNITS = [("区城管执法大队", UnitKind.DEPARTMENT), ("区住建局物业科", UnitKind.DEPARTMENT),
         ("安居物业服务有限公司", UnitKind.PROPERTY), ("社区网格服务队", UnitKind.GRID_STAFF)]


@dataclass
class Cast:
    """Who acts in the demo: per grid its workers, per community its dispatchers, the units and their members."""

    grids: list[GridNode]
    workers: dict[int, list[User]]
    dispatchers: dict[int, list[User]]
    units: list[HandlingUnit]
    fallback: User
    subcategories: list[Category] = field(default_factory=list)


def _cast(tenant: Tenant) -> Cast:
    today = timezone.localdate()
    workers, dispatchers = defaultdict(list), defaultdict(list)
    rows = Assignment.objects.current(today).filter(tenant=tenant, node__is_archived=False).select_related("user", "post")
    for a in rows:
        if a.node.kind == NodeKind.GRID and REPORT in a.post.rights and VERIFY in a.post.rights:
            workers[a.node_id].append(a.user)
        if a.node.kind == NodeKind.COMMUNITY and DISPATCH in a.post.rights:
            dispatchers[a.node_id].append(a.user)
    grids = list(GridNode.objects.filter(tenant=tenant, kind=NodeKind.GRID, is_archived=False).order_by("code"))
    fallback = User.objects.filter(tenant=tenant, is_tenant_admin=True, is_active=True).order_by("id").first()
    if fallback is None:
        fallback = User(username=f"demo_admin_{tenant.code}", tenant=tenant, is_tenant_admin=True,
                        display_name="演示管理员")
        fallback.set_password(settings.DEMO_PASSWORD)
        fallback.save()
    units = []
    for index, (name, kind) in enumerate(UNITS, start=1):
        unit, created = HandlingUnit.objects.get_or_create(tenant=tenant, name=name, defaults={"kind": kind})
        if created or not unit.members.exists():
            member, _ = User.objects.get_or_create(
                username=f"demo_unit{index}_{tenant.code}",
                defaults={"tenant": tenant, "display_name": f"{name}处置员"},
            )
            if not member.has_usable_password():
                member.set_password(settings.DEMO_PASSWORD)
                member.save(update_fields=["password"])
            unit.members.add(member)
        units.append(unit)
    subcategories = list(Category.objects.filter(tenant=tenant, parent__isnull=False, is_active=True))
    return Cast(grids=grids, workers=workers, dispatchers=dispatchers, units=units, fallback=fallback,
                subcategories=subcategories)


def create_demo_events(tenant: Tenant, *, count: int = 3000, seed: int = 2026, days: int = 365) -> dict[str, int]:
    """File `count` events in the tenant and walk each to a status from STATUS_CYCLE; returns counts by status."""
    install_event_catalogue(tenant)
    rng = random.Random(seed)
    cast = _cast(tenant)
    if not cast.grids:
        return {}
    now = timezone.now()
    made: dict[str, int] = defaultdict(int)
    for i in range(count):
        target = STATUS_CYCLE[i % len(STATUS_CYCLE)]
        when = now - dt.timedelta(days=rng.uniform(0, days), hours=rng.uniform(0, 8))
        with transaction.atomic():
            event = _one(cast, rng, target, when)
        made[event.status] += 1
    services.sweep_deadlines(now=now)
    # The shifted reporting times moved the events to other days: recount the dashboards' rollups.
    rollups.rebuild(tenant.pk)
    return dict(made)


def _one(cast: Cast, rng: random.Random, target: str, when: dt.datetime) -> Event:
    grid = rng.choice(cast.grids)
    reporter = rng.choice(cast.workers.get(grid.pk) or [cast.fallback])
    dispatcher = rng.choice(cast.dispatchers.get(grid.community_id) or [cast.fallback])
    category = rng.choice(cast.subcategories)
    titles = TITLES.get(category.name) or [f"{category.name}问题"]
    source = rng.choices([Source.GRID_WORKER, Source.HOTLINE, Source.WALK_IN], weights=[8, 1, 1])[0]
    event = services.report_event(
        actor=reporter, node=grid, category=category, title=rng.choice(titles),
        description=f"{grid.name}发现{category.name}，请处理。",
        urgency=rng.choices(Urgency.values, weights=[8, 3, 1])[0], source=source,
        resident_name="居民" if source != Source.GRID_WORKER else "",
        resident_phone=f"139{rng.randrange(10**8):08d}" if source != Source.GRID_WORKER else "", now=when,
    )
    times = [when]

    def later(hours: float) -> dt.datetime:
        times.append(times[-1] + dt.timedelta(hours=hours))
        return times[-1]

    if target == Status.REJECTED:
        event = services.reject(actor=dispatcher, event=event, reason=RejectReason.INVALID, note="核实不属实",
                                now=later(rng.uniform(0.2, 3)))
    elif target != Status.REPORTED:
        event = services.accept(actor=dispatcher, event=event, now=later(rng.uniform(0.2, 3)))
        if target != Status.ACCEPTED:
            unit = rng.choice(cast.units)
            event = services.dispatch(actor=dispatcher, event=event, unit=unit, now=later(rng.uniform(0.1, 2)))
            handler = unit.members.order_by("id").first()
            if target != Status.DISPATCHED:
                event = services.sign(actor=handler, event=event, now=later(rng.uniform(0.5, 4)))
                if target != Status.IN_PROGRESS:
                    event = services.handle(actor=handler, event=event, note="已处置完毕",
                                            now=later(rng.uniform(2, 40)))
                    verifier = reporter if reporter.pk != handler.pk else dispatcher
                    if target == Status.REWORK:
                        event = services.verify(actor=verifier, event=event, passed=False, note="整改不到位",
                                                now=later(rng.uniform(1, 20)))
                    elif target == Status.CLOSED:
                        reason = rng.choices(CloseReason.values, weights=[20, 1, 1, 1])[0]
                        party = "市供电公司" if reason in (CloseReason.NOT_RESPONSIBLE, CloseReason.REFERRED) else ""
                        event = services.verify(actor=verifier, event=event, passed=True, close_reason=reason,
                                                responsible_party=party, now=later(rng.uniform(1, 20)))
    # Shift the stored timestamps into the simulated past, one log row per simulated moment.
    Event.objects.filter(pk=event.pk).update(created_at=when)
    for log_id, moment in zip(
        EventLog.objects.filter(event=event).order_by("id").values_list("id", flat=True), times, strict=False
    ):
        EventLog.objects.filter(pk=log_id).update(created_at=moment)
    return event
