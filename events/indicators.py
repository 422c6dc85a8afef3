"""The events app's indicators of the monthly assessment, registered with yaohai.core.indicators (the assessment
app weights them by each tenant's scheme): how the month's events are counted, and the six indicators made of
those counts, each with its written definition (docs/assessment.md repeats them).

One pass over the month's events: per (grid, reporter), the conditional counts in one GROUP BY with
`COUNT(*) FILTER (WHERE …)` per indicator (the Q expressions of events.kpis where they exist), read index-only from
`event_assessment_month`; on-time acceptance compares the event's first answer (`Event.answered_at`, kept by the
accept/reject services) with its deadline, so the log is not read. A grid's counts are its reporters' rows added
up; a grid worker's reporting volume is their own row (the other indicators are their grid's: the worker follows
every event of the grid).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from yaohai.core.indicators import CountSource, Indicator, MonthCounts, month_bounds, register

from . import kpis
from .choices import OPEN_STATUSES, Status
from .kpis import CountWhere
from .models import Event


def month_events(tenant_id: int, month: dt.date):
    start, end = month_bounds(month)
    return Event.objects.filter(tenant_id=tenant_id, created_at__gte=start, created_at__lt=end)


def answered_on_time_q() -> Q:
    """Events accepted or rejected by their acceptance deadline: their first answer (`answered_at`, which the
    accept and reject services set once) no later than `accept_due` — the same as "a step in their log no later
    than `accept_due`", without reading the log."""
    return Q(answered_at__lte=F("accept_due"))


def passed_deadline_q(as_of: dt.datetime) -> Q:
    """Events that passed a deadline: escalated, closed after the verification deadline, or open past the
    current deadline at `as_of` with the clock running."""
    return (
        Q(escalation_level__gt=0)
        | Q(status=Status.CLOSED, verify_due__isnull=False, closed_at__gt=F("verify_due"))
        | Q(status__in=OPEN_STATUSES, due_at__lte=as_of, paused_at__isnull=True)
    )


def event_counts(tenant_id: int, month: dt.date, as_of: dt.datetime) -> MonthCounts:
    """One pass over the month's events: every conditional count per (grid, reporter) in one GROUP BY query.

    Answers the counts per grid (the reporters' rows added up) and the reporting volume per (reporter, grid)."""
    has_accept_deadline = Q(accept_due__isnull=False) & ~Q(status=Status.REPORTED, accept_due__gt=as_of)
    rows = (
        month_events(tenant_id, month)
        .order_by()
        .values("grid_id", "reporter_id")
        .annotate(
            events=Count("*"),
            rejected=CountWhere(Q(status=Status.REJECTED)),
            answerable=CountWhere(has_accept_deadline),
            answered_on_time=CountWhere(has_accept_deadline & answered_on_time_q()),
            closed=CountWhere(Q(status=Status.CLOSED)),
            closed_on_time=CountWhere(kpis.on_time_q()),
            handed_in=CountWhere(kpis.went_through_handling_q()),
            reworked=CountWhere(kpis.went_through_handling_q() & kpis.reworked_q()),
            overdue=CountWhere(~Q(status=Status.REJECTED) & passed_deadline_q(as_of)),
            rated=CountWhere(kpis.rated_q()),
            satisfied=CountWhere(kpis.satisfied_q()),
        )
        .order_by()
    )
    by_grid: dict[int, dict] = defaultdict(dict)
    by_worker: dict[tuple[int, int], dict] = {}
    for row in rows:
        grid_id, reporter_id = row.pop("grid_id"), row.pop("reporter_id")
        row["valid"] = row["events"] - row["rejected"]
        row["reported"] = row["valid"]  # a node's volume: every valid event, whoever reported it
        by_worker[(reporter_id, grid_id)] = {"reported": row["valid"]}  # a worker's volume: their own
        counts = by_grid[grid_id]
        for key, value in row.items():
            counts[key] = counts.get(key, 0) + value
    return MonthCounts(by_grid=dict(by_grid), by_worker=by_worker)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "reporting_volume",
        _("Reporting volume"),
        _("Events reported in the month. Numerator: for a grid worker, the events they reported at that grid; "
          "for a node, every event reported in its subtree (any source). Rejected events (duplicate, out of "
          "scope, invalid) are excluded. Denominator: the monthly target per grid worker times the number of "
          "grids (1 for a worker or a grid). Points = 100 × numerator ÷ denominator, at most 100."),
        numerator="reported",
        needs_target=True,
        default_weight=20,
        default_target=20,
    ),
    Indicator(
        "on_time_acceptance",
        _("On-time acceptance"),
        _("On-time acceptance rate = events answered (accepted or rejected) by their acceptance deadline ÷ events "
          "with an acceptance deadline, among the events reported in the month at the grid or in the node's "
          "subtree. Excluded: events handled on the spot (no acceptance step) and events still waiting whose "
          "deadline has not passed when the month is scored. Points = the rate (0–100)."),
        numerator="answered_on_time",
        denominator="answerable",
        default_weight=20,
    ),
    Indicator(
        "on_time_closure",
        _("On-time closure"),
        _("On-time closure rate (按期结案率) = closed events that never passed a deadline ÷ closed events, among "
          "the events reported in the month. On time: never escalated and closed by the verification deadline; "
          "events handled on the spot count as on time. Open and rejected events are excluded. Points = the "
          "rate (0–100)."),
        numerator="closed_on_time",
        denominator="closed",
        default_weight=25,
    ),
    Indicator(
        "rework",
        _("Rework"),
        _("Rework rate (返工率) = events sent back for rework at least once ÷ events a handling unit handed in "
          "(now handled, in rework or closed), among the events reported in the month. Events handled on the "
          "spot, rejected events and events not yet handed in are excluded. Points = 100 − the rate."),
        numerator="reworked",
        denominator="handed_in",
        rule="complement",
        default_weight=15,
    ),
    Indicator(
        "overdue",
        _("Overdue"),
        _("Overdue rate = events that passed a deadline ÷ events reported in the month less rejected ones. Passed "
          "a deadline: escalated, or closed after the verification deadline, or still open past the current "
          "deadline when the month is scored (a paused clock is not overdue). Points = 100 − the rate."),
        numerator="overdue",
        denominator="valid",
        rule="complement",
        default_weight=20,
    ),
    Indicator(
        "satisfaction",
        _("Resident satisfaction"),
        _("Resident satisfaction (群众满意度) = events rated satisfied or basically satisfied ÷ rated events, among "
          "the events reported in the month. A rating is the resident's own, given once her report is closed, or "
          "the follow-up call's (回访) for hotline and walk-in events. Unrated events are excluded. Points = the "
          "rate (0–100). Its default weight stays 0 until a district gives it one."),
        numerator="satisfied",
        denominator="rated",
        default_weight=0,
    ),
)


def register_indicators() -> None:
    """Called from EventsConfig.ready()."""
    register(CountSource(key="events", count=event_counts, worker_keys=("reported",)), *INDICATORS)
