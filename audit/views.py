"""The audit page and its sheet, for audit administrators (everyone else: 404, as if it did not exist)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from yaohai.core.xlsx import build_sheet, xlsx_response

from . import selectors, services
from .models import Kind

SHEET_LIMIT = 100_000


def _require_auditor(request):
    if not selectors.may_read(request.user):
        raise Http404


@login_required
def entry_list(request):
    """审计日志: filters, 50 a page newest first, and the same rows as a sheet."""
    _require_auditor(request)
    try:
        filters = selectors.parse_filters(request.GET)
        rows, cursor = selectors.page(actor=request.user, filters=filters, after=request.GET.get("after"))
    except ValidationError as error:
        return render(
            request, "audit/list.html",
            {"errors": error.messages, "kinds": Kind.choices, "query": request.GET, "rows": []}, status=400,
        )
    services.record("audit.view", kind=Kind.READ, summary={"filters": request.GET.dict()})
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request, "audit/list.html",
        {"rows": rows, "cursor": cursor, "kinds": Kind.choices, "query": request.GET, "base_query": query.urlencode()},
    )


@login_required
def export(request):
    """The filtered trail as an .xlsx sheet (at most 100,000 rows); the export itself is audited."""
    _require_auditor(request)
    try:
        filters = selectors.parse_filters(request.GET)
    except ValidationError as error:
        return render(
            request, "audit/list.html",
            {"errors": error.messages, "kinds": Kind.choices, "query": request.GET, "rows": []}, status=400,
        )
    qs = selectors.entries(actor=request.user, filters=filters)[:SHEET_LIMIT]
    kinds = dict(Kind.choices)
    tz = timezone.get_current_timezone()
    rows = (
        (
            timezone.localtime(e.at, tz).strftime("%Y-%m-%d %H:%M:%S"), e.actor_name, e.address or "",
            str(kinds.get(e.kind, e.kind)), e.action, e.object_type, e.object_id, e.object_repr,
            _summary_text(e.summary), e.seq or "", e.hash,
        )
        for e in qs.iterator(chunk_size=2000)
    )
    headers = [_("Time"), _("Who"), _("Address"), _("Kind"), _("Action"), _("Object type"), _("Object id"),
               _("Object"), _("Summary"), _("Chain position"), _("Hash")]
    content = build_sheet(_("Audit trail"), headers, rows)
    services.record("audit.export", kind=Kind.READ, summary={"filters": request.GET.dict()})
    return xlsx_response(f"{_('Audit trail')}-{timezone.localdate():%Y%m%d}.xlsx", content)


def _summary_text(summary: dict) -> str:
    parts = []
    for key, value in (summary or {}).items():
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{key}: {value[0]} → {value[1]}")
        else:
            parts.append(f"{key}: {value}")
    return "; ".join(parts)[:2000]
