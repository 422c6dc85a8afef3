"""The city officer's pages: their cities, a city's roll-up (驾驶舱), a district's dashboard read-only (counts only),
the city's ranking of districts on the assessment's indicators, and the roll-up's .xlsx sheet.

Thin: the city and the node come from cities.selectors (not the officer's city, or not a node of its districts, is
404 — exactly the answer of a missing id); the roll-up from cities.rollup (cached like the dashboards); a district's
page from dashboards.views.page_context, read for a DistrictReader and showing only the panels of counts.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from assessment.months import MonthError, current_month, label, parse_month, previous_month
from dashboards import registry
from dashboards.filters import DashboardFilters
from dashboards.views import dashboard_query, page_context, period_links, present_panels
from exports.responses import answer as export_answer
from grids.models import GridNode
from yaohai.core.query import bad_query, strict_query

from . import selectors
from .exports import CITY_ROLLUP
from .models import City
from .ranking import rank_districts
from .rollup import city_page

MONTHS_SHOWN = 12


def _city_or_404(request, pk) -> City:
    try:
        return selectors.city_for(actor=request.user, pk=pk)
    except City.DoesNotExist:
        raise Http404 from None


@login_required
def index(request):
    """The officer's cities (the menu leads straight to the roll-up of an officer's only city)."""
    return render(request, "cities/index.html", {"cities": selectors.officer_cities(request.user)})


def _city_context(request, city: City) -> dict:
    filters = DashboardFilters.from_query(request.GET)
    districts = selectors.city_districts(city)
    page = city_page(city=city, districts=districts, filters=filters)
    query = urlencode(filters.as_query())
    view = registry.PageView(node=city, filters=filters, query=query, url_name="cities:node", shown=frozenset(page.panels))
    shown, chart_data, _ledgers = present_panels(page.panels, view)  # the city's sheet is its own (exports.py)
    return {
        "city": city, "page": page, "districts": districts, "filters": filters, "query": query, "panels": shown,
        "chart_data": chart_data, "periods": period_links(filters),
    }


@login_required
@dashboard_query
def city(request, pk):
    """The city's roll-up: KPI cards of the city, its trend, statuses and categories, its districts mapped and
    ranked by a KPI — each district's row leads to its dashboard, read-only."""
    return render(request, "cities/city.html", _city_context(request, _city_or_404(request, pk)))


@login_required
@dashboard_query
def node(request, pk):
    """A district's dashboard (or one of its streets', communities', grids') as its officers see it, but counts
    only: no overdue list, no ledger, no large screen; the ranking leads further down, the breadcrumb back to the
    city."""
    try:
        city, found = selectors.readable_node(actor=request.user, pk=pk)
    except GridNode.DoesNotExist:
        raise Http404 from None
    reader = selectors.DistrictReader(found.tenant_id)
    context = page_context(request, found, "cities:node", actor=reader, only_aggregates=True)
    context["read_only"] = True
    context["above"] = {"name": city.name, "url": f"{reverse('cities:city', args=[city.pk])}?{context['query']}"}
    return render(request, "dashboards/node.html", context)


def _month(request):
    text = request.GET.get("month")
    return parse_month(text) if text else previous_month(current_month())


@login_required
def assessment(request, pk):
    """The city's districts ranked on the assessment's indicators for an ended month (?month=YYYY-MM; the last
    one by default)."""
    city = _city_or_404(request, pk)
    try:
        month = _month(request)
        scores = rank_districts(districts=selectors.city_districts(city), month=month)
    except MonthError as exc:
        return bad_query(request, [f"month: {exc}"])
    last = previous_month(current_month())
    months = [last]
    for _n in range(MONTHS_SHOWN - 1):
        months.append(previous_month(months[-1]))
    return render(request, "cities/assessment.html", {
        "city": city, "month": month, "scores": scores,
        "months": [{"value": label(m), "active": m == month} for m in months],
        "columns": scores[0].items if scores else [],
    })


@login_required
@strict_query(**{
    "from": forms.DateField(required=False, input_formats=["%Y-%m-%d"]),
    "to": forms.DateField(required=False, input_formats=["%Y-%m-%d"]),
})
def export(request, pk):
    """The roll-up's districts and their KPIs as a sheet (.xlsx), over the page's date range (exports.registry)."""
    city = _city_or_404(request, pk)
    filters = DashboardFilters.from_query(request.GET)
    parameters = {"city": city.pk, "from": request.GET.get("from"), "to": request.GET.get("to")}
    back_url = f"{reverse('cities:city', args=[city.pk])}?{urlencode(filters.as_query())}"
    return export_answer(request, kind=CITY_ROLLUP, parameters=parameters, back_url=back_url)

