"""The parties' indicator of the monthly assessment (yaohai.core.indicators): consultation topics resolved on
time. A scheme weights it (its default weight is 0, so existing schemes score as before)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from yaohai.core.indicators import CountSource, Indicator, MonthCounts, month_bounds, register

from .choices import TopicStatus
from .models import Topic

RESOLVED = (TopicStatus.RESOLVED, TopicStatus.IMPLEMENTED, TopicStatus.CLOSED)


def topic_counts(tenant_id: int, month: dt.date, as_of: dt.datetime) -> MonthCounts:
    """Per grid, the topics due in the month (not withdrawn) and those resolved by their date: one GROUP BY."""
    start, end = month_bounds(month)
    rows = (
        Topic.objects.filter(tenant_id=tenant_id, grid_id__isnull=False, due_on__gte=start.date(),
                             due_on__lt=end.date())
        .exclude(status=TopicStatus.WITHDRAWN)
        .order_by()
        .values("grid_id")
        .annotate(
            topics_due=Count("id"),
            topics_on_time=Count("id", filter=Q(status__in=RESOLVED, resolved_on__lte=F("due_on"))),
        )
    )
    by_grid: dict[int, dict] = defaultdict(dict)
    for row in rows:
        by_grid[row.pop("grid_id")] = row
    return MonthCounts(by_grid=dict(by_grid))


INDICATORS = (
    Indicator(
        "topics_on_time",
        _("Consultation topics resolved on time"),
        _("Consultation topics resolved on time = grid-level topics due in the month (their date to resolve by "
          "falls in it) that were resolved by that date ÷ the grid-level topics due in the month, withdrawn ones "
          "excluded. Points = the rate (0–100)."),
        numerator="topics_on_time",
        denominator="topics_due",
        default_weight=0,
    ),
)


def register_indicators() -> None:
    """Called from PartiesConfig.ready()."""
    register(CountSource(key="parties", count=topic_counts), *INDICATORS)
