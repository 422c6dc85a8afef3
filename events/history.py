"""Generated event history: rows of events already settled in the past, for loaders that insert them in bulk
(the demo's year of history through events.services.writes.insert_history, the bench's million with COPY).

Events get the scope stamps of their grid, a subcategory of the tenant's taxonomy, statuses in proportions that
depend on their age (old events are mostly closed), deadlines from the reporting time, the log rows the KPIs read
(report for every event, accept or reject for those answered — kept on the event as `answered_at` too —,
verify_pass for closed ones, verify_fail for those sent back for rework), approved extension requests on 6 % of
the dispatched events, and a paused clock on 5 % of those in progress. No service runs: nothing is notified,
audited or checked against the workflow table; the rows are consistent by construction.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

# Status mix by age: (status, weight). Recent events are still moving; old ones are settled.
RECENT_MIX = [
    ("reported", 5), ("accepted", 5), ("dispatched", 7), ("in_progress", 10), ("handled", 5), ("rework", 3),
    ("rejected", 5), ("closed", 60),
]
OLD_MIX = [("closed", 88), ("rejected", 6), ("in_progress", 2), ("accepted", 1), ("handled", 1), ("rework", 2)]
OPEN = {"reported", "accepted", "dispatched", "in_progress", "handled", "rework"}
AT_A_UNIT = {"dispatched", "in_progress", "handled", "rework"}


@dataclass
class Cast:
    """Who acts in generated events beyond the reporter (optional): each community's dispatcher and the handling
    units with the member who handles for each. Without it the reporter is every actor (the bench)."""

    dispatchers: dict[int, int] = field(default_factory=dict)  # community id → user id
    units: list[tuple[int, int]] = field(default_factory=list)  # (unit id, member id)


def _pick(rng: random.Random, mix: list[tuple[str, int]]) -> str:
    return rng.choices([s for s, _w in mix], weights=[w for _s, w in mix])[0]


def grids(tenant, weight: Callable | None = None):
    """(grid node, reporter id, weight) for every live grid of the tenant; `weight(grid)` multiplies the random
    weight of each grid (to make some streets busier)."""
    from grids.models import Assignment, GridNode, User

    nodes = list(GridNode.objects.filter(tenant=tenant, kind="grid", is_archived=False).order_by("code"))
    workers = dict(
        Assignment.objects.filter(tenant=tenant, post__code="grid_worker").values_list("node_id", "user_id")
    )
    fallback = User.objects.filter(tenant=tenant).order_by("id").values_list("id", flat=True).first()
    rng = random.Random(f"weights-{tenant.code}")
    return [
        (g, workers.get(g.pk, fallback), rng.uniform(0.3, 3.0) * (weight(g) if weight else 1)) for g in nodes
    ]


def history_rows(
    tenant, count: int, *, first_id: int, now: dt.datetime, days: int, seed: str, after_days: float = 0,
    weight: Callable | None = None, cast: Cast | None = None, old_mix: list[tuple[str, int]] = OLD_MIX,
):
    """Yield (event row dict, [log rows], [extension rows]) for `count` events of the tenant reported between
    `days` and `after_days` days before `now`. The first value yielded is None: everything is read by then (a
    caller may open its COPY on the same connection)."""
    from events.models import Category

    rng = random.Random(seed)
    cells = grids(tenant, weight)
    weights = [w for _g, _r, w in cells]
    cats = list(Category.objects.filter(tenant=tenant, parent__isnull=False).values_list("id", "name", "parent_id"))
    yield None
    cat_weights = [rng.uniform(0.5, 4) for _ in cats]
    span = (days - after_days) * 86400
    grid_picks = rng.choices(range(len(cells)), weights=weights, k=count)
    cat_picks = rng.choices(range(len(cats)), weights=cat_weights, k=count)
    for i in range(count):
        pk = first_id + i
        grid, reporter, _w = cells[grid_picks[i]]
        cat_id, cat_name, main_id = cats[cat_picks[i]]
        created = now - dt.timedelta(seconds=after_days * 86400 + rng.random() * span)
        age_days = (now - created).total_seconds() / 86400
        status = _pick(rng, RECENT_MIX if age_days < 30 else old_mix)
        on_spot = status == "closed" and rng.random() < 0.2
        accept_due = created + dt.timedelta(hours=rng.choice((1, 2, 4)))
        handle_due = created + dt.timedelta(days=rng.choice((1, 2, 3, 5, 10)))
        verify_due = handle_due + dt.timedelta(days=rng.choice((1, 2)))
        reworked = status == "rework" or (status in ("handled", "closed") and not on_spot and rng.random() < 0.08)
        closed_at = due_at = None
        escalation = 0
        if status == "closed":
            if on_spot:
                accept_due = handle_due = verify_due = None
                closed_at = created + dt.timedelta(minutes=rng.uniform(5, 90))
            else:
                late = rng.random() < 0.12
                limit = (verify_due - created).total_seconds()
                closed_at = created + dt.timedelta(seconds=limit * (rng.uniform(1.05, 2.0) if late else rng.uniform(0.1, 0.98)))
                escalation = 1 if late and rng.random() < 0.8 else 0
            if closed_at > now:
                closed_at = now
        elif status in OPEN:
            due_at = {"reported": accept_due, "handled": verify_due}.get(status, handle_due)
        dispatched = status in ("dispatched", "in_progress", "handled", "rework", "closed") and not on_spot
        extended = dispatched and rng.random() < 0.06
        paused_at = None
        if status == "in_progress" and rng.random() < 0.05:
            paused_at, due_at = created + dt.timedelta(hours=rng.uniform(2, 48)), None
            if paused_at > now:
                paused_at = now
        overdue = due_at is not None and due_at <= now
        if overdue and rng.random() < 0.9:
            escalation = 1
        # Accepted or rejected (受理 / 不予受理) unless still waiting or handled on the spot: ~90 % within the
        # acceptance window, the rest up to 8 hours late (the assessment's on-time acceptance).
        answered_at = None
        if status != "reported" and accept_due is not None:
            if rng.random() < 0.9:
                answered_at = created + (accept_due - created) * rng.uniform(0.05, 0.95)
            else:
                answered_at = accept_due + dt.timedelta(hours=rng.uniform(0.1, 8))
            answered_at = min(answered_at, now)
        dispatcher = handler = reporter
        unit = None
        if cast is not None:
            dispatcher = cast.dispatchers.get(grid.community_id, reporter)
            if dispatched and cast.units:
                unit, handler = rng.choice(cast.units)
        row = {
            "id": pk,
            "tenant_id": grid.tenant_id,
            "district_id": grid.district_id,
            "street_id": grid.street_id,
            "community_id": grid.community_id,
            "grid_id": grid.grid_id,
            "node_id": grid.pk,
            "reference": f"B{pk:010d}",
            "category_id": cat_id,
            "main_category_id": main_id,
            "rework_count": int(reworked),
            "extension_count": int(extended),
            "title": cat_name,
            "description": "",
            "lon": None,
            "lat": None,
            "urgency": 1 if rng.random() < 0.85 else 2,
            "status": status,
            "source": "grid_worker" if rng.random() < 0.7 else "hotline",
            "reporter_id": reporter,
            "resident_name": "",
            "handled_on_spot": on_spot,
            "current_unit_id": unit if status in AT_A_UNIT else None,
            "current_handler_id": handler if unit and status in AT_A_UNIT - {"dispatched"} else None,
            "handled_by_id": (reporter if on_spot else handler) if status in ("handled", "closed", "rework") else None,
            "accept_due": accept_due,
            "handle_due": handle_due if status != "reported" else None,
            "verify_due": verify_due if status in ("handled", "closed") else None,
            "due_at": due_at,
            "is_near_deadline": overdue,
            "is_overdue": overdue,
            "paused_at": paused_at,
            "paused_remaining": dt.timedelta(hours=8) if paused_at else None,
            "escalation_level": escalation,
            "answered_at": answered_at,
            "escalated_to_id": grid.community_id if escalation else None,
            "escalated_deadline": due_at if overdue else None,
            "reject_reason": "invalid" if status == "rejected" else "",
            "duplicate_of_id": None,
            "close_reason": "fixed" if status == "closed" else "",
            "responsible_party": "",
            "closed_at": closed_at,
            "idempotency_key": None,
            "created_at": created,
            "updated_at": closed_at or created,
        }
        logs = [(pk, reporter, "report", "", "reported", created)]
        if answered_at is not None:
            answer = ("reject", "rejected") if status == "rejected" else ("accept", "accepted")
            logs.append((pk, dispatcher, answer[0], "reported", answer[1], answered_at))
        if reworked:
            logs.append((pk, reporter, "verify_fail", "handled", "rework", created + dt.timedelta(hours=20)))
        if status == "closed":
            action = "handle_on_spot" if on_spot else "verify_pass"
            logs.append((pk, reporter, action, "handled" if not on_spot else "reported", "closed", closed_at))
        extensions = []
        if extended:
            asked = created + dt.timedelta(hours=rng.uniform(4, 30))
            extensions.append(
                (pk, handler, 2, "working_days", "等待配件", "approved", dispatcher, asked, "", asked)
            )
        yield row, logs, extensions
