"""Reads for a node's dashboard (驾驶舱): the KPIs of the events under a node, its children, trend and lists.

Every read starts from the actor's scope (`visible_to`). The counts come from the pre-aggregated rows of
events.rollups (one row per child, main category and day), so a panel sums at most children × 6 × days rows
instead of reading every event; "overdue now" and "paused" are counted live from the open events. The number of
queries is fixed (one per panel) whatever the number of events. The KPIs themselves are defined in events.kpis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Min, Q, Subquery
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from grids import selectors as grid_selectors
from grids.choices import LEVELS
from grids.models import GridNode, User
from grids.querysets import ScopedQuerySetMixin

from . import kpis, rollups, selectors
from .choices import OPEN_STATUSES, Status
from .models import Event, EventRollup

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


# A node's ancestors come with it (a grid has three), without the shapes: the page draws only its children's.
ANCESTORS = "parent__parent__parent"
WITHOUT_SHAPES = ("boundary", "parent__boundary", "parent__parent__boundary", "parent__parent__parent__boundary")


def dashboard_node(*, actor: User, pk: int) -> GridNode:
    """The node with its ancestors, if the actor may see it and it is live (GridNode.DoesNotExist otherwise: a
    404)."""
    return grid_selectors.visible_nodes(actor=actor).select_related(ANCESTORS).defer(*WITHOUT_SHAPES).get(pk=pk)


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


def node_path(node: GridNode) -> list[GridNode]:
    """The node's ancestors, top first: from the parents loaded with it (dashboard_node), else from its stamps
    (one query; none for a district)."""
    loaded = []
    ancestor = node
    while ancestor.parent_id is not None and GridNode.parent.is_cached(ancestor):
        ancestor = ancestor.parent
        loaded.append(ancestor)
    if ancestor.parent_id is None:
        return loaded[::-1]
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
    """Open events past their current deadline, the longest overdue first.

    The ids are chosen first from the partial index of open events (index-only: the range's open events, sorted
    by deadline), then only those rows are read with their category, grid and unit."""
    chosen = events.filter(status__in=OPEN_STATUSES, due_at__lte=now).order_by("due_at", "id")
    if limit:
        chosen = Event.objects.filter(pk__in=Subquery(chosen.values("pk")[:limit]))
    return (
        chosen.select_related("category", "category__parent", "node", "current_unit")
        .defer("node__boundary")  # a grid's GeoJSON: the list shows only its name
        .order_by("due_at", "id")
    )


def overdue_list(events, *, now: dt.datetime) -> list[selectors.ListRow]:
    """The dashboard's overdue list: the OVERDUE_LIMIT longest overdue, read as the event list's rows (values,
    not models; the .xlsx ledger reads overdue_events)."""
    chosen = events.filter(status__in=OPEN_STATUSES, due_at__lte=now).order_by("due_at", "id")
    rows = Event.objects.filter(pk__in=Subquery(chosen.values("pk")[:OVERDUE_LIMIT])).order_by("due_at", "id")
    return selectors.list_rows(rows, OVERDUE_LIMIT)


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
    overdue: list[selectors.ListRow] = field(default_factory=list)
    # The nearest deadline after `now` among the range's open events: the first moment "overdue now" can change
    # without a write.
    next_deadline: dt.datetime | None = None


def rollup_rows(*, actor: User, node: GridNode, filters: DashboardFilters, by_day: bool = False):
    """The pre-aggregated rows a node's dashboard sums (a grid's own rows for a grid, else its children's), read
    through the actor's scope: the range's whole calendar months from month rows, its partial months from day rows
    (`by_day`: day rows only, for a trend by day or week)."""
    rows = EventRollup.objects.visible_to(actor).filter(tenant_id=node.tenant_id)
    rows = rows.filter(node_id=node.pk) if node.kind == "grid" else rows.filter(parent_id=node.pk)
    return rows.filter(span_q(filters.date_from, filters.date_to, by_day=by_day))


def span_q(first: dt.date, last: dt.date, *, by_day: bool = False) -> Q:
    """The rollup rows that cover the days first…last (inclusive) exactly once."""
    days = Q(span="day", day__gte=first, day__lte=last)
    first_month = first if first.day == 1 else _next_month(first)
    after_last_month = _next_month(last) if _next_month(last) - dt.timedelta(days=1) == last else last.replace(day=1)
    if by_day or first_month >= after_last_month:
        return days
    return (
        Q(span="month", day__gte=first_month, day__lt=after_last_month)
        | Q(span="day", day__gte=first, day__lt=first_month)
        | Q(span="day", day__gte=after_last_month, day__lte=last)
    )


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@dataclass
class Breakdown:
    """Counts added up three ways from one GROUP BY child and main category: in all, per child, per category."""

    columns: tuple[str, ...]
    total: dict = field(default_factory=dict)
    by_child: dict[int, dict] = field(default_factory=dict)
    by_category: dict[int, dict] = field(default_factory=dict)
    category_names: dict[int, str] = field(default_factory=dict)

    def __post_init__(self):
        self.total = self.total or self.zero()

    def zero(self) -> dict:
        return dict.fromkeys(self.columns, 0)

    def add(self, row: dict, child_key: str | None) -> None:
        targets = [self.total, self.by_category.setdefault(row["main_category_id"], self.zero())]
        if child_key:
            targets.append(self.by_child.setdefault(row[child_key], self.zero()))
        for target in targets:
            for column in self.columns:
                target[column] += row[column] or 0

    def of(self, table: dict, key) -> dict:
        return table.get(key) or self.zero()


LIVE_COLUMNS = ("overdue", "paused")


@dataclass
class LiveCounts(Breakdown):
    """"Overdue now" and "paused", and the nearest deadline still ahead: until then, "overdue now" and the overdue
    list stay as counted (events.dashboard_cache keeps a dashboard no longer)."""

    next_deadline: dt.datetime | None = None


def live_counts(events, node: GridNode, now: dt.datetime) -> LiveCounts:
    """"Overdue now" and "paused" change with the clock, so they are counted from the open events: one GROUP BY
    over the open events in the range (a partial index holds them), by child and main category."""
    column = kpis.CHILD_COLUMN[node.kind]
    keys = [column, "main_category_id"] if column else ["main_category_id"]
    rows = (
        events.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values(*keys)
        # The rows are open already: the conditions name only columns the partial index holds (index-only).
        .annotate(
            overdue=kpis.CountWhere(Q(due_at__lte=now, paused_at__isnull=True)),
            paused=kpis.CountWhere(Q(paused_at__isnull=False)),
            next_deadline=Min("due_at", filter=Q(due_at__gt=now)),
        )
    )
    live = LiveCounts(LIVE_COLUMNS)
    for row in rows:
        live.add(row, column)
        if row["next_deadline"] is not None and (live.next_deadline is None or row["next_deadline"] < live.next_deadline):
            live.next_deadline = row["next_deadline"]
    return live


def rollup_sums(rows, node: GridNode) -> Breakdown:
    """The counters of the range's rollup rows summed per child and main category (with its name), in one query;
    the KPI cards, the status breakdown, the children's and the categories' KPIs are all added up from it."""
    child_key = "node_id" if kpis.CHILD_COLUMN[node.kind] else None
    sums = Breakdown(rollups.COLUMNS)
    grouped = rows.order_by().values("node_id", "main_category_id", "main_category__name")
    for row in grouped.annotate(**rollups.sum_expressions()):
        sums.add(row, child_key)
        sums.category_names[row["main_category_id"]] = row["main_category__name"]
    return sums


def _kpis(sums: dict, live: dict) -> dict:
    return kpis.derive({**rollups.kpi_row(sums), **live})


def totals_and_statuses(sums: Breakdown, live: Breakdown) -> tuple[dict, list[dict]]:
    """The KPI cards and the status breakdown."""
    statuses = [{"status": s.value, "label": s.label, "events": sums.total[f"s_{s.value}"]} for s in Status]
    return _kpis(sums.total, live.total), statuses


def children_kpis(*, actor: User, node: GridNode, sums: Breakdown, live: Breakdown) -> list[ChildRow]:
    """Every visible child with its KPIs, zero where it has no events (one query for the children; none for a
    grid)."""
    if kpis.CHILD_COLUMN[node.kind] is None:
        return []
    return [
        ChildRow(node=c, kpis=_kpis(sums.of(sums.by_child, c.pk), live.of(live.by_child, c.pk)))
        for c in child_nodes(actor=actor, node=node)
    ]


def category_kpis(sums: Breakdown, live: Breakdown) -> list[dict]:
    """KPIs per main category (大类), biggest first."""
    out = []
    for main, row in sums.by_category.items():
        kpi = _kpis(row, live.of(live.by_category, main))
        kpi["category__parent_id"] = main
        kpi["category__parent__name"] = sums.category_names.get(main) or ""
        out.append(kpi)
    return sorted(out, key=lambda r: (-r["events"], r["category__parent__name"]))


TRUNC_DAY = {"week": TruncWeek, "month": TruncMonth}


def trend(rows, period: str) -> list[dict]:
    """Counts and rates per day, week (from Monday) or month of reporting (one query; "overdue now" and
    "paused" are not split by period). `rows` must be day rows for a trend by day or week (`by_day`)."""
    if period in TRUNC_DAY:
        rows = rows.annotate(period=TRUNC_DAY[period]("day"))
    else:
        rows = rows.annotate(period=F("day"))
    out = []
    for row in rows.order_by().values("period").annotate(**rollups.sum_expressions()).order_by("period"):
        start = row["period"]
        if isinstance(start, dt.datetime):
            start = start.date()
        out.append({**_kpis(row, {}), "period": start})
    return out


def dashboard(*, actor: User, node: GridNode, filters: DashboardFilters, now: dt.datetime | None = None) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries, from the pre-aggregated rows (docs/bench.md)."""
    now = now or timezone.now()
    events = node_events(actor=actor, node=node, filters=filters)
    rows = rollup_rows(actor=actor, node=node, filters=filters)
    trend_rows = rows if filters.period == "month" else rollup_rows(actor=actor, node=node, filters=filters, by_day=True)
    live = live_counts(events, node, now)
    sums = rollup_sums(rows, node)
    totals, statuses = totals_and_statuses(sums, live)
    return Dashboard(
        node=node,
        filters=filters,
        now=now,
        path=node_path(node),
        totals=totals,
        children=children_kpis(actor=actor, node=node, sums=sums, live=live),
        categories=category_kpis(sums, live),
        statuses=statuses,
        trend=trend(trend_rows, filters.period),
        overdue=overdue_list(events, now=now),
        next_deadline=live.next_deadline,
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

