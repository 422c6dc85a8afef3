"""Next year's working calendar: chinesecalendar knows 2026 at most; 2027 counts Monday–Friday until a platform
admin loads the State Council's schedule, and admins and deadlines say so. Every date here is written down or
computed from one, never read from the clock."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from events import calendar, services
from events.calendar import CALENDAR_TZ, add_working_time, calendar_missing_years, year_is_known
from events.calendar_schedule import parse_text, workbook_text
from events.models import CalendarDay, Event
from events.services.calendar import load_calendar_year
from events.templatetags import working_calendar
from tests.world import make_user

pytestmark = pytest.mark.django_db

SCHEDULE_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知（测试用）
2027-01-01 休 元旦
2027年2月6日 至 2027年2月12日 休 春节
2027/1/31\t班\t春节调休
2027.2.20, 班, 春节调休
"""


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.forget_calendar()
    yield
    calendar.forget_calendar()


def at(*args):
    return dt.datetime(*args, tzinfo=CALENDAR_TZ)


def load(text=SCHEDULE_2027, **kwargs):
    return load_calendar_year(actor=None, schedule=parse_text(text, **kwargs))


def test_the_package_stops_at_2026_and_a_loaded_schedule_makes_a_year_known():
    assert year_is_known(2026) and not year_is_known(2027)
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False, note="元旦")
    assert not year_is_known(2027)  # one day typed in the admin is not a year's schedule
    assert load() == 365
    assert year_is_known(2027) and not year_is_known(2028)
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    assert CalendarDay.objects.get(date=dt.date(2027, 1, 31)).is_workday  # a Sunday worked in exchange
    assert not CalendarDay.objects.get(date=dt.date(2027, 2, 8)).is_workday  # a Monday of 春节
    assert CalendarDay.objects.get(date=dt.date(2027, 2, 8)).note == "春节"
    assert not CalendarDay.objects.get(date=dt.date(2027, 3, 6)).is_workday  # an ordinary Saturday
    assert CalendarDay.objects.get(date=dt.date(2027, 3, 8)).is_workday


@pytest.mark.parametrize(
    "start, amount, unit, without, loaded",
    [
        # Thursday 31 Dec 2026 + 3 working days: Friday 1 Jan 2027 counts until 元旦 is loaded.
        (at(2026, 12, 31, 10, 0), 3, "working_days", at(2027, 1, 5, 17, 30), at(2027, 1, 6, 17, 30)),
        # 1.5 h left on 31 Dec, the rest on the next working day.
        (at(2026, 12, 31, 16, 0), 3, "working_hours", at(2027, 1, 1, 10, 0), at(2027, 1, 4, 10, 0)),
        # Friday 29 Jan 2027 + 1 working day: Monday 1 Feb without data; Sunday 31 Jan (调休) once loaded.
        (at(2027, 1, 29, 10, 0), 1, "working_days", at(2027, 2, 1, 17, 30), at(2027, 1, 31, 17, 30)),
        # Friday 5 Feb 2027 + 1 working day: Monday 8 Feb without data; after 春节 (6–12 Feb) once loaded.
        (at(2027, 2, 5, 10, 0), 1, "working_days", at(2027, 2, 8, 17, 30), at(2027, 2, 15, 17, 30)),
    ],
)
def test_deadlines_across_the_change_of_year(start, amount, unit, without, loaded):
    assert add_working_time(start, amount, unit) == without
    load()
    assert add_working_time(start, amount, unit) == loaded


def test_an_event_filed_on_new_years_eve_takes_the_loaded_holiday(ev):
    filed = at(2026, 12, 31, 16, 0)  # 暴露垃圾: accept within 2 working hours
    first = ev.report(now=filed)
    assert first.due_at == at(2027, 1, 1, 9, 0)
    load()
    second = ev.report(now=filed, title="元旦前又一件")
    assert second.due_at == at(2027, 1, 4, 9, 0)


def test_missing_years_are_announced_from_november():
    assert calendar_missing_years(at(2026, 10, 31, 23, 59)) == []
    assert calendar_missing_years(at(2026, 11, 1, 0, 1)) == [2027]
    assert calendar_missing_years(dt.datetime(2026, 10, 31, 16, 30, tzinfo=dt.UTC)) == [2027]  # 00:30 in Shanghai
    assert calendar_missing_years(at(2027, 3, 1, 9, 0)) == [2027]  # this year itself is missing
    load()
    assert calendar_missing_years(at(2026, 11, 1, 0, 1)) == []
    assert calendar_missing_years(at(2027, 3, 1, 9, 0)) == []
    assert calendar_missing_years(at(2027, 11, 2, 9, 0)) == [2028]


def test_the_sweep_runs_through_a_year_with_no_data(ev):
    event = ev.report(now=at(2026, 12, 31, 16, 0))
    assert not year_is_known(event.due_at.year)
    result = services.sweep_deadlines(now=at(2027, 1, 1, 8, 0))
    assert result.near == 1
    result = services.sweep_deadlines(now=at(2027, 1, 4, 9, 0))
    assert (result.overdue, result.escalated) == (1, 1)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no day"),
        ("2027-02-07 班 调休", "no holiday"),
        ("2027-01-01 元旦", "neither"),
        ("元旦 2027-01-01 休", "cannot read"),
        ("2027-02-30 休 春节", "not a date"),
        ("2027-01-01 休 元旦\n2027-01-04 班 调休", "is a weekday"),
        ("2027-01-01 休 元旦\n2027-01-01 休 元旦", "already listed on line 1"),
        ("2027-01-01 休 元旦\n2028-01-01 休 元旦", "is not in 2027"),
        ("2027-02-12 至 2027-02-06 休 春节", "ends before it starts"),
        ("2027-01-01 放假 元旦\n2027-01-02 休息", None),
    ],
)
def test_a_bad_schedule_is_refused_whole_with_the_line(text, message):
    with translation.override("en"):
        schedule = parse_text(text)
        if message is None:
            assert schedule.ok and len(schedule.holidays) == 2
            return
        assert not schedule.ok and message in " ".join(str(e) for e in schedule.errors)
        with pytest.raises(ValidationError):
            load_calendar_year(actor=None, schedule=schedule)
    assert not CalendarDay.objects.exists()


def test_only_a_platform_admin_loads_it(world):
    with pytest.raises(PermissionDenied):
        load_calendar_year(actor=world.user("A:admin"), schedule=parse_text(SCHEDULE_2027))
    assert not CalendarDay.objects.exists()


def test_an_xlsx_sheet_reads_like_the_paste():
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "类型", "说明"])
    sheet.append([dt.datetime(2027, 1, 1), "休", "元旦"])
    sheet.append(["2027-02-07", "班", "春节调休"])
    buffer = BytesIO()
    book.save(buffer)
    text, errors = workbook_text(buffer.getvalue())
    assert errors == []
    schedule = parse_text(text)
    assert schedule.ok and schedule.year == 2027
    assert [d.date for d in schedule.holidays] == [dt.date(2027, 1, 1)]
    assert [d.date for d in schedule.swapped_workdays] == [dt.date(2027, 2, 7)]
    assert workbook_text(b"not a workbook")[1]


def _badge(event):
    return Template("{% load event_display %}{% deadline_badge e %}").render(Context({"e": event}))


def test_deadline_badges_and_the_event_page_say_monday_to_friday_until_loaded(ev, client_for):
    assert 'data-testid="weekdays-only"' not in _badge(Event(due_at=at(2026, 12, 31, 17, 30)))
    assert 'data-testid="weekdays-only"' in _badge(Event(due_at=at(2027, 1, 5, 17, 30)))
    event = ev.report(now=at(2026, 12, 31, 16, 0))
    url = reverse("events:detail", args=[event.pk])
    page = client_for("A/S1/C1:grid_head").get(url).content.decode()
    assert 'data-testid="deadline-weekdays-only"' in page and 'data-testid="weekdays-only"' in page
    load()
    assert 'data-testid="weekdays-only"' not in _badge(Event(due_at=at(2027, 1, 5, 17, 30)))
    page = client_for("A/S1/C1:grid_head").get(url).content.decode()
    assert 'data-testid="deadline-weekdays-only"' not in page


@pytest.fixture
def november(monkeypatch):
    monkeypatch.setattr(working_calendar, "_now", lambda: at(2026, 11, 16, 9, 0))


@pytest.fixture
def october(monkeypatch):
    monkeypatch.setattr(working_calendar, "_now", lambda: at(2026, 10, 16, 9, 0))


def test_admins_are_told_from_november(world, client_for, november):
    notice = 'data-testid="calendar-notice"'
    tenant_admin = client_for("A:admin")
    admin_index = tenant_admin.get(reverse("admin:index")).content.decode()
    assert notice in admin_index and "2027" in admin_index
    assert 'data-testid="calendar-load-link"' not in admin_index  # the platform admin loads it
    assert notice in tenant_admin.get("/").content.decode()
    assert notice not in client_for("A/S1/C1:grid_head").get("/").content.decode()
    world.users["root"] = make_user("root", None, is_superuser=True, is_staff=True)
    root_index = client_for("root").get(reverse("admin:index")).content.decode()
    assert notice in root_index and 'data-testid="calendar-load-link"' in root_index
    load()
    assert notice not in tenant_admin.get(reverse("admin:index")).content.decode()
    assert notice not in tenant_admin.get("/").content.decode()


def test_nobody_is_told_in_october(world, client_for, october):
    assert 'data-testid="calendar-notice"' not in client_for("A:admin").get(reverse("admin:index")).content.decode()


def test_the_load_form_previews_then_writes_the_whole_year(world, client_for):
    world.users["root"] = make_user("root", None, is_superuser=True, is_staff=True)
    client = client_for("root")
    url = reverse("admin:events_calendarday_load")
    assert client.get(url).status_code == 200
    preview = client.post(url, {"text": SCHEDULE_2027, "preview": "1"})
    page = preview.content.decode()
    assert preview.status_code == 200 and 'data-testid="schedule-preview"' in page
    assert page.count('data-testid="schedule-day"') == 10  # 元旦, seven days of 春节, two weekend days worked
    assert not CalendarDay.objects.exists()  # a preview writes nothing
    bad = client.post(url, {"text": SCHEDULE_2027 + "2027-03-01 班 错误\n", "preview": "1"})
    assert 'data-testid="schedule-errors"' in bad.content.decode() and "2027-03-01" in bad.content.decode()
    assert client.post(url, {"text": "2027-03-01 班 错误", "confirm": "1"}).status_code == 200
    assert not CalendarDay.objects.exists()  # nothing half-loaded
    done = client.post(url, {"text": parse_text(SCHEDULE_2027).as_text(), "year": "2027", "confirm": "1"})
    assert done.status_code == 302
    assert CalendarDay.objects.filter(date__year=2027).count() == 365 and year_is_known(2027)
    book = Workbook()
    book.active.append([dt.datetime(2028, 1, 1), "休", "元旦"])
    buffer = BytesIO()
    book.save(buffer)
    buffer.name = "2028.xlsx"
    buffer.seek(0)
    upload = client.post(url, {"file": buffer, "preview": "1"})
    assert 'data-testid="schedule-preview"' in upload.content.decode() and "2028" in upload.content.decode()
