"""The dashboard pages (驾驶舱): a node's page, its large-screen mode and its .xlsx ledgers.

Thin: the node comes from `GridNode.objects.visible_to` (out of scope or archived is 404), the numbers from
events.dashboards and events.kpis; the charts read JSON embedded with `json_script`.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from grids.exports.responses import answer as export_answer
from grids.models import GridNode
from yaohai.core.query import strict_query

from . import dashboard_cache, dashboards, exports, kpis


def _node_or_404(request, pk) -> GridNode:
    try:
        return dashboards.dashboard_node(actor=request.user, pk=pk)
    except GridNode.DoesNotExist:
        raise Http404 from None


def _fmt(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "hours":
        return f"{value:.1f} h"
    return f"{value}"


def _cards(totals: dict) -> list[dict]:
    return [
        {
            "key": k.key,
            "label": k.label,
            "definition": k.definition,
            "available": k.available,
            "value": _fmt(totals.get(k.key), k.unit) if k.available else _("n/a"),
        }
        for k in kpis.KPIS
    ]


def _chart_data(board: dashboards.Dashboard, view: str) -> dict:
    """What dashboard.js draws: trend, breakdowns, children (for the table and the map) and their shapes."""
    query = urlencode(board.filters.as_query())
    return {
        "kpis": [
            {"key": k.key, "label": str(k.label), "unit": k.unit} for k in kpis.RANKABLE
        ],
        "period": board.filters.period,
        "trend": {
            "labels": [row["period"].isoformat() for row in board.trend],
            "events": [row["events"] for row in board.trend],
            "closed": [row["closed"] for row in board.trend],
            "closure_rate": [row["closure_rate"] for row in board.trend],
        },
        "categories": [
            {"name": row["category__parent__name"] or _("(none)"), "value": row["events"]}
            for row in board.categories
        ],
        "statuses": [{"name": str(row["label"]), "value": row["events"]} for row in board.statuses],
        "children": [
            {
                "id": row.node.pk,
                "name": row.node.name,
                "url": f"{reverse(view, args=[row.node.pk])}?{query}",
                **{k.key: row.kpis.get(k.key) for k in kpis.RANKABLE},
            }
            for row in board.children
        ],
        "geo": dashboards.feature_collection(board.children),
        "labels": {
            "reported": _("reported"),
            "closed": _("closed"),
            "closure_rate": _("closure rate"),
            "no_data": _("No data in this range."),
        },
    }


def _context(request, node: GridNode, view: str = "dashboards:node") -> dict:
    filters = dashboards.DashboardFilters.from_query(request.GET)
    board = dashboard_cache.dashboard(actor=request.user, node=node, filters=filters)
    return {
        "node": node,
        "board": board,
        "filters": filters,
        "cards": _cards(board.totals),
        "rankable": kpis.RANKABLE,
        "chart_data": _chart_data(board, view),
        "ranking": _ranking(board, view),
        "periods": [
            {"label": label, "active": key == filters.period, "query": urlencode(filters.as_query(period=key))}
            for key, label in (("day", _("day")), ("week", _("week")), ("month", _("month")))
        ],
        "query": urlencode(filters.as_query()),
        "overdue_limit": dashboards.OVERDUE_LIMIT,
    }


def _ranking(board: dashboards.Dashboard, view: str) -> list[dict]:
    """The children's table: display text and a numeric sort key per KPI (no value sorts last)."""
    query = urlencode(board.filters.as_query())
    return [
        {
            "name": row.node.name,
            "code": row.node.code,
            "url": f"{reverse(view, args=[row.node.pk])}?{query}",
            "cells": [
                {"text": _fmt(row.kpis.get(k.key), k.unit), "sort": "" if row.kpis.get(k.key) is None else str(row.kpis[k.key])}
                for k in kpis.RANKABLE
            ],
        }
        for row in board.children
    ]


def _period_choices():
    return [(key, key) for key in kpis.PERIODS]


# ?from=&to=&period= read strictly: a date or period the page cannot read is a 400, not the default range.
dashboard_query = strict_query(**{
    "from": forms.DateField(required=False, input_formats=["%Y-%m-%d"]),
    "to": forms.DateField(required=False, input_formats=["%Y-%m-%d"]),
    "period": forms.ChoiceField(required=False, choices=_period_choices),
})


@login_required
@dashboard_query
def node_dashboard(request, pk):
    """A node's dashboard: KPI cards, trend, breakdowns, the children's ranking and map, the overdue list."""
    node = _node_or_404(request, pk)
    return render(request, "dashboards/node.html", _context(request, node))


@login_required
@dashboard_query
def screen(request, pk):
    """The same dashboard for the command-centre wall: 1920×1080, dark, reloading itself every minute."""
    node = _node_or_404(request, pk)
    context = _context(request, node, "dashboards:screen")
    context["refresh_seconds"] = 60
    return render(request, "dashboards/screen.html", context)


@login_required
def export(request, pk):  # its dates are checked by the export itself (events.exports.clean_dashboard): a 400 there
    """One table of the dashboard as a formatted ledger (台账), with the page's date range: at once when small,
    else built in the background and downloaded from 我的导出 (grids.exports; the builder is events.exports)."""
    node = _node_or_404(request, pk)
    parameters = {
        "node": node.pk,
        "table": request.GET.get("table", "children"),
        "from": request.GET.get("from"),
        "to": request.GET.get("to"),
    }
    back_url = f"{reverse('dashboards:node', args=[node.pk])}?{urlencode(dashboards.DashboardFilters.from_query(request.GET).as_query())}"
    return export_answer(request, kind=exports.DASHBOARD, parameters=parameters, back_url=back_url)
