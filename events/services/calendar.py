"""Loading a year of the working calendar from the State Council's published schedule."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import services as audit
from grids.models import User

from ..calendar import calendar_changed
from ..calendar_schedule import Schedule
from ..models import CalendarDay


@transaction.atomic
def load_calendar_year(*, actor: User | None, schedule: Schedule) -> int:
    """Write every day of the schedule's year (replacing that year's rows), all or nothing; returns the count.

    The calendar is the whole platform's (the schedule is national), so only a platform admin loads it."""
    if actor is not None and not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("Only a platform administrator loads the working calendar."))
    if not schedule.ok:
        raise ValidationError([str(error) for error in schedule.errors] or [_("The schedule names no year.")])
    rows = [CalendarDay(date=day, is_workday=is_workday, note=note) for day, is_workday, note in schedule.days()]
    CalendarDay.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["date"], update_fields=["is_workday", "note"]
    )
    calendar_changed()  # bulk_create sends no post_save: drop the process's copy of the calendar
    audit.record("events.calendar.load", None, actor=actor, tenant_id=0, summary={"days": len(rows)})
    return len(rows)
