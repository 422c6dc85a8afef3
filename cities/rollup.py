"""The city's roll-up (the city officer's dashboard): its districts' KPIs side by side, ranked and mapped, the
city's trend, statuses and categories — summed by the events panels' own functions over all the districts at once.

A district's KPIs are its root node's: the sums of its streets' rollup rows (events.rollups) and the live counts of
its open events, exactly what its own dashboard's KPI cards show. The city reads them for every district in one
query each (`rollup_sums` by the rows' parent, `live_counts` by the events' district stamp), so the page makes the
same few queries for 2 districts or 100, and is kept in the dashboards' cache, retired by any write under one of
its districts (dashboards.cache.cached). The panel data has the shapes of the events panels' (events.kpis,
events.trend, …): their `present` and templates draw it, with the districts as the map's and ranking's children.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from dashboards import cache
from dashboards.filters import DashboardFilters
from events.models import Event, EventRollup
from events.panels import (
    Breakdown,
    ChildRow,
    category_kpis,
    derive_kpis,
    live_counts,
    rollup_sums,
    span_q,
    totals_and_statuses,
    trend,
)
from grids.models import GridNode

from .models import City


@dataclass
class CityPage:
    """What the cache keeps of a city's page: each panel's data, by the events panel's key."""

    city: City
    filters: DashboardFilters
    now: dt.datetime
    districts: list[GridNode] = field(default_factory=list)
    panels: dict[str, Any] = field(default_factory=dict)
    valid_until: dt.datetime | None = None


def _rows(districts: list[GridNode], filters: DashboardFilters, *, by_day: bool = False):
    """The streets' rollup rows of every district in the range: a district's root sums exactly these."""
    return EventRollup.objects.filter(
        tenant_id__in=[d.tenant_id for d in districts], parent_id__in=[d.pk for d in districts]
    ).filter(span_q(filters.date_from, filters.date_to, by_day=by_day))


def by_category_name(sums: Breakdown, live: Breakdown) -> tuple[Breakdown, Breakdown]:
    """Each district has its own catalogue: the city adds up the main categories of the same name."""
    names = sums.category_names
    merged_sums, merged_live = Breakdown(sums.columns, total=sums.total), Breakdown(live.columns, total=live.total)
    for source, target in ((sums, merged_sums), (live, merged_live)):
        for category_id, row in source.by_category.items():
            name = names.get(category_id) or ""
            into = target.by_category.setdefault(name, target.zero())
            for column in target.columns:
                into[column] += row.get(column) or 0
    merged_sums.category_names = {name: name for name in merged_sums.by_category}
    return merged_sums, merged_live


def build_city_page(*, city: City, districts: list[GridNode], filters: DashboardFilters, now: dt.datetime) -> CityPage:
    """The city's panels: four queries (the sums, the live counts and ratings, the trend), whatever the number of
    districts."""
    page = CityPage(city=city, filters=filters, now=now, districts=districts)
    if not districts:
        return page
    sums = rollup_sums(_rows(districts, filters), None, by="parent_id")
    events = Event.objects.filter(
        tenant_id__in=[d.tenant_id for d in districts], district_id__in=[d.pk for d in districts],
        created_at__gte=filters.start, created_at__lt=filters.end,
    )
    live = live_counts(events, None, now, column="district_id")
    totals, statuses = totals_and_statuses(sums, live)
    children = [
        ChildRow(node=d, kpis=derive_kpis(sums.of(sums.by_child, d.pk), live.of(live.by_child, d.pk)))
        for d in districts
    ]
    trend_rows = _rows(districts, filters, by_day=filters.period != "month")
    page.panels = {
        "events.kpis": {"totals": totals, "next_deadline": live.next_deadline},
        "events.trend": trend(trend_rows, filters.period),
        "events.statuses": statuses,
        "events.map": children,
        "events.categories": category_kpis(*by_category_name(sums, live)),
        "events.ranking": children,
    }
    page.valid_until = live.next_deadline  # "overdue now" moves with the clock alone, as on a district's page
    return page


def city_page(*, city: City, districts: list[GridNode], filters: DashboardFilters, now: dt.datetime | None = None):
    """`build_city_page`, from the dashboards' cache while nothing under its districts has changed."""
    return cache.cached(
        parts=("city", city.pk, filters.date_from, filters.date_to, filters.period, *(d.pk for d in districts)),
        nodes=districts,
        build=lambda moment: build_city_page(city=city, districts=districts, filters=filters, now=moment),
        now=now or timezone.now(),
    )
