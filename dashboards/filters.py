"""The filters of a node's page: a date range (inclusive, by reporting day in Asia/Shanghai) and the trend's
period, read from the query string; every panel receives them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_DAYS = 30
PERIODS = ("day", "week", "month")


@dataclass(frozen=True)
class DashboardFilters:
    """The date range (inclusive, by reporting day in Asia/Shanghai) and the trend's period."""

    date_from: dt.date
    date_to: dt.date
    period: str = "day"

    @classmethod
    def default(cls, today: dt.date | None = None) -> DashboardFilters:
        today = today or timezone.localdate()
        return cls(date_from=today - dt.timedelta(days=DEFAULT_DAYS - 1), date_to=today)

    @classmethod
    def from_query(cls, params, today: dt.date | None = None) -> DashboardFilters:
        """Read ?from=YYYY-MM-DD&to=YYYY-MM-DD&period=day|week|month; anything unreadable takes the default."""
        default = cls.default(today)
        date_from = _date(params.get("from")) or default.date_from
        date_to = _date(params.get("to")) or default.date_to
        if date_from > date_to:
            date_from, date_to = date_to, date_from
        period = params.get("period") if params.get("period") in PERIODS else "day"
        return cls(date_from=date_from, date_to=date_to, period=period)

    def as_query(self, **override) -> dict:
        values = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat(), "period": self.period}
        values.update(override)
        return values

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.date_from, dt.time.min, tzinfo=SHANGHAI)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
