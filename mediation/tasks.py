"""Celery tasks of mediation: thin wrappers that call the handling services."""

from celery import shared_task

from . import handling


@shared_task(name="mediation.sweep", time_limit=600, soft_time_limit=540)
def sweep() -> dict:
    """Warn of time limits near and passed, count follow-ups due; safe to run twice or late."""
    result = handling.sweep()
    return {"due_soon": result.due_soon, "overdue": result.overdue, "follow_ups": result.follow_ups}
