"""Celery tasks of the audit trail: thin wrappers around its services."""

from celery import shared_task

from . import services


@shared_task(name="audit.sweep", time_limit=900, soft_time_limit=840)
def sweep() -> dict:
    """Seal rows a crash left unsealed and prune rows past the retention; a database sweep, safe to repeat."""
    return {"sealed": services.seal_all(), "pruned": services.prune()}
