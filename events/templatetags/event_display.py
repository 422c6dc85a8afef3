"""The deadline badge every list of events shows (list, 待办, detail), as a tag rather than an include."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from yaohai.core.templatetags.display import short_minute

from ..calendar import CALENDAR_TZ, year_is_known

register = template.Library()


@register.simple_tag
def deadline_badge(event) -> str:
    """The deadline, red when overdue, amber when near (as the sweep marked them), nothing without a deadline."""
    if not event.due_at:
        return ""
    if event.is_overdue:
        css, marker, prefix = "text-bg-danger", ' data-overdue="1"', _("Overdue") + " · "
    elif event.is_near_deadline:
        css, marker, prefix = "text-bg-warning", ' data-near="1"', _("Due soon") + " · "
    else:
        css, marker, prefix = "text-bg-light border", "", ""
    badge = format_html(
        '<span class="badge {}" data-testid="deadline"{}>{}{}</span>',
        css,
        mark_safe(marker),  # one of the two constants above
        prefix,
        short_minute(event.due_at),
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
