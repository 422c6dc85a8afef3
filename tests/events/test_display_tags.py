"""The cheap time filters, the deadline tag and ListRow's status label give what the general-purpose ones did."""

import datetime as dt

from django.template import Context, Template
from django.utils import timezone, translation

from events.models import Event
from events.selectors import ListRow

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _render(source: str, **context) -> str:
    return Template("{% load display event_display %}" + source).render(Context(context))


def test_minute_is_local_time_to_the_minute():
    moment = dt.datetime(2026, 11, 25, 23, 30, 59, tzinfo=dt.UTC)  # 07:30 the next day in Shanghai
    with timezone.override("Asia/Shanghai"):
        assert _render("{{ t|minute }}|{{ t|short_minute }}", t=moment) == "2026-11-26 07:30|11-26 07:30"
        assert _render('{{ t|date:"Y-m-d H:i" }}', t=moment) == "2026-11-26 07:30"
    assert _render("{{ t|minute }}", t=None) == ""


def test_deadline_badge_marks_overdue_and_near_deadlines():
    due = dt.datetime(2026, 11, 27, 9, 5, tzinfo=SHANGHAI)
    with timezone.override("Asia/Shanghai"), translation.override("zh-hans"):
        assert _render("{% deadline_badge e %}", e=Event(due_at=None)) == ""
        plain = _render("{% deadline_badge e %}", e=Event(due_at=due))
        assert plain == '<span class="badge text-bg-light border" data-testid="deadline">11-27 09:05</span>'
        near = _render("{% deadline_badge e %}", e=Event(due_at=due, is_near_deadline=True))
        assert near == (
            '<span class="badge text-bg-warning" data-testid="deadline" data-near="1">即将到期 · 11-27 09:05</span>'
        )
        late = _render("{% deadline_badge e %}", e=Event(due_at=due, is_overdue=True, is_near_deadline=True))
        assert 'class="badge text-bg-danger"' in late and 'data-overdue="1"' in late and "data-near" not in late


def test_a_list_rows_status_label_is_the_display_value_in_the_current_language():
    fields = {name: None for name in ListRow.__slots__}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for status, _label in Event._meta.get_field("status").choices:
                row = ListRow(**{**fields, "status": status})
                assert str(row.status_label) == Event(status=status).get_status_display()
