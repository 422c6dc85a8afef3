"""The deadline badge every list of events shows (list, 待办, detail), as a tag rather than an include."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
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


def _detail_urls():
    """The detail page's address for any event id, from one `reverse` (a list reversed it 50 times a page)."""
    marker = 987654321
    before, after = reverse("events:detail", args=[marker]).split(str(marker))
    return lambda pk: f"{before}{pk}{after}"


_ROW = (
    '<tr class="{}" data-testid="event-row">\n'
    '      <td><a href="{}">{}</a> <span class="d-md-none">{}</span></td>\n'
    '      <td class="d-none d-md-table-cell">{}</td>\n'
    '      <td class="small">{}/{}</td>\n'
    '      <td class="small">{}/{}</td>\n'
    '      <td><span class="badge text-bg-secondary">{}</span>{}</td>\n'
    "      <td>{}</td>\n"
    '      <td class="small">{}{}</td>\n'
    '      <td class="small">{}</td>\n'
    "    </tr>\n"
)


@register.simple_tag
def event_rows(events) -> str:
    """The officers' list's rows (templates/events/list.html), written in one pass rather than ~15 template nodes
    a row: the 50 rows of a page took about a third of the page's time through the template engine."""
    url = _detail_urls()
    return format_html_join(
        "",
        _ROW,
        (
            (
                "table-danger" if e.is_overdue else "table-warning" if e.is_near_deadline else "",
                url(e.pk), e.reference, e.title,
                e.title,
                e.category_parent_name or "", e.category_name,
                e.node_parent_name or "", e.node_name,
                e.status_label,
                format_html(' <span class="badge text-bg-danger">↑{}</span>', e.escalation_level)
                if e.escalation_level else "",
                deadline_badge(e),
                e.unit_name or "", format_html(" {}", e.handler_name) if e.current_handler_id else "",
                minute(e.created_at),
            )
            for e in events
        ),
    )


_TODO_ITEM = (
    '<a class="list-group-item list-group-item-action{}" href="{}" data-testid="todo-item">\n'
    '    <div class="d-flex justify-content-between"><strong>{}</strong>{}</div>\n'
    '    <div class="small text-muted">{} · {}/{} · {} · <span class="badge text-bg-secondary">{}</span></div>\n'
    "  </a>\n"
)


@register.simple_tag
def todo_items(events) -> str:
    """待办's entries (templates/events/todo.html), in one pass as `event_rows`."""
    url = _detail_urls()
    return format_html_join(
        "",
        _TODO_ITEM,
        (
            (
                " list-group-item-danger" if e.is_overdue else " list-group-item-warning" if e.is_near_deadline else "",
                url(e.pk), e.title, deadline_badge(e),
                e.reference, e.category_parent_name or "", e.category_name, e.node_name, e.status_label,
            )
            for e in events
        ),
    )
