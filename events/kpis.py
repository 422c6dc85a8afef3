"""Event KPIs as code: each definition says its numerator, denominator and exclusions, and is computed in SQL.

Every KPI is built from a handful of conditional counts (`COUNT(*) FILTER (WHERE ...)`) and one average, evaluated
in one aggregate query over an Event queryset — the whole set, or grouped by a child level's stamp column, a
category, a status or a period. The rates are then divided in Python from those few numbers (never by looping
over events). docs/kpis.md says the same in prose; the dashboard's tooltips show `Kpi.definition`.

The population is always "events reported in the chosen date range" (by `created_at`, in Asia/Shanghai), read
through the actor's scope by the caller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Aggregate, Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.expressions import Star
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import OPEN_STATUSES, SATISFIED_LEVELS, Status
from .models import Category

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The child level a node's dashboard groups by: the stamp column of the level below.
CHILD_COLUMN = {"district": "street_id", "street": "community_id", "community": "grid_id", "grid": None}

PERIODS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}

HANDLED_STATUSES = (Status.HANDLED, Status.REWORK, Status.CLOSED)
DISPATCHED_STATUSES = (Status.DISPATCHED, Status.IN_PROGRESS, *HANDLED_STATUSES)


@dataclass(frozen=True)
class Kpi:
    """One indicator: its key, label, measure ("count", "percent", "hours") and the written definition."""

    key: str
    label: Promise
    measure: str
    definition: Promise
    available: bool = True

    @property
    def is_rate(self) -> bool:
        return self.measure == "percent"


class CountWhere(Count):
    """`COUNT(*) FILTER (WHERE condition)`: Django's Count refuses a star with a filter, and COUNT(*) skips the
    per-row null check COUNT(id) makes (both PostgreSQL and SQLite ≥ 3.30 support FILTER)."""

    def __init__(self, condition: Q):
        Aggregate.__init__(self, Star(), filter=condition)


# ---------------------------------------------------------------------------------------------------------
# The conditional counts every KPI is made of
# ---------------------------------------------------------------------------------------------------------


def reworked_q() -> Q:
    """Events that failed verification at least once (`rework_count`, kept by the verify step)."""
    return Q(rework_count__gt=0)


def extended_q() -> Q:
    """Events given more time at least once (`extension_count`, kept when a request is approved)."""
    return Q(extension_count__gt=0)


def dispatched_q() -> Q:
    """Events that went to a handling unit (now dispatched or later in the workflow), not fixed on the spot."""
    return Q(status__in=DISPATCHED_STATUSES, handled_on_spot=False)


def on_time_q() -> Q:
    """Closed without ever passing a deadline: never escalated, and closed by the verification deadline.

    An event handled on the spot has no deadline and counts as on time."""
    return Q(status=Status.CLOSED, escalation_level=0) & (
        Q(verify_due__isnull=True) | Q(closed_at__lte=F("verify_due"))
    )


def went_through_handling_q() -> Q:
    """Events a handling unit worked on and handed in (handled, sent back, or closed), not fixed on the spot."""
    return Q(status__in=HANDLED_STATUSES, handled_on_spot=False)


def aggregates(now: dt.datetime) -> dict:
    """The aggregate expressions of one KPI row; `now` decides what is overdue."""
    handling_time = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    return {
        "events": Count("*"),
        "rejected": CountWhere(Q(status=Status.REJECTED)),
        "open": CountWhere(Q(status__in=OPEN_STATUSES)),
        "closed": CountWhere(Q(status=Status.CLOSED)),
        "closed_on_time": CountWhere(on_time_q()),
        "went_through_handling": CountWhere(went_through_handling_q()),
        "reworked": CountWhere(went_through_handling_q() & reworked_q()),
        "dispatched": CountWhere(dispatched_q()),
        "extended": CountWhere(dispatched_q() & extended_q()),
        "paused": CountWhere(paused_q()),
        "overdue": CountWhere(overdue_q(now)),
        "avg_handling": Avg(handling_time, filter=Q(status=Status.CLOSED)),
        "rated": CountWhere(rated_q()),
        "satisfied": CountWhere(satisfied_q()),
    }


def rated_q() -> Q:
    """Events with a rating: the resident's own or the follow-up call's (回访)."""
    return ~Q(satisfaction="")


def satisfied_q() -> Q:
    """Rated satisfied or basically satisfied."""
    return Q(satisfaction__in=list(SATISFIED_LEVELS))


def paused_q() -> Q:
    """Open events whose clock is paused."""
    return Q(status__in=OPEN_STATUSES, paused_at__isnull=False)


def overdue_q(now: dt.datetime) -> Q:
    """Open events past their current deadline at `now`, unless their clock is paused."""
    return Q(status__in=OPEN_STATUSES, due_at__lte=now, paused_at__isnull=True)


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100.0 * numerator / denominator, 1) if denominator else None


def _seconds(avg) -> float | None:
    if isinstance(avg, dt.timedelta):
        return avg.total_seconds()
    if avg is not None:  # some backends hand back microseconds
        return float(avg) / 1e6
    return None


COUNTS = (
    "events", "rejected", "open", "closed", "closed_on_time", "went_through_handling", "reworked", "dispatched",
    "extended", "paused", "overdue", "rated", "satisfied",
)


def merge(rows: list[dict]) -> dict:
    """One row of counts from several (sums; the average handling time weighted by the closed counts)."""
    merged = {key: sum(r.get(key, 0) for r in rows) for key in COUNTS}
    weighted = [(_seconds(r.get("avg_handling")), r["closed"]) for r in rows]
    weighted = [(s, n) for s, n in weighted if s is not None and n]
    total = sum(n for _s, n in weighted)
    merged["avg_handling"] = dt.timedelta(seconds=sum(s * n for s, n in weighted) / total) if total else None
    return merged


def derive(row: dict) -> dict:
    """Add the rates and the hours to one row of counts (in place) and return it."""
    row["closure_rate"] = _rate(row["closed"], row["events"] - row["rejected"])
    row["on_time_rate"] = _rate(row["closed_on_time"], row["closed"])
    row["rework_rate"] = _rate(row.get("reworked", 0), row.get("went_through_handling", 0))
    avg = _seconds(row.get("avg_handling"))
    row["avg_handling_hours"] = round(avg / 3600, 1) if avg is not None else None
    row["extension_rate"] = _rate(row.get("extended", 0), row.get("dispatched", 0))
    row["satisfaction"] = _rate(row.get("satisfied", 0), row.get("rated", 0))
    return row


def totals(events, *, now: dt.datetime | None = None) -> dict:
    """One row of KPIs for the whole queryset (one query)."""
    return derive(events.order_by().aggregate(**aggregates(now or timezone.now())))


def grouped(events, *fields: str, now: dt.datetime | None = None) -> list[dict]:
    """One row of KPIs per distinct value of `fields` (one GROUP BY query)."""
    expressions = aggregates(now or timezone.now())
    rows = events.order_by().values(*fields).annotate(**expressions).order_by(*fields)
    return [derive(row) for row in rows]


def by_child(events, node, *, now: dt.datetime | None = None) -> dict[int, dict]:
    """KPIs per child of `node`, keyed by child id: grouped on the child level's stamp column (one query)."""
    column = CHILD_COLUMN[node.kind]
    if column is None:
        return {}
    rows = grouped(events, column, now=now)
    return {row[column]: row for row in rows if row[column] is not None}


def by_category(events, *, now: dt.datetime | None = None) -> list[dict]:
    """KPIs per main category (大类), biggest first (two queries).

    Grouped on the event's own `category_id` — a column the covering indexes hold, so no join with the
    categories — then the few subcategory rows are summed into their main category."""
    expressions = aggregates(now or timezone.now())
    rows = list(events.order_by().values("category_id").annotate(**expressions).order_by())
    mains, names = {}, {}
    if rows:
        subcategories = Category.objects.filter(pk__in=[r["category_id"] for r in rows])
        for pk, parent_id, parent_name, name in subcategories.values_list("id", "parent_id", "parent__name", "name"):
            mains[pk] = parent_id or pk
            names[parent_id or pk] = parent_name if parent_id else name
    by_main: dict[int | None, list[dict]] = {}
    for row in rows:
        by_main.setdefault(mains.get(row["category_id"]), []).append(row)
    out = []
    for main, parts in by_main.items():
        row = derive(merge(parts))
        row["category__parent_id"] = main
        row["category__parent__name"] = names.get(main, "")
        out.append(row)
    return sorted(out, key=lambda r: (-r["events"], r["category__parent__name"] or ""))


def by_status(events) -> list[dict]:
    """How many events are in each status, in workflow order (one query)."""
    counts = {r["status"]: r["n"] for r in events.order_by().values("status").annotate(n=Count("*")).order_by()}
    return [{"status": s.value, "label": s.label, "events": counts.get(s.value, 0)} for s in Status]


def by_period(events, period: str, *, now: dt.datetime | None = None) -> list[dict]:
    """KPIs per day, week (starting Monday) or month of reporting, in Asia/Shanghai (one query)."""
    trunc = PERIODS[period]("created_at", tzinfo=SHANGHAI)
    rows = (
        events.order_by()
        .annotate(period=trunc)
        .values("period")
        .annotate(**aggregates(now or timezone.now()))
        .order_by("period")
    )
    out = []
    for row in rows:
        start = row["period"]
        if isinstance(start, dt.datetime):
            start = start.astimezone(SHANGHAI).date()
        row["period"] = start
        out.append(derive(row))
    return out


# ---------------------------------------------------------------------------------------------------------
# The catalogue of KPIs, in the order the dashboard shows them
# ---------------------------------------------------------------------------------------------------------

KPIS: tuple[Kpi, ...] = (
    Kpi(
        "events",
        pgettext_lazy("kpi", "events"),  # 事件数; the model's plural "events" is 事件
        "count",
        _("Events reported in the date range. Numerator: every event whose reporting time falls in the range, "
          "whatever its status. No denominator. Nothing excluded."),
    ),
    Kpi(
        "open",
        _("open"),
        "count",
        _("Events reported in the range still in the workflow now: reported, accepted, dispatched, in progress, "
          "handled (waiting for the check) or in rework, paused ones included. Rejected and closed events are "
          "excluded."),
    ),
    Kpi(
        "closed",
        _("closed"),
        "count",
        _("Events reported in the range that are closed now (verified, or handled on the spot). Rejected "
          "events are not closed; a reopened event counts again only once it is closed again."),
    ),
    Kpi(
        "closure_rate",
        _("closure rate"),
        "percent",
        _("Closure rate (结案率) = closed events ÷ (events reported in the range − rejected events). Rejected "
          "events (duplicates, out of scope, invalid) are excluded from the denominator."),
    ),
    Kpi(
        "on_time_rate",
        _("on-time closure rate"),
        "percent",
        _("On-time closure rate (按期结案率) = closed events that never passed a deadline ÷ closed events. On "
          "time: never escalated for being overdue, and closed by the verification deadline (deadlines as moved "
          "by approved extensions; time while paused does not count). Events handled on the spot have no "
          "deadline and count as on time. Open and rejected events are excluded."),
    ),
    Kpi(
        "rework_rate",
        _("rework rate"),
        "percent",
        _("Rework rate (返工率) = events sent back for rework at least once (a failed verification in their log) "
          "÷ events a handling unit handed in (now handled, in rework or closed). Events handled on the spot, "
          "rejected events and events not yet handled are excluded."),
    ),
    Kpi(
        "extension_rate",
        _("extension rate"),
        "percent",
        _("Extension rate (延期率) = events given more time at least once (an approved extension request) ÷ "
          "events dispatched to a handling unit (now dispatched, in progress, handled, in rework or closed). "
          "Events handled on the spot, rejected events and events not yet dispatched are excluded; denied and "
          "pending requests do not count."),
    ),
    Kpi(
        "overdue",
        _("overdue now"),
        "count",
        _("Events reported in the range that are open now and past their current deadline (accept, handle or "
          "verify, counted in working time, moved by approved extensions). Closed and rejected events, and "
          "events whose clock is paused, are excluded."),
    ),
    Kpi(
        "avg_handling_hours",
        _("average handling time"),
        "hours",
        _("Average handling time = mean of (closed at − reported at), in calendar hours, over the closed events "
          "reported in the range. Open and rejected events are excluded; events handled on the spot count with "
          "their (near-zero) time."),
    ),
    Kpi(
        "satisfaction",
        _("satisfaction"),
        "percent",
        _("Resident satisfaction (群众满意度) = rated events rated satisfied or basically satisfied ÷ rated events, "
          "among the events reported in the range. A rating is the resident's own (she rates her report once it "
          "is closed) or the follow-up call's (回访, recorded by the grid worker for hotline and walk-in events). "
          "Unrated events are excluded."),
    ),
)

KPI_BY_KEY = {k.key: k for k in KPIS}

# The KPIs a ranking table or the map can be sorted or coloured by.
RANKABLE = tuple(k for k in KPIS if k.available)
