"""The care-visit sweep: the schedule of every care-list member stored as the working calendar gives it (due day,
overdue since), and a reminder to the grid's workers for each member overdue — once per due day.

A database sweep like the events' deadline sweep (registry.tasks.sweep_care_visits, on the beat every hour): it
reads every current member, so a run missed while the broker was down is caught up by the next, and a second run
finds nothing to change. A visit, and a new member, refresh their rows at once (`refresh`). The flags are derived
from the visits and the calendar, so they leave no audit row; the reminders are the workers' own inbox.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q, Subquery
from django.utils import timezone

from events.calendar import WorkingCalendar, shared_calendar
from grids.selectors import holders_by_node

from . import rights as registry_rights
from .models import CareListMember, VisitReminder
from .schedule import due_date, member_visits

BATCH = 1000


@dataclass
class SweepResult:
    members: int = 0
    changed: int = 0
    overdue: int = 0
    reminded: int = 0
    resolved: int = 0


def last_visit() -> Subquery:
    """The member's (OuterRef) last visit that counts (registry.schedule.member_visits)."""
    return Subquery(member_visits().order_by("-visited_on").values("visited_on")[:1])


@transaction.atomic
def _refresh_batch(members: list[CareListMember], today: dt.date, calendar: WorkingCalendar,
                   result: SweepResult) -> None:
    changed, overdue = [], []
    for member in members:
        due = due_date(member.last_visit or member.since, member.care_list.visit_every_days, calendar)
        late = due + dt.timedelta(days=1) if due < today else None
        if (member.due_on, member.overdue_since) != (due, late):
            member.due_on, member.overdue_since = due, late
            changed.append(member)
        if late is not None:
            overdue.append(member)
    CareListMember.objects.bulk_update(changed, ["due_on", "overdue_since"])
    result.changed += len(changed)
    result.overdue += len(overdue)
    workers = holders_by_node({m.grid_id for m in overdue}, on=today, right=registry_rights.EDIT)
    reminders = [VisitReminder(user_id=user, member=m, due_on=m.due_on)
                 for m in overdue for user in sorted(workers.get(m.grid_id, ()))]
    if reminders:
        known = VisitReminder.objects.filter(member__in=overdue)
        before = known.count()
        VisitReminder.objects.bulk_create(reminders, ignore_conflicts=True)
        result.reminded += known.count() - before


def refresh(members, *, now: dt.datetime | None = None, result: SweepResult | None = None) -> SweepResult:
    """Store the schedule of these members (a queryset of CareListMember) and remind of the overdue, in batches
    by id; then resolve the reminders that no longer hold."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = shared_calendar()
    result = result or SweepResult()
    rows = members.filter(until__isnull=True, resident__status="living").select_related("care_list").annotate(
        last_visit=last_visit()
    ).only("id", "since", "due_on", "overdue_since", "grid_id", "care_list__visit_every_days")
    last_id = 0
    while True:
        batch = list(rows.filter(pk__gt=last_id).order_by("pk")[:BATCH])
        if not batch:
            break
        result.members += len(batch)
        _refresh_batch(batch, today, calendar, result)
        last_id = batch[-1].pk
    result.resolved += resolve_reminders(now=now)
    return result


def resolve_reminders(*, now: dt.datetime) -> int:
    """Reminders whose member is no longer overdue for that due day (visited, off the list, moved away)."""
    stale = VisitReminder.objects.filter(resolved_at__isnull=True).filter(
        Q(member__overdue_since__isnull=True) | ~Q(member__due_on=F("due_on")) | Q(member__until__isnull=False)
        | ~Q(member__resident__status="living")
    )
    return VisitReminder.objects.filter(pk__in=stale.values("pk")).update(resolved_at=now)


def sweep_care_visits(*, now: dt.datetime | None = None) -> SweepResult:
    """Every current member's schedule, the reminders of the overdue; members who left a list lose their flag."""
    now = now or timezone.now()
    result = SweepResult()
    left = CareListMember.objects.filter(overdue_since__isnull=False).filter(
        Q(until__isnull=False) | ~Q(resident__status="living")
    )
    CareListMember.objects.filter(pk__in=left.values("pk")).update(overdue_since=None)
    return refresh(CareListMember.objects.all(), now=now, result=result)


def open_reminders(*, actor) -> int:
    """The actor's reminders not yet resolved (her menu's badge)."""
    return VisitReminder.objects.filter(user=actor, resolved_at__isnull=True).count()
