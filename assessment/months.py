"""Months as the assessment names them: 'YYYY-MM' in URLs and forms, the first day (a date) in the database."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from yaohai.core.indicators import SHANGHAI

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
EARLIEST = dt.date(2000, 1, 1)


class MonthError(ValueError):
    """A month that cannot be scored; the message is for the user, in their language."""


def parse_month(text: str | None) -> dt.date:
    """'2026-05' → date(2026, 5, 1); anything else raises MonthError."""
    match = MONTH_RE.match((text or "").strip())
    if not match:
        raise MonthError(_("Give the month as YYYY-MM, for example 2026-05."))
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise MonthError(_("Give the month as YYYY-MM, for example 2026-05."))
    return dt.date(year, month, 1)


def current_month(now: dt.datetime | None = None) -> dt.date:
    today = timezone.localtime(now or timezone.now(), SHANGHAI).date()
    return today.replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def check_scorable(month: dt.date, now: dt.datetime | None = None) -> dt.date:
    """A month can be scored once it is over (Asia/Shanghai): not the current month, not a future one."""
    if month.day != 1:
        raise MonthError(_("Give the month as YYYY-MM, for example 2026-05."))
    if month < EARLIEST:
        raise MonthError(_("Months before 2000 cannot be scored."))
    if month >= current_month(now):
        raise MonthError(
            _("%(month)s has not ended yet: a month can be scored once it is over.") % {"month": f"{month:%Y-%m}"}
        )
    return month


def label(month: dt.date) -> str:
    return f"{month:%Y-%m}"
