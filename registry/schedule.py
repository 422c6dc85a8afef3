"""The care-list visiting schedule on the Chinese working calendar (events.calendar: the one the deadlines use).

A member of a care list is due a visit `visit_every_days` calendar days after her last visit (made to a household
she belonged to that day, since she joined the list) or after joining; a due day that falls on a rest day — a
weekend, a public holiday — moves to the next working day, and a 调休 weekend that is worked counts as a working
day. She is overdue from the day after the due day.

The same rule answers "on time at a moment" set-based, for the dashboard panel and the assessment's indicator
(`on_time_q`): with `t` the day after the last working day before the cut-off, a member is not overdue at the
cut-off when her schedule started on or after `t − visit_every_days`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q

from events.calendar import WorkingCalendar, shared_calendar

from .models import CareList, Visit

MAX_REST_DAYS = 30  # no run of rest days is longer (the Spring Festival is eight or nine)


def next_working_day(day: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    calendar = calendar or shared_calendar()
    for _ in range(MAX_REST_DAYS):
        if calendar.is_workday(day):
            return day
        day += dt.timedelta(days=1)
    return day


def due_date(start: dt.date, every_days: int, calendar: WorkingCalendar | None = None) -> dt.date:
    """When a member whose schedule started on `start` (last visit, or joining the list) is due again."""
    return next_working_day(start + dt.timedelta(days=every_days), calendar)


def state_of(due_on: dt.date, today: dt.date, soon_days: int = 3) -> str:
    """overdue (the due day has passed), due (within `soon_days`), or later."""
    if due_on < today:
        return "overdue"
    return "due" if due_on <= today + dt.timedelta(days=soon_days) else "later"


def on_time_threshold(cutoff: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
    """The earliest (start + interval) whose due day is not before `cutoff`: the day after the last working day
    before it (rest days just before the cut-off carry a due day forward past it)."""
    calendar = calendar or shared_calendar()
    day = cutoff - dt.timedelta(days=1)
    for _ in range(MAX_REST_DAYS):
        if calendar.is_workday(day):
            break
        day -= dt.timedelta(days=1)
    return day + dt.timedelta(days=1)


def member_visits():
    """Visits that count for a care-list member (OuterRef): to a household she belonged to on the visit's day,
    since she joined the list."""
    return Visit.objects.filter(
        Q(household__members__left_on__isnull=True) | Q(household__members__left_on__gte=F("visited_on")),
        household__members__resident_id=OuterRef("resident_id"),
        household__members__joined_on__lte=F("visited_on"),
    ).filter(visited_on__gte=OuterRef("since"))


def visited_since(start: dt.date, cutoff: dt.date) -> Exists:
    """The member (OuterRef) had a visit that counts between `start` and `cutoff`."""
    return Exists(member_visits().filter(visited_on__gte=start, visited_on__lte=cutoff))


def on_list_at(cutoff: dt.date) -> Q:
    """Members of a list on `cutoff` (who were still living: a member who died or moved out leaves the lists)."""
    return Q(since__lte=cutoff) & (Q(until__isnull=True) | Q(until__gt=cutoff)) & Q(resident__status="living")


def on_time_q(tenant_id: int, cutoff: dt.date, calendar: WorkingCalendar | None = None) -> Q:
    """Care-list members not overdue on `cutoff` (one branch per care list of the tenant, each an index probe)."""
    threshold = on_time_threshold(cutoff, calendar)
    q = Q(pk__in=[])
    for pk, every in CareList.objects.filter(tenant_id=tenant_id).values_list("pk", "visit_every_days"):
        start = threshold - dt.timedelta(days=every)
        q |= Q(care_list_id=pk) & (Q(since__gte=start) | visited_since(start, cutoff))
    return q
