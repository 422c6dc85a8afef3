"""Read the State Council's published schedule for a year (holidays and swapped working days) from a paste or
an .xlsx sheet, into a whole year of working-calendar days; every error is found before anything is written.

One line (or sheet row) per day or run of days: a date, 休 (a day off) or 班 (a weekend day worked in exchange),
and an optional note:

    2027-01-01 休 元旦
    2027-02-06 至 2027-02-12 休 春节
    2027-02-07 班 春节调休

Dates may be written 2027-01-01, 2027/1/1, 2027.1.1 or 2027年1月1日; a run may be joined by 至, 到, ~ or " - ";
tabs and commas separate fields as well as spaces (a paste from a spreadsheet). Every day not listed is a working
day from Monday to Friday and a day off at the weekend.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from io import BytesIO

from django.utils.translation import gettext as _

from .calendar import days_in_year

MAX_LINES = 400
MAX_RUN_DAYS = 31
OFF_WORDS = {"休", "假", "放假", "休息", "off", "holiday"}
WORK_WORDS = {"班", "上班", "补班", "work", "workday"}
SWAPPED_NOTE = "调休上班"
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_LINE = re.compile(
    rf"^(?P<start>{_DATE})(?:\s*(?:至|到|~|～|—|–|\s-\s)\s*(?P<end>{_DATE}))?\s+(?P<kind>\S+)\s*(?P<note>.*)$",
    re.IGNORECASE,
)


@dataclass
class ScheduleError:
    """One reason the schedule cannot be loaded (line None: about the whole schedule)."""

    line: int | None
    message: str

    def __str__(self):
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message} if self.line else self.message


@dataclass
class ListedDay:
    """A day the schedule names: off (a holiday) or a working day (a weekend worked in exchange)."""

    date: dt.date
    is_workday: bool
    note: str
    line: int


@dataclass
class Schedule:
    """A year's schedule as read: the days it names, and every error (none: it can be loaded)."""

    year: int | None = None
    listed: dict[dt.date, ListedDay] = field(default_factory=dict)
    errors: list[ScheduleError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.year is not None

    @property
    def holidays(self) -> list[ListedDay]:
        return sorted((d for d in self.listed.values() if not d.is_workday), key=lambda d: d.date)

    @property
    def swapped_workdays(self) -> list[ListedDay]:
        return sorted((d for d in self.listed.values() if d.is_workday), key=lambda d: d.date)

    def days(self) -> list[tuple[dt.date, bool, str]]:
        """Every day of the year: (date, is a working day, note)."""
        rows, day = [], dt.date(self.year, 1, 1)
        for _i in range(days_in_year(self.year)):
            listed = self.listed.get(day)
            if listed is not None:
                rows.append((day, listed.is_workday, listed.note))
            else:
                rows.append((day, day.weekday() < 5, ""))
            day += dt.timedelta(days=1)
        return rows

    def as_text(self) -> str:
        """The schedule as one line per listed day: what the confirmation posts back."""
        return "\n".join(
            f"{d.date:%Y-%m-%d} {'班' if d.is_workday else '休'} {d.note}".rstrip()
            for d in sorted(self.listed.values(), key=lambda d: d.date)
        )


def _date(text: str) -> dt.date | None:
    numbers = re.findall(r"\d+", text)
    if len(numbers) != 3:
        return None
    try:
        return dt.date(*map(int, numbers))
    except ValueError:
        return None


def parse_text(text: str, *, year: int | None = None) -> Schedule:
    """Read a pasted schedule. The year is `year`, or that of the first date; every date must lie in it."""
    schedule = Schedule(year=year)
    lines = (text or "").splitlines()
    if len(lines) > MAX_LINES:
        schedule.errors.append(ScheduleError(None, _("At most %(max)d lines.") % {"max": MAX_LINES}))
        return schedule
    for number, raw in enumerate(lines, start=1):
        line = re.sub(r"[\t,，;；]+", " ", raw).strip()
        if not line or line.startswith("#"):
            continue
        _read_line(schedule, number, line)
    if not schedule.errors and not schedule.listed:
        schedule.errors.append(ScheduleError(None, _("The schedule lists no day.")))
    elif not schedule.errors and not schedule.holidays:
        schedule.errors.append(ScheduleError(None, _("The schedule lists no holiday (休).")))
    return schedule


def _read_line(schedule: Schedule, number: int, line: str) -> None:
    def error(message):
        schedule.errors.append(ScheduleError(number, message))

    match = _LINE.match(line)
    if match is None:
        error(_("cannot read “%(text)s”: write a date, 休 or 班, and a note if you like.") % {"text": line[:60]})
        return
    start = _date(match["start"])
    end = _date(match["end"]) if match["end"] else start
    if start is None or end is None:
        error(_("“%(text)s” is not a date.") % {"text": (match["end"] if start else match["start"]).strip()})
        return
    kind = match["kind"].lower()
    if kind not in OFF_WORDS | WORK_WORDS:
        error(_("“%(kind)s” is neither 休 (a day off) nor 班 (a working day).") % {"kind": match["kind"]})
        return
    is_workday = kind in WORK_WORDS
    note = match["note"].strip()[:50]
    if end < start:
        error(_("The run ends before it starts."))
        return
    if (end - start).days >= MAX_RUN_DAYS:
        error(_("A run is at most %(max)d days long.") % {"max": MAX_RUN_DAYS})
        return
    if schedule.year is None:
        schedule.year = start.year
    day = start
    while day <= end:
        if day.year != schedule.year:
            error(_("%(date)s is not in %(year)d.") % {"date": f"{day:%Y-%m-%d}", "year": schedule.year})
            return
        if is_workday and day.weekday() < 5:
            error(_("%(date)s is a weekday: 班 is for a weekend day worked in exchange.") % {"date": f"{day:%Y-%m-%d}"})
            return
        earlier = schedule.listed.get(day)
        if earlier is not None:
            error(_("%(date)s is already listed on line %(line)d.") % {"date": f"{day:%Y-%m-%d}", "line": earlier.line})
            return
        schedule.listed[day] = ListedDay(
            date=day, is_workday=is_workday, note=note or (SWAPPED_NOTE if is_workday else ""), line=number
        )
        day += dt.timedelta(days=1)


def workbook_text(content: bytes) -> tuple[str, list[ScheduleError]]:
    """An .xlsx sheet's rows (date, 休/班, note — a header row is skipped) as lines for `parse_text`."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl's own errors: a broken package fails in many ways
        return "", [ScheduleError(None, _("The file is not a readable .xlsx workbook (%(error)s).") % {"error": exc})]
    lines = []
    try:
        if not workbook.worksheets:
            return "", [ScheduleError(None, _("The workbook has no sheet."))]
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True, max_col=3), start=1):
            if number > MAX_LINES + 1:
                return "", [ScheduleError(None, _("At most %(max)d lines.") % {"max": MAX_LINES})]
            cells = ["" if v is None else v for v in (values or ())]
            if not any(str(c).strip() for c in cells):
                lines.append("")
                continue
            first = cells[0]
            if isinstance(first, dt.datetime | dt.date):
                first = f"{first:%Y-%m-%d}"
            elif number == 1 and _date(str(first)) is None:
                lines.append("")  # the header row
                continue
            lines.append(" ".join(str(c).strip() for c in [first, *cells[1:]]).strip())
    finally:
        workbook.close()
    return "\n".join(lines), []
