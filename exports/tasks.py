"""Celery tasks of the exports app: thin wrappers that call services (ids in, idempotent)."""

from celery import shared_task

from . import services as exports


@shared_task(name="exports.run_export", time_limit=900, soft_time_limit=840)
def run_export(job_id: int) -> str:
    """Build one queued export for its owner; a second delivery of the same job does nothing."""
    return exports.run_job(job_id=job_id)


@shared_task(name="exports.sweep_exports", time_limit=600, soft_time_limit=540)
def sweep_exports() -> dict:
    """Delete expired exports and their files, fail interrupted ones, queue again the lost ones (a DB sweep)."""
    result = exports.sweep_exports()
    return {"deleted": result.deleted, "interrupted": result.interrupted, "requeued": result.requeued}
