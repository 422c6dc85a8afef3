"""Writes of the assessment: the default scheme, computing a month (a draft, or a new version with a reason),
publishing it, and the catch-up sweep the monthly task runs. Keyword-only, each in one transaction.

Who may do what (docs/assessment.md, docs/permissions.md): the `assess` right (declared in rights.py, granted
by the default posts 网格长 and 网格指导员) held on the district node, or on a street node, lets an officer
compute a month's draft and recompute it; publishing — freezing the month for everyone, grid workers included —
needs `assess` on the district node. Tenant admins and superusers may do both. The tasks act as the system
(actor None).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from grids.models import Tenant
from grids.scope import scope_for
from yaohai.core.errors import Invalid
from yaohai.core.errors import NotAllowed as CoreNotAllowed
from yaohai.core.workflow import IllegalStep

from .choices import RUN_WORKFLOW, RunStatus, RunStep
from .indicators import indicators
from .models import AssessmentRun, AssessmentScheme, SchemeIndicator, Score
from .months import MonthError, check_scorable, current_month, previous_month
from .rights import ASSESS
from .scoring import score_run

CATCH_UP_MONTHS = 3  # the monthly task scores every past month up to this many back that has no run yet


class AssessmentError(Invalid):
    """A refused request (HTTP 400); the message is for the user, in their language."""


NotAllowed = CoreNotAllowed  # the assess right is missing (HTTP 403)


class Frozen(IllegalStep):
    """A published month is frozen (HTTP 409)."""


def _assess_scope(actor, tenant_id: int):
    scope = scope_for(actor, ASSESS)
    if scope.everything:
        return "all"
    if scope.is_empty or scope.tenant_id != tenant_id:
        return None
    if scope.whole_tenant:
        return "all"
    return scope


def may_compute(actor, tenant_id: int) -> bool:
    """`assess` on the district or on a street of the tenant (or a tenant admin, a superuser); None is the system."""
    if actor is None:
        return True
    scope = _assess_scope(actor, tenant_id)
    return scope == "all" or bool(scope and (scope.node_ids.get("district") or scope.node_ids.get("street")))


def may_publish(actor, tenant_id: int) -> bool:
    """`assess` on the district node (or a tenant admin, a superuser)."""
    if actor is None:
        return True
    scope = _assess_scope(actor, tenant_id)
    return scope == "all" or bool(scope and scope.node_ids.get("district"))


@transaction.atomic
def install_default_scheme(tenant: Tenant) -> AssessmentScheme:
    """Give a tenant the default scheme, or add the catalogue's new indicators (weight 0) to its scheme."""
    scheme, created = AssessmentScheme.objects.get_or_create(tenant=tenant)
    have = set(scheme.indicators.values_list("key", flat=True))
    SchemeIndicator.objects.bulk_create(
        SchemeIndicator(
            scheme=scheme,
            key=indicator.key,
            weight=indicator.default_weight if created else 0,
            target=indicator.default_target,
            sort_order=(n + 1) * 10,
        )
        for n, indicator in enumerate(indicators())
        if indicator.key not in have
    )
    return scheme


def scheme_snapshot(tenant: Tenant) -> list[dict]:
    """The tenant's scheme as the run keeps it: [{key, weight, target}] in catalogue order."""
    if not AssessmentScheme.objects.filter(tenant=tenant).exists():
        install_default_scheme(tenant)
    rows = SchemeIndicator.objects.filter(scheme__tenant=tenant).order_by("sort_order", "id")
    return [{"key": r.key, "weight": r.weight, "target": r.target} for r in rows]


def check_compute(*, actor, tenant: Tenant, month: dt.date, reason: str = "", now=None) -> dt.date:
    """Everything `compute_month` would refuse, without writing: for the page, before it queues the task."""
    try:
        month = check_scorable(month, now)
    except MonthError as error:
        raise AssessmentError(str(error)) from None
    if not may_compute(actor, tenant.pk):
        raise NotAllowed(_("Computing the assessment needs the assess right on the district or a street."))
    latest = AssessmentRun.objects.filter(tenant=tenant, month=month).order_by("-version").first()
    if latest is not None and latest.is_published and not (reason or "").strip():
        raise Frozen(
            _("%(month)s version %(version)s is published and frozen: give a reason to compute a new version.")
            % {"month": f"{month:%Y-%m}", "version": latest.version}
        )
    return month


@transaction.atomic
def compute_month(*, actor, tenant: Tenant, month: dt.date, reason: str = "", now=None) -> AssessmentRun:
    """Score a tenant's month: replace the rows of its draft, or start one — version n + 1, with a reason, when
    version n is published (published versions are never touched)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    month = check_compute(actor=actor, tenant=tenant, month=month, reason=reason, now=now)
    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()  # one computation per tenant at a time
    latest = AssessmentRun.objects.filter(tenant=tenant, month=month).order_by("-version").first()
    if latest is not None and not latest.is_published:
        run = latest
        Score.objects.filter(run=run).delete()
        if reason:
            run.reason = reason
    elif latest is not None:
        if not reason:
            raise Frozen(_("A published month is frozen: give a reason to compute a new version."))
        run = AssessmentRun(tenant=tenant, month=month, version=latest.version + 1, reason=reason)
    else:
        run = AssessmentRun(tenant=tenant, month=month, version=1, reason=reason)
    run.scheme = scheme_snapshot(tenant)
    run.as_of = now
    run.computed_at = now
    run.computed_by = actor
    run.status = RunStatus.DRAFT  # a new run starts as a draft; a draft recomputed stays one (RUN_WORKFLOW)
    run.save()
    score_run(run)
    audit.record("assessment.compute", run, actor=actor,
                 after={"month": month, "version": run.version, "reason": reason, "status": run.status})
    return run


@transaction.atomic
def publish_month(*, actor, tenant: Tenant, month: dt.date, version: int, now=None) -> AssessmentRun:
    """Publish a draft: grid workers see it from now on, and it is frozen (a later change is a new version)."""
    if not may_publish(actor, tenant.pk):
        raise NotAllowed(_("Publishing the assessment needs the assess right on the district."))
    run = (
        AssessmentRun.objects.select_for_update()
        .filter(tenant=tenant, month=month, version=version)
        .first()
    )
    if run is None:
        raise AssessmentError(_("There is no such version of this month to publish."))
    RUN_WORKFLOW.check(run, RunStep.PUBLISH, error=Frozen, illegal=_("This version is already published."))
    RUN_WORKFLOW.move(run, RunStep.PUBLISH)
    run.published_at = now or timezone.now()
    run.published_by = actor
    run.save(update_fields=["status", "published_at", "published_by"])
    audit.record("assessment.publish", run, actor=actor, before={"status": RunStatus.DRAFT},
                 after={"status": run.status, "month": month, "version": version})
    return run


def score_due_months(*, now=None, months_back: int = CATCH_UP_MONTHS) -> list[tuple[int, dt.date, int]]:
    """The monthly sweep: score every past month (up to `months_back`, the last one included) that has no run
    yet, for every active tenant. A missed run is caught up by the next; scored months are left alone."""
    now = now or timezone.now()
    months = []
    month = current_month(now)
    for _n in range(months_back):
        month = previous_month(month)
        months.append(month)
    months.sort()
    done = set(AssessmentRun.objects.filter(month__in=months).values_list("tenant_id", "month").distinct())
    scored = []
    for tenant in Tenant.objects.filter(is_active=True).order_by("pk"):
        for month in months:
            if (tenant.pk, month) not in done:
                run = compute_month(actor=None, tenant=tenant, month=month, now=now)
                scored.append((tenant.pk, month, run.version))
    return scored
