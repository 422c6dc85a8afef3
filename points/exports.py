"""The points' sheets (台账), registered with exports.registry: the tables of the points panel of a node's page —
points issued and spent per community, the most active volunteers and households — over the page's date range,
read through the actor's scope like the panel (points/panels.py)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dashboards.filters import DashboardFilters
from dashboards.nodes import dashboard_node
from exports.registry import ExportKind, Sheet, register
from grids.models import GridNode
from yaohai.core.xlsx import build_sheet

from . import panels
from .choices import AccountKind

ACTIVE = {"points_volunteers": AccountKind.VOLUNTEER, "points_households": AccountKind.HOUSEHOLD}


def _node(actor, parameters) -> GridNode:
    try:
        return dashboard_node(actor=actor, pk=int(parameters.get("node")))
    except (TypeError, ValueError, GridNode.DoesNotExist):
        raise ValidationError(_("This node is not in your jurisdiction."), code="export_node") from None


def clean(*, actor, parameters: dict) -> dict:
    """The node (in the actor's jurisdiction), one of the panel's tables, the date range (the page's default)."""
    node = _node(actor, parameters)
    table = parameters.get("table")
    if table not in panels.TABLES:
        raise ValidationError(_("Unknown table."), code="export_table")
    for key in ("from", "to"):  # a sheet over the wrong range is worse than none: an unreadable date is an error
        value = parameters.get(key)
        try:
            if value not in (None, ""):
                dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(_("“%(value)s” is not a date (YYYY-MM-DD)."), params={"value": value},
                                  code="export_date") from None
    filters = DashboardFilters.from_query(parameters)
    return {"node": node.pk, "table": table, "from": filters.date_from.isoformat(), "to": filters.date_to.isoformat()}


def _rows(actor, parameters):
    node, filters = _node(actor, parameters), DashboardFilters.from_query(parameters)
    table = parameters["table"]
    if table == "points_communities":
        headers = [_("Community"), _("Points issued"), _("Points spent")]
        data = [[r["community"], r["issued"], r["spent"]] for r in panels.per_community(actor, node, filters)]
    else:
        headers = [_("Passbook number"), _("Name"), _("Community"), _("Points earned"), _("Times")]
        data = [[r["number"], r["name"], r["community"], r["earned"], r["times"]]
                for r in panels.most_active(actor, node, filters, ACTIVE[table], limit=None)]
    return node, filters, headers, data


def count(*, actor, parameters: dict, limit: int) -> int:
    """A row per community (few), or per passbook that earned in the range (counted no further than `limit`)."""
    table = parameters["table"]
    if table == "points_communities":
        return 0
    node, filters = _node(actor, parameters), DashboardFilters.from_query(parameters)
    return panels.earners(actor, node, filters, ACTIVE[table])[:limit].count()


def _title(node, table, filters) -> str:
    titles = {
        "points_communities": _("%(node)s · points issued and spent per community · %(span)s"),
        "points_volunteers": _("%(node)s · most active volunteers · %(span)s"),
        "points_households": _("%(node)s · most active households · %(span)s"),
    }
    return titles[table] % {"node": node.name, "span": f"{filters.date_from:%Y-%m-%d} – {filters.date_to:%Y-%m-%d}"}


def title(*, actor, parameters: dict) -> str:
    return _title(_node(actor, parameters), parameters["table"], DashboardFilters.from_query(parameters))


def build(*, actor, parameters: dict) -> Sheet:
    node, filters, headers, data = _rows(actor, parameters)
    table = parameters["table"]
    content = build_sheet(_title(node, table, filters), headers, data)
    filename = f"{node.name}-{table}-{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}.xlsx"
    return Sheet(filename=filename, content=content, rows=len(data))


def register_kinds() -> None:
    """Called from PointsConfig.ready()."""
    register(ExportKind(key=panels.DASHBOARD, clean=clean, count=count, title=title, build=build))
