"""Celery tasks of the registry: thin wrappers that call services (idempotent, safe to run late or twice)."""

from celery import shared_task

from . import sweeps


@shared_task(name="registry.sweep_care_visits", time_limit=900, soft_time_limit=840)
def sweep_care_visits() -> dict:
    """Store every care-list member's visiting schedule, remind the grid workers of the overdue."""
    result = sweeps.sweep_care_visits()
    return {"members": result.members, "changed": result.changed, "overdue": result.overdue,
            "reminded": result.reminded, "resolved": result.resolved}
