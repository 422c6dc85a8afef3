"""The one write seam of events: every save and delete of an event goes through here, in one transaction with
what it changes elsewhere — its counts in the dashboards' rollups (events.rollups) and the cached dashboards of
its nodes (dashboards.cache). Event.save() and delete() refuse to run outside it (events.models.UnseamedWrite)."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction

from dashboards import cache as dashboard_cache

from .. import rollups
from ..models import Event


@contextmanager
def _seam(event: Event):
    event._in_write_seam = True
    try:
        yield
    finally:
        event._in_write_seam = False


def save_event(event: Event, *, update_fields=None) -> None:
    """Save the event, move its counts in the rollups from what it counted for to what it counts for now, and
    retire the dashboards of its nodes (before and after the write), all in the caller's transaction."""
    with transaction.atomic(using=event._state.db, savepoint=False):
        before = None if event._state.adding else event.stored_state()
        with _seam(event):
            event.save(update_fields=update_fields)
        # An event loaded with some columns deferred is read back: what it counts for is in the database.
        after = rollups.state(event) or event.stored_state(reload=True)
        rollups.apply(rollups.counted(before), rollups.counted(after), using=event._state.db)
        dashboard_cache.changed("events", rollups.stamps(before, after))
    event._loaded_state = after


def delete_event(event: Event):
    """Delete the event, take its counts out of the rollups and retire the dashboards of its nodes."""
    with transaction.atomic(using=event._state.db, savepoint=False):
        before = event.stored_state()
        with _seam(event):
            result = event.delete()
        rollups.apply(rollups.counted(before), None, using=event._state.db)
        dashboard_cache.changed("events", rollups.stamps(before))
    event._loaded_state = None
    return result
