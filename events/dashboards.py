"""Reads for a node's dashboard (驾驶舱): the KPIs of the events under a node, its children, trend and lists.

Every read starts from `GridNode.objects.visible_to(actor)` and `Event.objects.visible_to(actor)`; the number of
queries is fixed (one per panel) whatever the number of events. The KPIs themselves are defined in events.kpis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from grids import selectors as grid_selectors
from grids.choices import LEVELS
from grids.models import GridNode, User
from grids.querysets import ScopedQuerySetMixin

from . import kpis
from .choices import OPEN_STATUSES
from .models import Event

DEFAULT_DAYS = 30
OVERDUE_LIMIT = 20


@dataclass(frozen=True)
class DashboardFilters:
    """The date range (inclusive, by reporting day in Asia/Shanghai) and the trend's period."""

    date_from: dt.date
    date_to: dt.date
    period: str = "day"

    @classmethod
    def default(cls, today: dt.date | None = None) -> DashboardFilters:
        today = today or timezone.localdate()
        return cls(date_from=today - dt.timedelta(days=DEFAULT_DAYS - 1), date_to=today)

    @classmethod
    def from_query(cls, params, today: dt.date | None = None) -> DashboardFilters:
        """Read ?from=YYYY-MM-DD&to=YYYY-MM-DD&period=day|week|month; anything unreadable takes the default."""
        default = cls.default(today)
        date_from = _date(params.get("from")) or default.date_from
        date_to = _date(params.get("to")) or default.date_to
        if date_from > date_to:
            date_from, date_to = date_to, date_from
        period = params.get("period") if params.get("period") in kpis.PERIODS else "day"
        return cls(date_from=date_from, date_to=date_to, period=period)

    def as_query(self, **override) -> dict:
        values = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat(), "period": self.period}
        values.update(override)
        return values

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.date_from, dt.time.min, tzinfo=kpis.SHANGHAI)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=kpis.SHANGHAI)


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def dashboard_node(*, actor: User, pk: int) -> GridNode:
    """The node, if the actor may see it and it is live (GridNode.DoesNotExist otherwise: a 404)."""
    return grid_selectors.visible_nodes(actor=actor).get(pk=pk)


def event_lookups(node: GridNode, filters: DashboardFilters) -> dict:
    """The lookups that select the events under `node` reported in the range."""
    return {
        "tenant_id": node.tenant_id,
        f"{node.kind}_id": node.pk,
        "created_at__gte": filters.start,
        "created_at__lt": filters.end,
    }


def node_events(*, actor: User, node: GridNode, filters: DashboardFilters):
    """The events under `node` reported in the range, read through the actor's tree scope.

    The tree scope is `visible_to` of the scoped-record base (grids.querysets), without the per-event personal
    grants that EventQuerySet.visible_to ORs in (reporter, handler, unit member). A dashboard's node is visible,
    so every event under it is already inside the tree scope and the personal grants add no row; but their OR
    names columns no covering index holds and makes every panel read the table (13× slower, docs/bench.md)."""
    return ScopedQuerySetMixin.visible_to(Event.objects.all(), actor).filter(**event_lookups(node, filters))


# Below this many days, or below a street, the rework count hashes only the counted events' log rows; above
# it, hashing every verify_fail once is cheaper than joining (measured in docs/bench.md).
NARROW_DAYS = 92


def rework_within(node: GridNode, filters: DashboardFilters) -> dict | None:
    """How to restrict the rework subquery for this dashboard (None: not at all)."""
    narrow = node.kind in ("community", "grid") or (filters.date_to - filters.date_from).days < NARROW_DAYS
    return event_lookups(node, filters) if narrow else None


def node_path(node: GridNode) -> list[GridNode]:
    """The node's ancestors, top first, from its stamps (one query; none for a district)."""
    ids = [getattr(node, f"{level}_id") for level in LEVELS[: node.level_index]]
    ids = [pk for pk in ids if pk and pk != node.pk]
    if not ids:
        return []
    found = {n.pk: n for n in GridNode.objects.filter(pk__in=ids).only("id", "name", "kind")}
    return [found[pk] for pk in ids if pk in found]


def child_nodes(*, actor: User, node: GridNode) -> list[GridNode]:
    """The live children of `node` the actor may see, by code (one query)."""
    return list(
        GridNode.objects.visible_to(actor)
        .filter(parent_id=node.pk, is_archived=False)
        .only("id", "name", "code", "kind", "subkind", "boundary", "tenant_id")
        .order_by("code")
    )


def overdue_events(events, *, now: dt.datetime, limit: int | None = OVERDUE_LIMIT):
    """Open events past their current deadline, the longest overdue first."""
    rows = (
        events.filter(status__in=OPEN_STATUSES, due_at__lte=now)
        .select_related("category", "category__parent", "node", "current_unit")
        .order_by("due_at", "id")
    )
    return rows[:limit] if limit else rows


@dataclass
class ChildRow:
    node: GridNode
    kpis: dict


@dataclass
class Dashboard:
    node: GridNode
    filters: DashboardFilters
    now: dt.datetime
    path: list[GridNode] = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    children: list[ChildRow] = field(default_factory=list)
    categories: list[dict] = field(default_factory=list)
    statuses: list[dict] = field(default_factory=list)
    trend: list[dict] = field(default_factory=list)
    overdue: list[Event] = field(default_factory=list)


def empty_kpis() -> dict:
    row = {key: 0 for key in kpis.aggregates(timezone.now())}
    row["avg_handling"] = None
    return kpis.derive(row)


def children_kpis(
    *, actor: User, node: GridNode, events, now: dt.datetime, within: dict | None = None
) -> list[ChildRow]:
    """Every visible child with its KPIs, zero where it has no events (two queries; none for a grid)."""
    if kpis.CHILD_COLUMN[node.kind] is None:
        return []
    per_child = kpis.by_child(events, node, now=now, rework_within=within)
    return [ChildRow(node=c, kpis=per_child.get(c.pk) or empty_kpis()) for c in child_nodes(actor=actor, node=node)]


def dashboard(*, actor: User, node: GridNode, filters: DashboardFilters, now: dt.datetime | None = None) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries (eight, for a node with children)."""
    now = now or timezone.now()
    events = node_events(actor=actor, node=node, filters=filters)
    within = rework_within(node, filters)
    return Dashboard(
        node=node,
        filters=filters,
        now=now,
        path=node_path(node),
        totals=kpis.totals(events, now=now, rework_within=within),
        children=children_kpis(actor=actor, node=node, events=events, now=now, within=within),
        categories=kpis.by_category(events, now=now, rework_within=within),
        statuses=kpis.by_status(events),
        trend=kpis.by_period(events, filters.period, now=now),
        overdue=list(overdue_events(events, now=now)),
    )


def feature_collection(children: list[ChildRow]) -> dict:
    """A GeoJSON FeatureCollection of the children's boundaries, named as ECharts matches map data."""
    features = []
    for row in children:
        geometry = row.node.boundary
        if isinstance(geometry, dict) and geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        features.append(
            {"type": "Feature", "properties": {"name": row.node.name, "id": row.node.pk}, "geometry": geometry}
        )
    return {"type": "FeatureCollection", "features": features}

