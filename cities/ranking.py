"""The city's assessment: its districts ranked on the same registered indicators (yaohai.core.indicators) that
score a district's own month (assessment.scoring).

A district's month is aggregated the way the assessment aggregates a district subject: every registered count
source's counts of the month over all its grids (counts are additive), the targets scaled by its live grids; each
indicator's points from them, then the weighted total. The city ranks its districts by one scheme, the registered
default weights (a district's own scheme may weight differently; comparing districts needs one yardstick), computed
when asked, for a month that has ended (a month in progress would rank a part of a month).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from assessment.indicators import by_key, indicators, item_fields
from assessment.months import check_scorable
from assessment.scoring import breakdown, month_counts
from grids.models import GridNode


@dataclass
class DistrictScore:
    """One district's month: its total, its rank in the city, and each indicator's numerator, denominator, points."""

    node: GridNode
    total: Decimal
    rank: int
    items: list[dict]


def city_scheme() -> list[dict]:
    """Every available registered indicator at its default weight and target: the one yardstick of the city."""
    return [
        {"key": i.key, "weight": i.default_weight, "target": i.default_target}
        for i in indicators() if i.available and i.default_weight > 0
    ]


def rank_districts(*, districts: list[GridNode], month: dt.date, now: dt.datetime | None = None) -> list[DistrictScore]:
    """The districts' scores of an ended month, best first; equal totals share a rank (MonthError for a month that
    has not ended)."""
    now = now or timezone.now()
    check_scorable(month, now)
    as_of = now  # as a district's run is computed (assessment.services.compute_month: as_of = now)
    grids = dict(
        GridNode.objects.filter(tenant_id__in=[d.tenant_id for d in districts], kind="grid", is_archived=False)
        .order_by().values("tenant_id").annotate(n=Count("id")).values_list("tenant_id", "n")
    )
    scheme, registered = city_scheme(), by_key()
    scored = []
    for district in districts:
        by_grid, _by_worker, _keys = month_counts(district.tenant_id, month, as_of)
        counts: dict[str, int] = {"targets": grids.get(district.tenant_id, 0)}
        for row in by_grid.values():
            for key, value in row.items():
                counts[key] = counts.get(key, 0) + value
        items, total = breakdown(counts, scheme)
        shown = [
            {"key": key, "label": registered[key].label, **item_fields(value)} for key, value in items.items()
        ]
        scored.append(DistrictScore(node=district, total=total, rank=0, items=shown))
    scored.sort(key=lambda s: (-s.total, s.node.code))
    for n, score in enumerate(scored, start=1):
        previous = scored[n - 2] if n > 1 else None
        score.rank = previous.rank if previous is not None and previous.total == score.total else n
    return scored
