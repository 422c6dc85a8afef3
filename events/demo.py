"""Demo events: a year of history in bulk, and the last days' events filed through the services, in every state.

The history (`load_history`: tens of thousands of events settled in the past, events.history) goes in through the
write seam's `insert_history`, which keeps the dashboards' rollups exact without a save per event. The recent ones
(`create_demo_events`) are filed and moved through the workflow by the real services, as the people who hold the
posts would; only their timestamps are then shifted into the past (created_at and log times), which is demo-data
fabrication the services themselves never do, and the dashboards' rollups are recounted after it. Both weight the
grids towards the demo accounts' nodes (grids.demo.data.DEMO_ACCOUNTS), so their dashboards look alive.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from grids.choices import NodeKind
from grids.demo.data import DEMO_ACCOUNTS
from grids.models import Assignment, GridNode, Tenant, User

from . import history, rollups, services
from .catalogue import install_event_catalogue
from .choices import CloseReason, RejectReason, Source, Status, UnitKind, Urgency
from .models import Category, Event, EventLog, EventSequence, HandlingUnit
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
    weights: list[float]
    workers: dict[int, list[User]]
    dispatchers: dict[int, list[User]]
    units: list[HandlingUnit]
    fallback: User
    subcategories: list[Category] = field(default_factory=list)


def _cast(tenant: Tenant) -> Cast:
    today = timezone.localdate()
    workers, dispatchers = defaultdict(list), defaultdict(list)
    rows = (
        Assignment.objects.current(today).filter(tenant=tenant, node__is_archived=False)
        .select_related("user", "post", "node")
    )
    for a in rows:
        if a.node.kind == NodeKind.GRID and REPORT in a.post.rights and VERIFY in a.post.rights:
            workers[a.node_id].append(a.user)
        if a.node.kind == NodeKind.COMMUNITY and DISPATCH in a.post.rights:
            dispatchers[a.node_id].append(a.user)
    grids = list(GridNode.objects.filter(tenant=tenant, kind=NodeKind.GRID, is_archived=False).order_by("code"))
    weight = focus_weight(tenant)
    fallback = User.objects.filter(tenant=tenant, is_tenant_admin=True, is_active=True).order_by("id").first()
    if fallback is None:
        fallback = User(username=f"demo_admin_{tenant.code}", tenant=tenant, is_tenant_admin=True,
                        display_name="演示管理员")
        fallback.set_password(settings.DEMO_PASSWORD)
        fallback.save()
    units = [_unit(tenant, index, name, kind) for index, (name, kind) in enumerate(UNITS, start=1)]
    subcategories = list(Category.objects.filter(tenant=tenant, parent__isnull=False, is_active=True))
    return Cast(grids=grids, weights=[weight(g) for g in grids], workers=workers, dispatchers=dispatchers,
                units=units, fallback=fallback, subcategories=subcategories)


def _unit(tenant: Tenant, index: int, name: str, kind: str) -> HandlingUnit:
    """A demo handling unit; its members are the demo accounts that name it (who sign in with the demo password),
    or else one generated person who cannot sign in."""
    unit, _created = HandlingUnit.objects.get_or_create(tenant=tenant, name=name, defaults={"kind": kind})
    named = [a.username for a in DEMO_ACCOUNTS if a.district == tenant.code and a.unit == name]
    people = list(User.objects.filter(tenant=tenant, username__in=named))
    if not people and not unit.members.exists():
        person, _ = User.objects.get_or_create(
            username=f"demo_unit{index}_{tenant.code}", defaults={"tenant": tenant, "display_name": f"{name}处置员"}
        )
        if person.password == "":
            person.set_unusable_password()
            person.save(update_fields=["password"])
        people = [person]
    unit.members.add(*people)
    return unit


def focus_weight(tenant: Tenant):
    """How much busier a grid is for being where the demo accounts work: ×3 in their streets, ×4 more in their
    communities, ×2 more on their grids (a function of the grid node)."""
    names = [a.username for a in DEMO_ACCOUNTS if a.district == tenant.code and a.post]
    held = Assignment.objects.filter(tenant=tenant, user__username__in=names).values_list("node_id", "node__kind")
    focus = defaultdict(set)
    for node_id, kind in held:
        focus[kind].add(node_id)

    def weight(grid: GridNode) -> float:
        return ((3 if grid.street_id in focus[NodeKind.STREET] else 1)
                * (4 if grid.community_id in focus[NodeKind.COMMUNITY] else 1)
                * (2 if grid.pk in focus[NodeKind.GRID] else 1))

    return weight


def create_demo_events(
    tenant: Tenant, *, count: int = 3000, seed: int = 2026, days: int = 365, log=None
) -> dict[str, int]:
    """File `count` events in the tenant over the last `days` days and walk each to a status from STATUS_CYCLE,
    through the services; returns counts by status. `log(message)` hears of the progress."""
    install_event_catalogue(tenant)
    rng = random.Random(seed)
    cast = _cast(tenant)
    if not cast.grids:
        return {}
    now = timezone.now()
    made: dict[str, int] = defaultdict(int)
    began = time.monotonic()
    for i in range(count):
        target = STATUS_CYCLE[i % len(STATUS_CYCLE)]
        when = now - dt.timedelta(days=rng.uniform(0, days), hours=rng.uniform(0, 8))
        when = min(when, now - dt.timedelta(minutes=5))
        with transaction.atomic():
            event = _one(cast, rng, target, when)
        made[event.status] += 1
        if log and (i + 1) % 100 == 0:
            log(f"  {tenant.name}：经各环节办理 {i + 1}/{count} 个事件（{time.monotonic() - began:.0f} 秒）")
    services.sweep_deadlines(now=now)
    # The shifted reporting times moved the events to other days: recount the dashboards' rollups.
    rollups.rebuild(tenant.pk)
    return dict(made)


def _one(cast: Cast, rng: random.Random, target: str, when: dt.datetime) -> Event:
    grid = rng.choices(cast.grids, weights=cast.weights)[0]
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


def load_history(
    tenant: Tenant, *, count: int, days: int = 365, after_days: float = 14, seed: int = 2026, log=None
) -> dict[str, int]:
    """Insert `count` events reported between `days` and `after_days` days ago, settled as the past settles
    (events.history), in bulk through the write seam; returns counts by status. `log(message)` hears of the
    progress."""
    install_event_catalogue(tenant)
    cast = _cast(tenant)
    if not cast.grids:
        return {}
    actors = history.Cast(
        dispatchers={community: people[0].pk for community, people in cast.dispatchers.items()},
        units=[(unit.pk, unit.members.order_by("id").first().pk) for unit in cast.units],
    )
    now = timezone.now()
    first_id = (Event._base_manager.aggregate(m=Max("id"))["m"] or 0) + 1
    rows = history.history_rows(
        tenant, count, first_id=first_id, now=now, days=days, after_days=after_days, seed=f"demo-{seed}-{tenant.code}",
        weight=focus_weight(tenant), cast=actors, old_mix=SETTLED_MIX,
    )
    next(rows)
    sequence = dict(EventSequence.objects.filter(tenant=tenant).values_list("day", "last"))
    made: dict[str, int] = defaultdict(int)
    began = time.monotonic()
    chunk = 10_000
    for start in range(0, count, chunk):
        events, logs, extensions = [], [], []
        for row, log_rows, extension_rows in (next(rows) for _ in range(min(chunk, count - start))):
            day = timezone.localdate(row["created_at"])
            sequence[day] = sequence.get(day, 0) + 1
            row["reference"] = f"{tenant.code}-{day:%Y%m%d}-{sequence[day]:04d}"
            row["title"] = rng_title(row["id"], row["title"])
            events.append(row)
            made[row["status"]] += 1
            logs += [{"event_id": e, "actor_id": a, "action": act, "from_status": f, "to_status": t, "note": "",
                      "created_at": at} for e, a, act, f, t, at in log_rows]
            extensions += [
                {"event_id": e, "requested_by_id": by, "amount": n, "time_unit": unit, "reason": reason, "status": status,
                 "decided_by_id": decider, "decided_at": at, "decision_note": note, "created_at": created}
                for e, by, n, unit, reason, status, decider, at, note, created in extension_rows
            ]
        services.insert_history(events, logs=logs, extensions=extensions)
        if log:
            log(f"  {tenant.name}：历史事件 {start + len(events):,}/{count:,}（{time.monotonic() - began:.0f} 秒）")
    stored = {s.day: s for s in EventSequence.objects.filter(tenant=tenant)}
    for day, last in sequence.items():
        if day in stored:
            stored[day].last = last
    EventSequence.objects.bulk_update(list(stored.values()), ["last"], batch_size=500)
    EventSequence.objects.bulk_create(
        [EventSequence(tenant=tenant, day=day, last=last) for day, last in sequence.items() if day not in stored],
        batch_size=500,
    )
    return dict(made)


# The history's settled mix (events older than a month): a small backlog left open, as a district has.
SETTLED_MIX = [("closed", 925), ("rejected", 60), ("in_progress", 5), ("accepted", 3), ("handled", 4), ("rework", 3)]


def rng_title(pk: int, category: str) -> str:
    """A title for a generated event of this subcategory (from TITLES when it has some), the same for one id."""
    titles = TITLES.get(category)
    return titles[pk % len(titles)] if titles else f"{category}问题"
