"""The working calendar on pages: the notice that a year's schedule is missing (tenant and platform admins), and
the note beside a deadline that falls in a year whose holidays are not known (Monday–Friday only)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..calendar import CALENDAR_TZ, calendar_missing_years, year_is_known

register = template.Library()


def _now():
    return timezone.now()


@register.inclusion_tag("includes/calendar_notice.html", takes_context=True)
def calendar_notice(context) -> dict:
    """From November (and all year while this year's schedule is missing): admins are told which years' holidays
    and 调休 are not loaded, so deadlines there count Monday–Friday only."""
    request = context.get("request")
    user = getattr(request, "user", None)
    is_admin = bool(user and user.is_active and (user.is_superuser or getattr(user, "is_tenant_admin", False)))
    return {
        "missing_years": calendar_missing_years(_now()) if is_admin else [],
        "can_load": bool(user and user.is_active and user.is_superuser),
    }


@register.filter
def weekdays_only(moment) -> bool:
    """Whether a deadline falls in a year whose schedule is missing (counted Monday–Friday only)."""
    if not moment:
        return False
    return not year_is_known(moment.astimezone(CALENDAR_TZ).year)
