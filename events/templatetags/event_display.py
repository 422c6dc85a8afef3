"""The deadline badge every list of events shows (list, 待办, detail), as a tag rather than an include."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from yaohai.core.templatetags.display import minute, short_minute

from ..calendar import CALENDAR_TZ, year_is_known
from ..choices import Status

register = template.Library()

# Which deadline the event's current one is, by its status: accepting, handling (dispatch through rework), checking.
STAGE_OF_STATUS = {
    Status.REPORTED: pgettext_lazy("deadline", "Accept by"),
    Status.ACCEPTED: pgettext_lazy("deadline", "Handle by"),
    Status.DISPATCHED: pgettext_lazy("deadline", "Handle by"),
    Status.IN_PROGRESS: pgettext_lazy("deadline", "Handle by"),
    Status.REWORK: pgettext_lazy("deadline", "Handle by"),
    Status.HANDLED: pgettext_lazy("deadline", "Verify by"),
}


@register.simple_tag
def deadline_badge(event) -> str:
    """Which deadline (受理/处置/核查) and when, red when overdue, amber when near (as the sweep marked them),
    nothing without a deadline."""
    if not event.due_at:
        return ""
    if event.is_overdue:
        css, marker, prefix = "text-bg-danger", ' data-overdue="1"', _("Overdue") + " · "
    elif event.is_near_deadline:
        css, marker, prefix = "text-bg-warning", ' data-near="1"', _("Due soon") + " · "
    else:
        css, marker, prefix = "text-bg-light border", "", ""
    stage = STAGE_OF_STATUS.get(event.status, pgettext_lazy("deadline", "Due"))
    # The year is shown when it is not this year's (a deadline in January seen in December).
    same_year = timezone.localtime(event.due_at).year == timezone.localdate().year
    badge = format_html(
        '<span class="badge {}" data-testid="deadline"{}>{}{} {}</span>',
        css,
        mark_safe(marker),  # one of the two constants above
        prefix,
        stage,
        short_minute(event.due_at) if same_year else minute(event.due_at),
    )
    if year_is_known(event.due_at.astimezone(CALENDAR_TZ).year):
        return badge
    # That year's holidays and 调休 are not loaded yet: the deadline counted Monday–Friday only (events.calendar).
    return format_html(
        '{} <span class="badge text-bg-secondary" data-testid="weekdays-only" title="{}">{}</span>',
        badge,
        _("The working calendar for this year is not loaded: the deadline counts Monday–Friday only."),
        _("Mon–Fri only"),
    )
