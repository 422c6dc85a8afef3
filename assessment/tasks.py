"""Celery tasks of the assessment: thin, ids in, idempotent."""

from __future__ import annotations

from celery import shared_task

from . import services
from .months import label, parse_month


@shared_task(name="assessment.score_due_months", time_limit=1800, soft_time_limit=1700)
def score_due_months() -> list[str]:
    """Beat, daily: score every past month (up to services.CATCH_UP_MONTHS back) that has no run yet."""
    return [f"{tenant_id}:{label(month)}:v{version}" for tenant_id, month, version in services.score_due_months()]


@shared_task(name="assessment.compute_month", time_limit=600, soft_time_limit=540)
def compute_month(tenant_id: int, month: str, actor_id: int | None = None, reason: str = "") -> dict:
    """On demand, from the officers' page: score one tenant's month as that officer (rights checked again)."""
    from grids.models import Tenant, User

    actor = User.objects.get(pk=actor_id) if actor_id else None
    tenant = Tenant.objects.get(pk=tenant_id)
    run = services.compute_month(actor=actor, tenant=tenant, month=parse_month(month), reason=reason)
    return {"run": run.pk, "month": label(run.month), "version": run.version, "rows": run.scores.count()}
