"""The deadline badge every list of events shows (list, 待办, detail), as a tag rather than an include."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from yaohai.core.templatetags.display import short_minute

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
    return format_html(
        '<span class="badge {}" data-testid="deadline"{}>{}{}</span>',
        css,
        mark_safe(marker),  # one of the two constants above
        prefix,
        short_minute(event.due_at),
    )
