"""The city's sheet (.xlsx) of its roll-up: one row per district with the KPIs of its dashboard, and the city's
total — registered with exports.registry, built for the city officer through the city's scope (a job's owner is
checked again when the task builds it)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.filters import DashboardFilters
from events.exports import kpi_columns, kpi_groups, kpi_values
from exports.registry import ExportKind, Sheet, register
from yaohai.core.xlsx import build_sheet

from . import selectors
from .models import City
from .rollup import city_page

CITY_ROLLUP = "cities.rollup"


def _city(actor, parameters: dict) -> City:
    try:
        return selectors.city_for(actor=actor, pk=int(parameters.get("city")))
    except (TypeError, ValueError, City.DoesNotExist):
        raise ValidationError(_("This city is not one of yours."), code="export_city") from None


def _filters(parameters: dict) -> DashboardFilters:
    return DashboardFilters.from_query({"from": parameters.get("from") or None, "to": parameters.get("to") or None})


def clean(*, actor, parameters: dict) -> dict:
    """The city (one of the actor's) and the date range (the page's default when absent)."""
    city = _city(actor, parameters)
    filters = _filters(parameters)
    return {"city": city.pk, "from": filters.date_from.isoformat(), "to": filters.date_to.isoformat()}


def count(*, actor, parameters: dict, limit: int) -> int:
    """A row per district: always small enough to build at once."""
    return 0


def _title(city: City, filters: DashboardFilters) -> str:
    span = f"{filters.date_from:%Y-%m-%d} – {filters.date_to:%Y-%m-%d}"
    return _("%(city)s · districts' KPIs · %(span)s") % {"city": city.name, "span": span}


def title(*, actor, parameters: dict) -> str:
    return _title(_city(actor, parameters), _filters(parameters))


def build(*, actor, parameters: dict) -> Sheet:
    """The roll-up's districts with their KPIs, and the city's total (from the same cached page as the screen)."""
    city, filters = _city(actor, parameters), _filters(parameters)
    page = city_page(city=city, districts=selectors.city_districts(city), filters=filters, now=timezone.now())
    rows = [[row.node.name, row.node.code, *kpi_values(row.kpis)] for row in page.panels.get("events.ranking", [])]
    if "events.kpis" in page.panels:
        rows.append([_("The whole city"), city.code, *kpi_values(page.panels["events.kpis"]["totals"])])
    headers = [_("District"), _("Code"), *(str(k.label) for k in kpi_columns())]
    content = build_sheet(_title(city, filters), headers, rows, groups=[(_("District"), 2), *kpi_groups()])
    filename = f"{city.name}-{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}.xlsx"
    return Sheet(filename=filename, content=content, rows=len(rows))


def register_kinds() -> None:
    """Called from CitiesConfig.ready()."""
    register(ExportKind(key=CITY_ROLLUP, clean=clean, count=count, title=title, build=build))
