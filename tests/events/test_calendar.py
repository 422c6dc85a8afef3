"""Working-time arithmetic across the 2025 National Day holiday and its 调休 working weekends."""

import datetime as dt

import pytest
from django.core.management import call_command

from events.calendar import CALENDAR_TZ, add_working_time
from events.models import CalendarDay

pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=CALENDAR_TZ)


@pytest.mark.parametrize(
    "start, amount, unit, due",
    [
        # Tuesday 30 Sep + 1 working day: 1–8 Oct are holidays, so the close of Thursday 9 Oct.
        (at(2025, 9, 30, 10, 0), 1, "working_days", at(2025, 10, 9, 17, 30)),
        # Friday 26 Sep + 1 working day: Saturday is off, Sunday 28 Sep is a 调休 working day.
        (at(2025, 9, 26, 10, 0), 1, "working_days", at(2025, 9, 28, 17, 30)),
        # Friday 10 Oct + 1 working day: Saturday 11 Oct is a 调休 working day.
        (at(2025, 10, 10, 9, 0), 1, "working_days", at(2025, 10, 11, 17, 30)),
        (at(2025, 9, 29, 9, 0), 3, "working_days", at(2025, 10, 10, 17, 30)),
        # Hours run in 08:30–12:00 and 14:00–17:30: 1.5 h left on 30 Sep, 1.5 h on 9 Oct.
        (at(2025, 9, 30, 16, 0), 3, "working_hours", at(2025, 10, 9, 10, 0)),
        (at(2025, 10, 10, 17, 0), 1, "working_hours", at(2025, 10, 11, 9, 0)),
        (at(2025, 11, 5, 11, 30), 1, "working_hours", at(2025, 11, 5, 14, 30)),
        (at(2025, 11, 5, 7, 0), 2, "working_hours", at(2025, 11, 5, 10, 30)),
        (at(2025, 11, 5, 12, 30), 7, "working_hours", at(2025, 11, 6, 12, 0)),  # ends on a period end
        (at(2025, 11, 8, 10, 0), 1, "working_hours", at(2025, 11, 10, 9, 30)),  # an ordinary Saturday
        # A year the package has no data for falls back to Monday–Friday.
        (at(2030, 1, 4, 10, 0), 1, "working_days", at(2030, 1, 7, 17, 30)),
    ],
)
def test_deadlines(start, amount, unit, due):
    assert add_working_time(start, amount, unit) == due


def test_utc_input_is_counted_in_shanghai_time():
    start = dt.datetime(2025, 9, 30, 8, 0, tzinfo=dt.UTC)  # 16:00 in Shanghai
    assert add_working_time(start, 3, "working_hours") == at(2025, 10, 9, 10, 0)


def test_calendar_rows_override_the_package():
    CalendarDay.objects.create(date=dt.date(2025, 10, 9), is_workday=False, note="临时调整")
    CalendarDay.objects.create(date=dt.date(2025, 10, 4), is_workday=True, note="测试")
    assert add_working_time(at(2025, 10, 3, 10, 0), 1, "working_days") == at(2025, 10, 4, 17, 30)
    assert add_working_time(at(2025, 10, 5, 10, 0), 1, "working_days") == at(2025, 10, 10, 17, 30)


def test_seed_calendar_command():
    call_command("seed_calendar", "2025")
    assert CalendarDay.objects.filter(date__year=2025).count() == 365
    sunday = CalendarDay.objects.get(date=dt.date(2025, 9, 28))
    assert sunday.is_workday and sunday.note == "调休上班"
    holiday = CalendarDay.objects.get(date=dt.date(2025, 10, 1))
    assert not holiday.is_workday and holiday.note
    # An admin's edit survives a re-seed unless --overwrite.
    CalendarDay.objects.filter(date=dt.date(2025, 12, 31)).update(is_workday=False, note="edited")
    call_command("seed_calendar", "2025")
    assert CalendarDay.objects.get(date=dt.date(2025, 12, 31)).note == "edited"
    call_command("seed_calendar", "2025", "--overwrite")
    assert CalendarDay.objects.get(date=dt.date(2025, 12, 31)).is_workday


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_working_time(dt.datetime(2025, 1, 2, 9), 1, "working_hours")
