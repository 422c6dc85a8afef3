"""Celery tasks of the events app: thin wrappers that call services (ids in, idempotent)."""

from celery import shared_task

from . import services


@shared_task(name="events.sweep_deadlines", time_limit=600, soft_time_limit=540)
def sweep_deadlines() -> dict:
    """Flag near/overdue events and escalate; safe to run twice or late (a DB sweep)."""
    result = services.sweep_deadlines()
    return {"near": result.near, "overdue": result.overdue, "escalated": result.escalated}
