"""HTML pages of the assessment: 我的考核 for a grid worker (phone), a node's ranking for officers with the
compute / publish / recompute buttons, the A4 sheet and the .xlsx export.

Thin: nodes come from `GridNode.objects.visible_to(actor, 'assess')` (outside is 404), scores from selectors,
writes from services (compute goes through the Celery task, eager without Redis). A bad month or version is a
clear message (400) and changes nothing; a step the user may not take is 403, a frozen month 409.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grids.models import GridNode
from yaohai.core.errors import DomainError
from yaohai.core.replica import replica_reads
from yaohai.core.xlsx import xlsx_response

from . import selectors, services, tasks
from .forms import ComputeForm, PublishForm
from .indicators import indicators
from .months import MonthError, current_month, label, parse_month, previous_month
from .rights import ASSESS


def _node_or_404(request, pk) -> GridNode:
    try:
        return selectors.assessable_node(actor=request.user, pk=pk)
    except GridNode.DoesNotExist:
        raise Http404 from None


def _month_and_version(request):
    """The month and version asked for in the query string (None: the newest); a bad one is an error message."""
    month = version = None
    text = request.GET.get("month", "").strip()
    if text:
        try:
            month = parse_month(text)
        except MonthError as error:
            return None, None, str(error)
    raw = request.GET.get("version", "").strip()
    if raw:
        if not raw.isdigit() or not 0 < int(raw) < 32768:
            return None, None, _("The version is a whole number, 1 or more.")
        version = int(raw)
    return month, version, None


def _query(run) -> str:
    return urlencode({"month": label(run.month), "version": run.version}) if run else ""


@login_required
@replica_reads()
def index(request):
    """考核: the top nodes of the officer's assess jurisdiction, each opening its month; a link to 我的考核."""
    nodes = selectors.assessable_top_nodes(actor=request.user)
    return render(request, "assessment/index.html", {"nodes": nodes})


@login_required
@replica_reads()
def me(request):
    """我的考核: the grid worker's score, ranks and breakdown in the newest published month (or the one asked)."""
    month, _version, error = _month_and_version(request)
    mine = None if error else selectors.my_assessment(actor=request.user, month=month)
    context = {
        "mine": mine,
        "error": error,
        "asked": month,
    }
    return render(request, "assessment/me.html", context, status=400 if error else 200)


def _node_context(request, node, *, compute_form=None, publish_form=None, error=None, paged=False) -> dict:
    month, version, query_error = _month_and_version(request)
    runs = selectors.runs_of(tenant_id=node.tenant_id)
    run = None if query_error else selectors.pick_run(runs, month, version)
    page = (request.GET.get("page") or 1) if paged else None
    board = selectors.node_board(actor=request.user, node=node, run=run, page=page)
    months = []
    for r in runs:
        if not months or months[-1]["month"] != r.month:
            months.append({"month": r.month, "label": label(r.month), "versions": []})
        months[-1]["versions"].append(r)
    suggested = label(run.month) if run else label(previous_month(current_month()))
    return {
        "node": node,
        "board": board,
        "run": run,
        "months": months,
        "asked": month,
        "error": error or query_error,
        "query": _query(run),
        "indicators": [i for i in indicators() if not run or any(e["key"] == i.key for e in run.scheme)],
        "may_compute": services.may_compute(request.user, node.tenant_id),
        "may_publish": services.may_publish(request.user, node.tenant_id),
        "compute_form": compute_form or ComputeForm(initial={"month": suggested}),
        "publish_form": publish_form,
        "path": _path(request, node),
    }


def _path(request, node) -> list[tuple[GridNode, bool]]:
    """The breadcrumb: each ancestor, and whether the actor may open its page (a link to a 404 is none)."""
    if not node.parent_id:
        return []
    ancestors = list(node.get_ancestors())
    reachable = set(
        GridNode.objects.visible_to(request.user, ASSESS)
        .filter(is_archived=False, pk__in=[a.pk for a in ancestors])
        .values_list("pk", flat=True)
    )
    return [(a, a.pk in reachable) for a in ancestors]


@login_required
@replica_reads()
def node_page(request, pk):
    """A node's month: its own score, its children's and its grid workers' ranking; compute and publish."""
    node = _node_or_404(request, pk)
    context = _node_context(request, node, paged=True)
    return render(request, "assessment/node.html", context, status=400 if context["error"] else 200)


@login_required
@replica_reads()
def sheet(request, pk):
    """The month's sheet to print on A4 (print CSS; the browser's print dialog makes the PDF)."""
    node = _node_or_404(request, pk)
    context = _node_context(request, node)
    if context["error"]:
        return render(request, "assessment/node.html", context, status=400)
    return render(request, "assessment/sheet.html", context)


@login_required
@replica_reads()
def export(request, pk):
    """The month's sheet as a formatted .xlsx: a title row, 序号, merged headers; workers and nodes."""
    node = _node_or_404(request, pk)
    context = _node_context(request, node)
    if context["error"]:
        return HttpResponseBadRequest(context["error"])
    run = context["run"]
    if run is None:
        return HttpResponseBadRequest(_("This month has not been scored yet."))
    from .xlsx import build_sheet  # openpyxl loads with the first sheet asked for, not with the app

    content = build_sheet(context["board"], context["indicators"])
    return xlsx_response(f"{node.name}-考核-{label(run.month)}-v{run.version}.xlsx", content)


def _refused(request, node, status, error, **forms):
    context = _node_context(request, node, error=error, paged=True, **forms)
    return render(request, "assessment/node.html", context, status=status)


@login_required
@require_POST
def compute(request, pk):
    """Compute a month (or recompute it: a draft in place, a published month as a new version with a reason)."""
    node = _node_or_404(request, pk)
    form = ComputeForm(request.POST)
    if not form.is_valid():
        return _refused(request, node, 400, _("Please correct the errors below."), compute_form=form)
    month, reason = form.cleaned_data["month"], form.cleaned_data["reason"].strip()
    try:
        services.check_compute(actor=request.user, tenant=node.tenant, month=month, reason=reason)
    except DomainError as error:
        return _refused(request, node, error.status, error.message, compute_form=form)
    args = (node.tenant_id, label(month), request.user.pk, reason)
    transaction.on_commit(lambda: tasks.compute_month.delay(*args))
    if tasks.compute_month.app.conf.task_always_eager:  # no Redis: the task ran in this request
        messages.success(request, _("%(month)s computed.") % {"month": label(month)})
    else:
        messages.info(request, _("%(month)s is being computed; reload the page in a moment.") % {"month": label(month)})
    return redirect(f"{reverse('assessment:node', args=[node.pk])}?{urlencode({'month': label(month)})}")


@login_required
@require_POST
def publish(request, pk):
    """Publish a draft version: grid workers see it, and it is frozen."""
    node = _node_or_404(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _refused(request, node, 400, _("Please correct the errors below."), publish_form=form)
    month, version = form.cleaned_data["month"], form.cleaned_data["version"]
    try:
        run = services.publish_month(actor=request.user, tenant=node.tenant, month=month, version=version)
    except DomainError as error:
        return _refused(request, node, error.status, error.message, publish_form=form)
    messages.success(request, _("%(month)s version %(version)s published.") % {"month": label(month), "version": version})
    return redirect(f"{reverse('assessment:node', args=[node.pk])}?{_query(run)}")
