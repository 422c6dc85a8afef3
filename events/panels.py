"""The events app's panels of a node's page (驾驶舱), registered with dashboards.registry: the KPI cards, the
trend, the breakdowns by status and by category, the children's map and ranking, the overdue list — and the reads
they are built from (the event rollups stay in events.rollups).

Every read starts from the actor's scope (`visible_to`). The counts come from the pre-aggregated rows of
events.rollups (one row per child, main category and day), so a panel sums at most children × 6 × days rows
instead of reading every event; "overdue now" and "paused" are counted live from the open events. The number of
queries is fixed (one per panel) whatever the number of events. The KPIs themselves are defined in events.kpis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, Q, Subquery
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils.translation import gettext_lazy as _

from dashboards.filters import DashboardFilters
from dashboards.nodes import child_nodes
from dashboards.registry import Panel, PanelExport, register
from grids.models import GridNode, User
from grids.querysets import ScopedQuerySetMixin

from . import kpis, rollups, selectors
from . import panel_display as display
from .choices import OPEN_STATUSES, Status
from .models import Event, EventRollup
from .panel_display import OVERDUE_LIMIT


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
    not models; the .xlsx sheet reads overdue_events)."""
    chosen = events.filter(status__in=OPEN_STATUSES, due_at__lte=now).order_by("due_at", "id")
    rows = Event.objects.filter(pk__in=Subquery(chosen.values("pk")[:OVERDUE_LIMIT])).order_by("due_at", "id")
    return selectors.list_rows(rows, OVERDUE_LIMIT)


@dataclass
class ChildRow:
    node: GridNode
    kpis: dict


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


LIVE_COLUMNS = ("overdue", "paused", "rated", "satisfied")


@dataclass
class LiveCounts(Breakdown):
    """"Overdue now" and "paused", and the nearest deadline still ahead: until then, "overdue now" and the overdue
    list stay as counted (dashboards.cache keeps a page no longer)."""

    next_deadline: dt.datetime | None = None


def live_counts(events, node: GridNode | None, now: dt.datetime, *, column: str | None = None) -> LiveCounts:
    """"Overdue now" and "paused" change with the clock, so they are counted from the open events: one GROUP BY
    over the open events in the range (a partial index holds them), by child and main category. `column` groups
    by another stamp instead of the node's children (the city level: `district_id`, with no node)."""
    column = column or kpis.CHILD_COLUMN[node.kind]
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
        live.add({**row, "rated": 0, "satisfied": 0}, column)
        if row["next_deadline"] is not None and (live.next_deadline is None or row["next_deadline"] < live.next_deadline):
            live.next_deadline = row["next_deadline"]
    # 群众满意度 (kpis.rated_q / satisfied_q): a rating comes after closure and changes no rollup; counted here,
    # over the rated events of the range only (one more GROUP BY).
    ratings = (
        events.filter(kpis.rated_q()).order_by().values(*keys)
        .annotate(rated=Count("*"), satisfied=kpis.CountWhere(kpis.satisfied_q()))
    )
    for row in ratings:
        live.add({**row, "overdue": 0, "paused": 0}, column)
    return live


def rollup_sums(rows, node: GridNode | None, *, by: str | None = None) -> Breakdown:
    """The counters of the range's rollup rows summed per child and main category (with its name), in one query;
    the KPI cards, the status breakdown, the children's and the categories' KPIs are all added up from it. `by`
    sums per another column of the rows instead of the node's children (the city level: `parent_id`, the
    district of its streets' rows, with no node)."""
    child_key = by or ("node_id" if kpis.CHILD_COLUMN[node.kind] else None)
    sums = Breakdown(rollups.COLUMNS)
    grouped = rows.order_by().values(child_key or "node_id", "main_category_id", "main_category__name")
    for row in grouped.annotate(**rollups.sum_expressions()):
        sums.add(row, child_key)
        sums.category_names[row["main_category_id"]] = row["main_category__name"]
    return sums


def derive_kpis(sums: dict, live: dict) -> dict:
    """The KPIs of one row of the rollup sums and the live counts."""
    return kpis.derive({**rollups.kpi_row(sums), **live})


def totals_and_statuses(sums: Breakdown, live: Breakdown) -> tuple[dict, list[dict]]:
    """The KPI cards and the status breakdown."""
    statuses = [{"status": s.value, "label": s.label, "events": sums.total[f"s_{s.value}"]} for s in Status]
    return derive_kpis(sums.total, live.total), statuses


def children_kpis(*, actor: User, node: GridNode, sums: Breakdown, live: Breakdown) -> list[ChildRow]:
    """Every visible child with its KPIs, zero where it has no events (one query for the children; none for a
    grid)."""
    if kpis.CHILD_COLUMN[node.kind] is None:
        return []
    return [
        ChildRow(node=c, kpis=derive_kpis(sums.of(sums.by_child, c.pk), live.of(live.by_child, c.pk)))
        for c in child_nodes(actor=actor, node=node)
    ]


def category_kpis(sums: Breakdown, live: Breakdown) -> list[dict]:
    """KPIs per main category (大类), biggest first."""
    out = []
    for main, row in sums.by_category.items():
        kpi = derive_kpis(row, live.of(live.by_category, main))
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
        out.append({**derive_kpis(row, {}), "period": start})
    return out


# The panels. Their reads are shared through the page's request: the KPI cards, the statuses, the categories and
# the children's ranking and map all add up the same two queries (the rollup sums and the live counts).

DASHBOARD = "events.dashboard"  # the export kind of the panels' sheets (events.exports builds it)


def _events(request):
    return request.shared(
        "events.events", lambda: node_events(actor=request.actor, node=request.node, filters=request.filters)
    )


def _sums(request) -> Breakdown:
    return request.shared(
        "events.sums",
        lambda: rollup_sums(rollup_rows(actor=request.actor, node=request.node, filters=request.filters), request.node),
    )


def _live(request) -> LiveCounts:
    return request.shared("events.live", lambda: live_counts(_events(request), request.node, request.now))


def _children(request) -> list[ChildRow]:
    return request.shared(
        "events.children",
        lambda: children_kpis(actor=request.actor, node=request.node, sums=_sums(request), live=_live(request)),
    )


def build_kpis(request) -> dict:
    live = _live(request)
    totals, _statuses = totals_and_statuses(_sums(request), live)
    return {"totals": totals, "next_deadline": live.next_deadline}


def build_statuses(request) -> list[dict]:
    return totals_and_statuses(_sums(request), _live(request))[1]


def build_trend(request) -> list[dict]:
    filters = request.filters
    if filters.period == "month":
        rows = rollup_rows(actor=request.actor, node=request.node, filters=filters)
    else:
        rows = rollup_rows(actor=request.actor, node=request.node, filters=filters, by_day=True)
    return trend(rows, filters.period)


def build_categories(request) -> list[dict]:
    return category_kpis(_sums(request), _live(request))


def build_children(request) -> list[ChildRow] | None:
    """The children with their KPIs; None (no map, no ranking) for a grid or a node without visible children."""
    return _children(request) or None


def build_overdue(request) -> list[selectors.ListRow]:
    return overdue_list(_events(request), now=request.now)


def register_panels() -> None:
    """Called from EventsConfig.ready(): the events' panels of every node's page."""
    every_write = ("events",)  # a write of an event under the node retires the page (events.services)
    # All but the overdue list are counts (aggregate=True): the city level may show them; the list names events.
    register(Panel(
        key="events.kpis", aggregate=True, build=build_kpis, present=display.kpis_, order=10, invalidated_by=every_write,
        template="events/dashboard/kpis.html", screen_template="events/dashboard/_cards.html",
        valid_until=lambda data: data["next_deadline"],  # "overdue now" moves with the clock alone
    ))
    register(Panel(
        key="events.trend", aggregate=True, build=build_trend, present=display.trend, order=20, invalidated_by=every_write,
        template="events/dashboard/trend.html", screen_template="events/dashboard/screen_trend.html",
    ))
    register(Panel(
        key="events.statuses", aggregate=True, build=build_statuses, present=display.statuses, order=30,
        invalidated_by=every_write,
        template="events/dashboard/statuses.html", screen_template="events/dashboard/screen_statuses.html",
    ))
    register(Panel(
        key="events.map", aggregate=True, build=build_children, present=display.children_map, order=40, invalidated_by=every_write,
        template="events/dashboard/map.html", screen_template="events/dashboard/screen_map.html",
    ))
    register(Panel(
        key="events.categories", aggregate=True, build=build_categories, present=display.categories, order=50,
        invalidated_by=every_write,
        template="events/dashboard/categories.html", screen_template="events/dashboard/screen_categories.html",
        exports=(PanelExport("categories", DASHBOARD, _("KPIs by category")),),
    ))
    register(Panel(
        key="events.ranking", aggregate=True, build=build_children, present=display.ranking, order=60, invalidated_by=every_write,
        template="events/dashboard/ranking.html", screen_template="events/dashboard/screen_ranking.html",
        exports=(PanelExport("children", DASHBOARD, _("Children's KPIs")),),
    ))
    register(Panel(
        key="events.overdue", build=build_overdue, present=display.overdue, order=70, invalidated_by=every_write,
        template="events/dashboard/overdue.html", screen_template="events/dashboard/screen_overdue.html",
        exports=(PanelExport("overdue", DASHBOARD, _("Overdue events")),),
    ))
