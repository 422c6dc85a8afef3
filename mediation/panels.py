"""Mediation on every node's dashboard (dashboards.registry) and in the monthly assessment (yaohai.core.indicators).

The panel counts the cases registered under the node in the page's range, read through the actor's tree scope:
by type, status and body; the success rate (调解成功率 = agreements ÷ cases concluded, i.e. agreements plus
terminations); the on-time rate (cases concluded by their time limit ÷ cases concluded); agreements performed in
full ÷ agreements followed up; and the open high-risk cases (whatever their date)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from grids.querysets import ScopedQuerySetMixin
from yaohai.core.indicators import CountSource, Indicator, MonthCounts, month_bounds, register

from .choices import OPEN_STATUSES, Risk, Status
from .models import Agreement, Case, CaseLog


def _terminated():
    return Exists(CaseLog.objects.filter(case=OuterRef("pk"), action="terminate"))


def _agreed():
    return Exists(Agreement.objects.filter(case=OuterRef("pk")))


def _on_time():
    return Exists(Agreement.objects.filter(case=OuterRef("pk"), signed_on__lte=OuterRef("due_on"))) | Exists(
        CaseLog.objects.filter(case=OuterRef("pk"), action="terminate", created_at__date__lte=OuterRef("due_on"))
    )


def rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def _totals(in_range: Q) -> dict:
    """The aggregate's terms over the cases matching `in_range` (the page's range)."""
    concluded = Q(is_agreed=True) | Q(is_ended=True)
    return {
        "cases": Count("pk", filter=in_range),
        "agreed": Count("pk", filter=in_range & Q(is_agreed=True)),
        "concluded": Count("pk", filter=in_range & concluded),
        "on_time": Count("pk", filter=in_range & concluded & Q(is_on_time=True)),
        "performed": Count("pk", filter=in_range & Q(agreement__performance="full")),
        "followed": Count("pk", filter=in_range & Q(agreement__isnull=False) & ~Q(agreement__performance="")),
    }


def figures(rows, in_range: Q | None = None) -> dict:
    """The panel's figures over a queryset of cases: one aggregate and one GROUP BY (type, status, body)."""
    in_range = in_range if in_range is not None else Q()
    marked = rows.annotate(is_agreed=_agreed(), is_ended=_terminated(), is_on_time=_on_time())
    totals = marked.aggregate(
        **_totals(in_range),
        high_risk_count=Count("pk", filter=Q(risk=Risk.HIGH, status__in=OPEN_STATUSES)),
    )
    by = {"types": defaultdict(int), "statuses": defaultdict(int), "bodies": defaultdict(int)}
    grouped = rows.filter(in_range).order_by().values("dispute_type__name", "status", "body__name")
    for row in grouped.annotate(n=Count("pk")):
        by["types"][row["dispute_type__name"]] += row["n"]
        by["statuses"][row["status"]] += row["n"]
        by["bodies"][row["body__name"] or ""] += row["n"]
    return {
        **totals,
        **{key: sorted(values.items(), key=lambda item: -item[1]) for key, values in by.items()},
        "success_rate": rate(totals["agreed"], totals["concluded"]),
        "on_time_rate": rate(totals["on_time"], totals["concluded"]),
        "performed_rate": rate(totals["performed"], totals["followed"]),
    }


def build(request):
    node, filters = request.node, request.filters
    scoped = ScopedQuerySetMixin.visible_to(Case.objects.all(), request.actor)
    under = scoped.filter(tenant_id=node.tenant_id, **{f"{node.kind}_id": node.pk})
    data = figures(under, Q(created_at__gte=filters.start, created_at__lt=filters.end))
    high = under.filter(risk=Risk.HIGH, status__in=OPEN_STATUSES).select_related("dispute_type").order_by("-id")
    data["high_risk"] = [
        {"number": c.number, "type": c.dispute_type.name, "status": c.get_status_display()} for c in high[:10]
    ] if data["high_risk_count"] else []
    return data


def present(data, view) -> dict:
    labels = dict(Status.choices)
    return {
        **data,
        "statuses": [(labels.get(status, status), n) for status, n in data["statuses"]],
    }


def register_panels() -> None:
    from dashboards.registry import Panel
    from dashboards.registry import register as register_panel

    register_panel(Panel(
        key="mediation.summary", build=build, present=present, order=80, invalidated_by=("mediation",),
        template="mediation/dashboard/summary.html",
    ))


# --- the assessment ------------------------------------------------------------------------------------------


def case_counts(tenant_id: int, month: dt.date, as_of: dt.datetime) -> MonthCounts:
    """The month's cases per grid: concluded, agreed, concluded on time."""
    start, end = month_bounds(month)
    rows = (
        Case.objects.filter(tenant_id=tenant_id, created_at__gte=start, created_at__lt=end, grid_id__isnull=False)
        .annotate(is_agreed=_agreed(), is_ended=_terminated(), is_on_time=_on_time())
        .order_by()
        .values("grid_id")
        .annotate(
            mediation_concluded=Count("pk", filter=Q(is_agreed=True) | Q(is_ended=True)),
            mediation_agreed=Count("pk", filter=Q(is_agreed=True)),
            mediation_on_time=Count("pk", filter=(Q(is_agreed=True) | Q(is_ended=True)) & Q(is_on_time=True)),
        )
    )
    by_grid: dict[int, dict] = defaultdict(dict)
    for row in rows:
        by_grid[row.pop("grid_id")] = row
    return MonthCounts(by_grid=dict(by_grid))


INDICATORS = (
    Indicator(
        "mediation_success",
        _("Mediation success rate"),
        _("Mediation success rate (调解成功率) = cases that reached an agreement ÷ cases concluded (an agreement "
          "or a termination), among the mediation cases registered in the month at the grid or in the node's "
          "subtree. Cases still open, refused or referred out are excluded. Points = the rate (0–100)."),
        numerator="mediation_agreed",
        denominator="mediation_concluded",
        default_weight=0,
    ),
    Indicator(
        "mediation_on_time",
        _("Mediation on time"),
        _("Mediation on-time rate = concluded cases whose agreement or termination came by their time limit (30 "
          "days from acceptance, extended only with the parties' agreement) ÷ cases concluded, among the cases "
          "registered in the month. Points = the rate (0–100)."),
        numerator="mediation_on_time",
        denominator="mediation_concluded",
        default_weight=0,
    ),
)


def register_indicators() -> None:
    """Called from MediationConfig.ready()."""
    register(CountSource(key="mediation", count=case_counts), *INDICATORS)
