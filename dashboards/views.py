"""The dashboard pages (驾驶舱): a node's page, its large-screen mode and its panels' .xlsx sheets.

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
from yaohai.core.replica import replica_reads

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


def present_panels(data: dict, view: registry.PageView, *, screen: bool = False) -> tuple[list, dict, list]:
    """Each registered panel whose data is in `data` (by key), presented for `view` in page order: the templates
    with their context, the charts' JSON (with the page's period and labels), the sheets."""
    filters = view.filters
    shown, chart_data, exports = [], {"period": filters.period, "labels": {"no_data": _("No data in this range.")}}, []
    for panel in registry.panels():
        if panel.key not in data:
            continue
        context = panel.present(data[panel.key], view)
        for key, value in context.pop("chart", {}).items():
            if isinstance(value, dict) and isinstance(chart_data.get(key), dict):
                chart_data[key] = {**chart_data[key], **value}
            else:
                chart_data[key] = value
        template = panel.screen_template if screen else panel.template
        if template:
            shown.append({"key": panel.key, "template": template, "context": context})
        exports.extend(panel.exports)
    return shown, chart_data, exports


def period_links(filters: DashboardFilters) -> list[dict]:
    """The trend's period switch: day, week, month, each keeping the page's range."""
    return [
        {"label": label, "active": key == filters.period, "query": urlencode(filters.as_query(period=key))}
        for key, label in (("day", _("day")), ("week", _("week")), ("month", _("month")))
    ]


def _draw(data: dict, view: registry.PageView, context: dict, *, screen: bool) -> dict:
    """The page's panels drawn for one route and language: their HTML, the JSON their charts read (as its script
    element), which panels are shown and their sheets. Depends on the page's data, the view and the language only,
    so the dashboard cache keeps it (dashboards.cache.rendered)."""
    shown, chart_data, exports = present_panels(data, view, screen=screen)
    return {
        "panels": render_to_string("dashboards/_panels.html", {**context, "panels": shown}),
        "chart": json_script(chart_data, "dashboard-data"),
        "keys": tuple(data),
        "exports": exports,
    }


def page_context(
    request, node: GridNode, url_name: str = "dashboards:node", *, screen: bool = False, actor=None,
    only_aggregates: bool = False,
) -> dict:
    """What a node's page shows: each registered panel presented and drawn (kept drawn by the dashboard cache), the
    charts' JSON, the breadcrumbs, the filters.

    `actor` reads the page (the signed-in user by default); `only_aggregates` keeps the panels that show counts
    only (`Panel.aggregate`) and no sheet: the city level's read-only view of a district (cities/)."""
    actor = actor or request.user
    filters = DashboardFilters.from_query(request.GET)
    query = urlencode(filters.as_query())
    context = {"node": node, "filters": filters, "periods": period_links(filters), "query": query}

    def draw(page):
        allowed = registry.aggregate_keys() if only_aggregates else frozenset(page.panels)
        data = {key: value for key, value in page.panels.items() if key in allowed}
        view = registry.PageView(node=node, filters=filters, query=query, url_name=url_name, shown=frozenset(data))
        return _draw(data, view, context, screen=screen)

    variant = f"{get_language()}:{url_name}:{'aggregates' if only_aggregates else 'all'}"
    drawn = cache.rendered(actor=actor, node=node, filters=filters, variant=variant, render=draw)
    path = node_path(node)  # the ancestors came with the node (no query)
    return {
        **context,
        "drawn": drawn,
        "path": path,
        "crumbs": openable_path(actor, path),
        "crumb_url": url_name,
        "exports": [] if only_aggregates else drawn["exports"],
    }


@login_required
@dashboard_query
@replica_reads()
def node_dashboard(request, pk):
    """A node's dashboard: the registered panels (the events': KPI cards, trend, breakdowns, the children's
    ranking and map, the overdue list)."""
    node = _node_or_404(request, pk)
    return render(request, "dashboards/node.html", page_context(request, node))


@login_required
@dashboard_query
@replica_reads()
def screen(request, pk):
    """The same dashboard for the command-centre wall: 1920×1080, dark, reloading itself every minute."""
    node = _node_or_404(request, pk)
    context = page_context(request, node, "dashboards:screen", screen=True)
    context["refresh_seconds"] = 60
    return render(request, "dashboards/screen.html", context)


@login_required
def export(request, pk):
    """One table of the dashboard as a formatted sheet (台账), with the page's date range: at once when small,
    else built in the background and downloaded from 我的导出 (exports; the panel names the export kind)."""
    node = _node_or_404(request, pk)
    table = request.GET.get("table", "children")
    parameters = {"node": node.pk, "table": table, "from": request.GET.get("from"), "to": request.GET.get("to")}
    back_url = f"{reverse('dashboards:node', args=[node.pk])}?{urlencode(DashboardFilters.from_query(request.GET).as_query())}"
    found = registry.export_for(table)
    if found is None:
        return render(request, "exports/invalid.html", {"errors": [_("Unknown table.")], "back_url": back_url}, status=400)
    return export_answer(request, kind=found.kind, parameters=parameters, back_url=back_url)
