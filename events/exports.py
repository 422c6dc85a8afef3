"""The events app's sheets (台账), registered with exports: the officers' filtered event list and the tables
of a node's dashboard. Each reads through the actor's scope, so the same code answers a small export inside the
request and builds a large one later in a task for the job's owner (docs/exports.md).
"""

from __future__ import annotations

import datetime as dt
import json
from itertools import count

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards.filters import DashboardFilters
from dashboards.nodes import dashboard_node
from exports.registry import ExportKind, Sheet, register
from grids.models import GridNode, User
from yaohai.core.xlsx import build_sheet

from . import kpis, panels, selectors
from .forms import EventFilterForm

EVENT_LIST = "events.list"
DASHBOARD = panels.DASHBOARD  # the dashboard sheets, linked from the events panels


class _Counted:
    """Wraps the rows of a sheet and counts them as the writer takes them."""

    def __init__(self, rows):
        self._rows, self._counter, self.rows = rows, count(1), 0

    def __iter__(self):
        for row in self._rows:
            self.rows = next(self._counter)
            yield row


def _errors(form) -> ValidationError:
    """The form's errors as one ValidationError, each message led by its field's label."""
    messages = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        messages.extend(_("%(field)s: %(error)s") % {"field": label, "error": e} if label else e for e in errors)
    return ValidationError(messages)


# ---------------------------------------------------------------------------------------------------------
# The officers' event list
# ---------------------------------------------------------------------------------------------------------

LIST_FIELDS = ("status", "category", "node", "date_from", "date_to", "overdue")


def _list_form(actor: User, parameters: dict) -> EventFilterForm:
    """The list's filter form over the parameters, checked once per user object (clean, count, title and build
    each ask; a task's owner is read fresh)."""
    data = {k: parameters[k] for k in LIST_FIELDS if parameters.get(k) not in (None, "", False)}
    forms = actor.__dict__.setdefault("_export_list_forms", {})
    key = json.dumps(data, sort_keys=True, default=str)
    if key not in forms:
        form = EventFilterForm(data, actor=actor)
        if not form.is_valid():
            raise _errors(form)
        forms[key] = form
    return forms[key]


def clean_list(*, actor: User, parameters: dict) -> dict:
    """The list page's filters, checked against what the actor may choose (a node or category outside is an
    error, not silently dropped); stored as plain JSON."""
    data = _list_form(actor, parameters).cleaned_data
    cleaned = {
        "status": data.get("status") or None,
        "category": data["category"].pk if data.get("category") else None,
        "node": data["node"].pk if data.get("node") else None,
        "date_from": data["date_from"].isoformat() if data.get("date_from") else None,
        "date_to": data["date_to"].isoformat() if data.get("date_to") else None,
        "overdue": bool(data.get("overdue")) or None,
    }
    return {k: v for k, v in cleaned.items() if v is not None}


def _list_rows(actor: User, parameters: dict):
    return selectors.filtered_events(actor=actor, filters=_list_form(actor, parameters).filters())


def count_list(*, actor: User, parameters: dict, limit: int) -> int:
    return _list_rows(actor, parameters)[:limit].count()


def title_list(*, actor: User, parameters: dict) -> str:
    filters = _list_form(actor, parameters).filters()
    parts = []
    if filters.status:
        parts.append(str(dict(EventFilterForm.base_fields["status"].choices).get(filters.status, filters.status)))
    if filters.category is not None:
        parts.append(filters.category.name)
    if filters.node is not None:
        parts.append(filters.node.name)
    if filters.date_from or filters.date_to:
        parts.append(f"{filters.date_from or '…'} – {filters.date_to or '…'}")
    if filters.overdue:
        parts.append(_("overdue only"))
    return " · ".join([_("Event sheet"), *parts])


def build_list(*, actor: User, parameters: dict) -> Sheet:
    """The filtered list, one event a row."""
    events = _list_rows(actor, parameters).select_related(*selectors.LIST_RELATED)
    local = timezone.localtime
    rows = _Counted(
        [e.reference, e.title, e.category.parent.name if e.category.parent_id else "", e.category.name,
         e.node.name, e.node.parent.name if e.node.parent_id else "", e.get_status_display(),
         e.get_urgency_display(), local(e.created_at).strftime("%Y-%m-%d %H:%M"),
         local(e.due_at).strftime("%Y-%m-%d %H:%M") if e.due_at else "",
         _("yes") if e.is_overdue else "", e.current_unit.name if e.current_unit_id else "",
         e.get_close_reason_display()]
        for e in events.iterator(chunk_size=2000)
    )
    content = build_sheet(
        title_list(actor=actor, parameters=parameters),
        [_("Reference"), _("Title"), _("Main category"), _("Subcategory"), _("Grid"), _("Community"),
         _("Status"), _("Urgency"), _("Reported at"), _("Deadline"), _("Overdue"), _("Handling unit"),
         _("Close reason")],
        rows,
        groups=[(_("Event"), 4), (_("Where"), 2), (_("Handling"), 7)],
    )
    return Sheet(filename=f"events-{timezone.localdate():%Y%m%d}.xlsx", content=content, rows=rows.rows)


# ---------------------------------------------------------------------------------------------------------
# A node's dashboard: the children's KPIs, the KPIs by category, the overdue events
# ---------------------------------------------------------------------------------------------------------

DASHBOARD_TABLES = ("children", "categories", "overdue")


def _date(parameters: dict, key: str) -> dt.date | None:
    value = parameters.get(key)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date (YYYY-MM-DD)."), params={"value": value}, code="export_date"
        ) from None


def _dashboard_node(actor: User, parameters: dict) -> GridNode:
    """The node, read once per user object (clean, count and build each ask; a task's owner is read fresh)."""
    try:
        pk = int(parameters.get("node"))
    except (TypeError, ValueError):
        raise ValidationError(_("This node is not in your jurisdiction."), code="export_node") from None
    found = actor.__dict__.setdefault("_export_nodes", {})
    if pk not in found:
        try:
            found[pk] = dashboard_node(actor=actor, pk=pk)
        except GridNode.DoesNotExist:
            raise ValidationError(_("This node is not in your jurisdiction."), code="export_node") from None
    return found[pk]


def clean_dashboard(*, actor: User, parameters: dict) -> dict:
    """The node (in the actor's jurisdiction, live), the table, and the date range (the page's default when absent;
    an unreadable date is an error here, since a sheet over the wrong range is worse than none)."""
    node = _dashboard_node(actor, parameters)
    table = parameters.get("table") or "children"
    if table not in DASHBOARD_TABLES:
        raise ValidationError(_("Unknown table."), code="export_table")
    date_from, date_to = _date(parameters, "from"), _date(parameters, "to")
    filters = DashboardFilters.from_query(
        {"from": date_from.isoformat() if date_from else None, "to": date_to.isoformat() if date_to else None}
    )
    return {"node": node.pk, "table": table, "from": filters.date_from.isoformat(), "to": filters.date_to.isoformat()}


def _dashboard_setting(actor: User, parameters: dict):
    node = _dashboard_node(actor, parameters)
    filters = DashboardFilters.from_query(parameters)
    return node, filters, panels.node_events(actor=actor, node=node, filters=filters)


def count_dashboard(*, actor: User, parameters: dict, limit: int) -> int:
    """The overdue list grows with the data; the other tables have a row per child node or main category."""
    if parameters["table"] != "overdue":
        return 0
    node, filters, events = _dashboard_setting(actor, parameters)
    return panels.overdue_events(events, now=timezone.now(), limit=None)[:limit].count()


def _dashboard_title(node: GridNode, table: str, filters) -> str:
    span = f"{filters.date_from:%Y-%m-%d} – {filters.date_to:%Y-%m-%d}"
    titles = {
        "children": _("%(node)s · children's KPIs · %(span)s"),
        "categories": _("%(node)s · KPIs by category · %(span)s"),
        "overdue": _("%(node)s · overdue events · %(span)s"),
    }
    return titles[table] % {"node": node.name, "span": span}


def title_dashboard(*, actor: User, parameters: dict) -> str:
    node = _dashboard_node(actor, parameters)
    return _dashboard_title(node, parameters["table"], DashboardFilters.from_query(parameters))


# The KPI columns of a sheet, grouped under merged headers by measure: counts, rates, time.
KPI_GROUPS = (("count", gettext_lazy("Counts")), ("percent", gettext_lazy("Rates (per cent)")),
              ("hours", gettext_lazy("Time (hours)")))


def kpi_columns() -> list:
    return [k for measure, _label in KPI_GROUPS for k in kpis.RANKABLE if k.measure == measure]


def kpi_groups() -> list[tuple[str, int]]:
    groups = []
    for measure, label in KPI_GROUPS:
        n = sum(1 for k in kpis.RANKABLE if k.measure == measure)
        if n:
            groups.append((str(label), n))
    return groups


def kpi_values(row: dict) -> list:
    return ["" if row.get(k.key) is None else row.get(k.key) for k in kpi_columns()]


def build_dashboard(*, actor: User, parameters: dict) -> Sheet:
    """One table of the dashboard, over the page's date range."""
    node, filters, events = _dashboard_setting(actor, parameters)
    table = parameters["table"]
    now = timezone.now()
    rows = panels.rollup_rows(actor=actor, node=node, filters=filters)
    kpi_headers = [str(k.label) for k in kpi_columns()]
    groups = None
    if table == "children":
        found = panels.children_kpis(
            actor=actor, node=node, sums=panels.rollup_sums(rows, node), live=panels.live_counts(events, node, now)
        )
        headers = [_("Name"), _("Code"), *kpi_headers]
        data = [[r.node.name, r.node.code, *kpi_values(r.kpis)] for r in found]
        groups = [(_("Node"), 2), *kpi_groups()]
    elif table == "categories":
        found = panels.category_kpis(panels.rollup_sums(rows, node), panels.live_counts(events, node, now))
        headers = [_("Category"), *kpi_headers]
        data = [[r["category__parent__name"] or "", *kpi_values(r)] for r in found]
        groups = [(None, 1), *kpi_groups()]
    else:
        found = panels.overdue_events(events, now=now, limit=None)
        headers = [_("Reference"), _("Title"), _("Category"), _("Grid"), _("Status"), _("Reported at"),
                   _("Deadline"), _("Overdue (hours)")]
        tz = timezone.get_current_timezone()
        data = (
            [
                e.reference,
                e.title,
                str(e.category),
                e.node.name,
                e.get_status_display(),
                timezone.localtime(e.created_at, tz).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(e.due_at, tz).strftime("%Y-%m-%d %H:%M"),
                round((now - e.due_at).total_seconds() / 3600, 1),
            ]
            for e in found.iterator(chunk_size=2000)
        )
    rows = _Counted(data)
    content = build_sheet(_dashboard_title(node, table, filters), headers, rows, groups=groups)
    filename = f"{node.name}-{table}-{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}.xlsx"
    return Sheet(filename=filename, content=content, rows=rows.rows)


def register_kinds() -> None:
    """Called from EventsConfig.ready()."""
    register(ExportKind(key=EVENT_LIST, clean=clean_list, count=count_list, title=title_list, build=build_list))
    register(
        ExportKind(
            key=DASHBOARD, clean=clean_dashboard, count=count_dashboard, title=title_dashboard, build=build_dashboard
        )
    )
