"""The dashboard pages (驾驶舱): a node's page, its large-screen mode and its panels' .xlsx ledgers.

Thin: the node comes from `GridNode.objects.visible_to` (out of scope or archived is 404), the page's data from
dashboards.cache (each registered panel's build), its display from each panel's `present`; the charts read one
JSON embedded with `json_script`, to which each panel adds its "chart" entries.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import json_script
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from exports.responses import answer as export_answer
from grids.models import GridNode
from grids.scope import scope_for
from yaohai.core.query import strict_query

from . import cache, registry
from .filters import PERIODS, DashboardFilters
from .nodes import dashboard_node, node_path


def _node_or_404(request, pk) -> GridNode:
    try:
        return dashboard_node(actor=request.user, pk=pk)
    except GridNode.DoesNotExist:
        raise Http404 from None


# ?from=&to=&period= read strictly: a date or period the page cannot read is a 400, not the default range.
dashboard_query = strict_query(**{
    "from": forms.DateField(required=False, input_formats=["%Y-%m-%d"]),
    "to": forms.DateField(required=False, input_formats=["%Y-%m-%d"]),
    "period": forms.ChoiceField(required=False, choices=[(key, key) for key in PERIODS]),
})


def openable_path(actor, path: list[GridNode]) -> list[tuple[GridNode, bool]]:
    """The breadcrumb's ancestors, each with whether the viewer may open its dashboard: from the first one their
    jurisdiction holds downwards (no query; the scope is cached on the user). A street officer's district, a
    community head's street, are shown as text: their dashboards answer 404 to them."""
    scope = scope_for(actor)
    if scope.everything or scope.whole_tenant:
        return [(ancestor, True) for ancestor in path]
    held = {pk for ids in scope.node_ids.values() for pk in ids}
    crumbs, inside = [], False
    for ancestor in path:
        inside = inside or ancestor.pk in held
        crumbs.append((ancestor, inside))
    return crumbs


def _draw(page, view: registry.PageView, context: dict, *, screen: bool) -> dict:
    """The page's panels drawn for one route and language: their HTML, the JSON their charts read (as its script
    element) and which panels are shown. Depends on the page's data, the view and the language only, so the
    dashboard cache keeps it (dashboards.cache.rendered)."""
    shown, chart_data = [], {"period": view.filters.period, "labels": {"no_data": _("No data in this range.")}}
    for panel in registry.panels():
        if panel.key not in page.panels:
            continue
        panel_context = panel.present(page.panels[panel.key], view)
        for key, value in panel_context.pop("chart", {}).items():
            if isinstance(value, dict) and isinstance(chart_data.get(key), dict):
                chart_data[key] = {**chart_data[key], **value}
            else:
                chart_data[key] = value
        template = panel.screen_template if screen else panel.template
        if template:
            shown.append({"key": panel.key, "template": template, "context": panel_context})
    return {
        "panels": render_to_string("dashboards/_panels.html", {**context, "panels": shown}),
        "chart": json_script(chart_data, "dashboard-data"),
        "keys": tuple(page.panels),
    }


def _context(request, node: GridNode, url_name: str = "dashboards:node", *, screen: bool = False) -> dict:
    filters = DashboardFilters.from_query(request.GET)
    query = urlencode(filters.as_query())
    context = {
        "node": node,
        "filters": filters,
        "periods": [
            {"label": label, "active": key == filters.period, "query": urlencode(filters.as_query(period=key))}
            for key, label in (("day", _("day")), ("week", _("week")), ("month", _("month")))
        ],
        "query": query,
    }

    def draw(page):
        view = registry.PageView(
            node=node, filters=filters, query=query, url_name=url_name, shown=frozenset(page.panels)
        )
        return _draw(page, view, context, screen=screen)

    drawn = cache.rendered(
        actor=request.user, node=node, filters=filters, variant=f"{get_language()}:{url_name}", render=draw
    )
    path = node_path(node)  # the ancestors came with the node (no query)
    return {
        **context,
        "drawn": drawn,
        "path": path,
        "crumbs": openable_path(request.user, path),
        "exports": [e for panel in registry.panels() if panel.key in drawn["keys"] for e in panel.exports],
    }


@login_required
@dashboard_query
def node_dashboard(request, pk):
    """A node's dashboard: the registered panels (the events': KPI cards, trend, breakdowns, the children's
    ranking and map, the overdue list)."""
    node = _node_or_404(request, pk)
    return render(request, "dashboards/node.html", _context(request, node))


@login_required
@dashboard_query
def screen(request, pk):
    """The same dashboard for the command-centre wall: 1920×1080, dark, reloading itself every minute."""
    node = _node_or_404(request, pk)
    context = _context(request, node, "dashboards:screen", screen=True)
    context["refresh_seconds"] = 60
    return render(request, "dashboards/screen.html", context)


@login_required
def export(request, pk):
    """One table of the dashboard as a formatted ledger (台账), with the page's date range: at once when small,
    else built in the background and downloaded from 我的导出 (exports; the panel names the export kind)."""
    node = _node_or_404(request, pk)
    table = request.GET.get("table", "children")
    parameters = {"node": node.pk, "table": table, "from": request.GET.get("from"), "to": request.GET.get("to")}
    back_url = f"{reverse('dashboards:node', args=[node.pk])}?{urlencode(DashboardFilters.from_query(request.GET).as_query())}"
    found = registry.export_for(table)
    if found is None:
        return render(request, "exports/invalid.html", {"errors": [_("Unknown table.")], "back_url": back_url}, status=400)
    return export_answer(request, kind=found.kind, parameters=parameters, back_url=back_url)
