"""The points app's Celery tasks (thin: they call the integrity check and the services)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="points.sweep_ledger")
def sweep_ledger() -> int:
    """The nightly sweep: report (log and audit trail) every difference between a balance and its entries."""
    from audit import services as audit

    from .integrity import differences

    found = differences()
    for difference in found:
        logger.error("points ledger difference: %s", difference)
    if found:
        audit.record("points.ledger_difference", None, summary={"differences": [str(d) for d in found[:100]]})
    return len(found)
