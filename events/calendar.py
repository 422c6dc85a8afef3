"""Working-time arithmetic on the Chinese working calendar: deadlines skip public holidays, count 调休 weekends.

A day is a working day if its CalendarDay row says so; a date without a row falls back to `chinesecalendar`,
and a year that package does not know yet (the State Council publishes each year's schedule late in the year
before) falls back to Monday–Friday. The calendar is one for the whole platform (the schedule is national):
a platform admin loads the new year's schedule (events.calendar_schedule, the admin's "load a year" form), which
writes a row for every day of that year. `year_is_known(year)` says whether a year's deadlines count holidays
and 调休 (the package knows it, or every day of it has a row) or Monday–Friday only; from November the admin
index and the tenant admins' home say so for next year (`calendar_missing_years`).

Units:
- working_days: N working days after the start's date (that date not counted), due at the end of the working day
  (17:30). "Within 3 working days" means by the close of the third working day after receipt.
- working_hours: counted inside the working periods 08:30–12:00 and 14:00–17:30, Asia/Shanghai.

The rows are read once per process and kept (`shared_calendar`), not on every deadline: filing an event used to
read ~400 rows each time. What an edit in the admin is guaranteed to see:
- the process that saved or deleted a CalendarDay (post_save / post_delete) drops its copy at once and again when
  the transaction commits; until that transaction ends it reads the rows afresh on every deadline (its own
  uncommitted edit included) and keeps none of them, so a rolled-back edit is never kept;
- every other process (the other gunicorn workers, Celery) reads the rows again at most CACHE_SECONDS after it
  last loaded them: an edit takes effect everywhere within `EVENTS_CALENDAR_CACHE_SECONDS` (default 60 s).
Writes that send no signal (QuerySet.update, bulk_create: `seed_calendar`) call `calendar_changed()` themselves.
"""

from __future__ import annotations

import datetime as dt
import threading
from time import monotonic
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save

from .choices import TimeUnit

CALENDAR_TZ = ZoneInfo("Asia/Shanghai")
PERIODS = ((dt.time(8, 30), dt.time(12, 0)), (dt.time(14, 0), dt.time(17, 30)))
DAY_END = PERIODS[-1][1]
MAX_DAYS = 3660  # a safety stop: no deadline lies ten years away
WINDOW = 400  # days of calendar rows read at once


def package_is_workday(day: dt.date) -> bool:
    """The package's answer, or Monday–Friday for a year it has no data for."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def package_knows(year: int) -> bool:
    """Whether `chinesecalendar` has the State Council's schedule for the year."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def days_in_year(year: int) -> int:
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def _rows_cover(year: int) -> bool:
    from .models import CalendarDay

    return CalendarDay.objects.filter(date__year=year).count() == days_in_year(year)


class WorkingCalendar:
    """Answers is_workday() from CalendarDay rows, read in windows of WINDOW days (one query per window)."""

    def __init__(self):
        self._days: dict[dt.date, bool] = {}
        self._loaded: list[tuple[dt.date, dt.date]] = []
        self._years: dict[int, bool] = {}

    def _load(self, day: dt.date) -> None:
        from .models import CalendarDay

        start, end = day - dt.timedelta(days=7), day + dt.timedelta(days=WINDOW)
        self._days.update(
            CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday")
        )
        self._loaded.append((start, end))

    def is_workday(self, day: dt.date) -> bool:
        if not any(a <= day <= b for a, b in self._loaded):
            self._load(day)
        found = self._days.get(day)
        return package_is_workday(day) if found is None else found

    def year_is_known(self, year: int) -> bool:
        """Whether the year's holidays and 调休 are known: the package has them, or a row exists for every day."""
        known = self._years.get(year)
        if known is None:
            known = self._years[year] = package_knows(year) or _rows_cover(year)
        return known


# ---- one calendar per process -----------------------------------------------------------------------------------

_shared: tuple[float, WorkingCalendar] | None = None  # (loaded at, by monotonic(); the calendar)
# This thread's open transaction that wrote calendar days: (database alias, its outermost atomic block).
_writing = threading.local()


def _cache_seconds() -> float:
    return getattr(settings, "EVENTS_CALENDAR_CACHE_SECONDS", 60)


def shared_calendar() -> WorkingCalendar:
    """The process's calendar, read again at most every EVENTS_CALENDAR_CACHE_SECONDS; while this thread's open
    transaction has written calendar days, a fresh one that nobody keeps."""
    global _shared
    writing = getattr(_writing, "transaction", None)
    if writing is not None:
        using, block = writing
        blocks = connections[using].atomic_blocks
        if blocks and blocks[0] is block:
            return WorkingCalendar()
        # That transaction has ended, committed or rolled back: drop anything read while it was open.
        _writing.transaction = None
        _shared = None
    shared, now = _shared, monotonic()
    if shared is None or now - shared[0] >= _cache_seconds():
        shared = _shared = (now, WorkingCalendar())
    return shared[1]


def calendar_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Calendar days were written on `using`: drop this process's copy now, and again once the transaction
    commits; until it ends, this thread reads the days afresh for every deadline."""
    global _shared
    _shared = None
    connection = connections[using]
    if connection.in_atomic_block and connection.atomic_blocks:
        _writing.transaction = (using, connection.atomic_blocks[0])
        transaction.on_commit(forget_calendar, using=using)


def forget_calendar() -> None:
    """Drop the process's calendar (and this thread's mark of an open transaction that wrote days: it has ended)."""
    global _shared
    _shared = None
    _writing.transaction = None


def _day_written(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    calendar_changed(using)


post_save.connect(_day_written, sender="events.CalendarDay", dispatch_uid="events.calendar.saved")
post_delete.connect(_day_written, sender="events.CalendarDay", dispatch_uid="events.calendar.deleted")


def year_is_known(year: int) -> bool:
    """Whether deadlines in `year` count its public holidays and 调休, or fall back to Monday–Friday only."""
    return shared_calendar().year_is_known(year)


NOTICE_FROM_MONTH = 11  # from November, next year's missing schedule is announced


def calendar_missing_years(now: dt.datetime) -> list[int]:
    """The years whose schedule is missing and matters at `now`: this year, and from November next year."""
    today = now.astimezone(CALENDAR_TZ).date()
    years = [today.year, today.year + 1] if today.month >= NOTICE_FROM_MONTH else [today.year]
    calendar = shared_calendar()
    return [year for year in years if not calendar.year_is_known(year)]


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=CALENDAR_TZ)


def add_working_time(
    start: dt.datetime, amount: int, unit: str, *, calendar: WorkingCalendar | None = None
) -> dt.datetime:
    """The moment `amount` working hours or days after `start` (an aware datetime); returned in Asia/Shanghai."""
    if start.tzinfo is None:
        raise ValueError("add_working_time() needs an aware datetime")
    if amount < 0:
        raise ValueError("amount must not be negative")
    calendar = calendar or shared_calendar()
    local = start.astimezone(CALENDAR_TZ)
    if amount == 0:
        return local
    if unit == TimeUnit.WORKING_DAYS:
        day, counted = local.date(), 0
        for _ in range(MAX_DAYS):
            day += dt.timedelta(days=1)
            if calendar.is_workday(day):
                counted += 1
                if counted == amount:
                    return _at(day, DAY_END)
        raise ValueError("deadline too far away")
    if unit == TimeUnit.WORKING_HOURS:
        return add_working_duration(local, dt.timedelta(hours=amount), calendar=calendar)
    raise ValueError(f"unknown time unit {unit!r}")


def add_working_duration(
    start: dt.datetime, duration: dt.timedelta, *, calendar: WorkingCalendar | None = None
) -> dt.datetime:
    """The moment `duration` of working time (inside the working periods) after `start`."""
    if start.tzinfo is None:
        raise ValueError("add_working_duration() needs an aware datetime")
    calendar = calendar or shared_calendar()
    local = start.astimezone(CALENDAR_TZ)
    remaining = max(duration, dt.timedelta(0))
    if not remaining:
        return local
    day, cursor = local.date(), local
    for _ in range(MAX_DAYS):
        if calendar.is_workday(day):
            for opens, closes in PERIODS:
                begin, end = max(_at(day, opens), cursor), _at(day, closes)
                if begin >= end:
                    continue
                if remaining <= end - begin:
                    return begin + remaining
                remaining -= end - begin
        day += dt.timedelta(days=1)
        cursor = _at(day, dt.time(0))
    raise ValueError("deadline too far away")


def working_time_between(
    start: dt.datetime, end: dt.datetime, *, calendar: WorkingCalendar | None = None
) -> dt.timedelta:
    """How much working time lies between two moments (zero when `end` is not after `start`)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("working_time_between() needs aware datetimes")
    calendar = calendar or shared_calendar()
    start, end = start.astimezone(CALENDAR_TZ), end.astimezone(CALENDAR_TZ)
    total = dt.timedelta(0)
    day = start.date()
    while day <= end.date():
        if calendar.is_workday(day):
            for opens, closes in PERIODS:
                begin, finish = max(_at(day, opens), start), min(_at(day, closes), end)
                if finish > begin:
                    total += finish - begin
        day += dt.timedelta(days=1)
    return total
