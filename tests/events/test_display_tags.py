"""The cheap time filters, the deadline tag and ListRow's status label give what the general-purpose ones did."""

import datetime as dt

import pytest
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
    with timezone.override("Asia/Shanghai"), translation.override("zh-hans"):
        # This year's deadline (computed from the clock, never written down), so the year is left out.
        due = dt.datetime(timezone.localdate().year, 11, 27, 9, 5, tzinfo=SHANGHAI)
        assert _render("{% deadline_badge e %}", e=Event(due_at=None)) == ""
        plain = _render("{% deadline_badge e %}", e=Event(due_at=due))
        assert plain == '<span class="badge text-bg-light border" data-testid="deadline">受理时限 11-27 09:05</span>'
        near = _render("{% deadline_badge e %}", e=Event(due_at=due, is_near_deadline=True, status="in_progress"))
        assert near == (
            '<span class="badge text-bg-warning" data-testid="deadline" data-near="1">即将到期 · 处置时限 11-27 09:05</span>'
        )
        late = _render("{% deadline_badge e %}", e=Event(due_at=due, is_overdue=True, is_near_deadline=True))
        assert 'class="badge text-bg-danger"' in late and 'data-overdue="1"' in late and "data-near" not in late


@pytest.mark.django_db  # next year's calendar may be unknown to chinesecalendar: the badge then reads the database
def test_deadline_badge_says_which_deadline_and_the_year_when_it_is_not_this_one():
    with timezone.override("Asia/Shanghai"), translation.override("zh-hans"):
        next_year = dt.datetime(timezone.localdate().year + 1, 1, 4, 9, 0, tzinfo=SHANGHAI)
        badge = _render("{% deadline_badge e %}", e=Event(due_at=next_year, status="handled"))
        assert f"核查时限 {next_year.year}-01-04 09:00" in badge
        for status, stage in [("reported", "受理"), ("accepted", "处置"), ("dispatched", "处置"), ("rework", "处置")]:
            assert f"{stage}时限" in _render("{% deadline_badge e %}", e=Event(due_at=next_year, status=status))


def test_a_list_rows_status_label_is_the_display_value_in_the_current_language():
    fields = {name: None for name in ListRow.__slots__}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for status, _label in Event._meta.get_field("status").choices:
                row = ListRow(**{**fields, "status": status})
                assert str(row.status_label) == Event(status=status).get_status_display()
