"""The one write seam of events: every save and delete of an event goes through here, in one transaction with
what it changes elsewhere — its counts in the dashboards' rollups (events.rollups) and the cached dashboards of
its nodes (dashboards.cache). Event.save() and delete() refuse to run outside it (events.models.UnseamedWrite)."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connections, transaction

from dashboards import cache as dashboard_cache

from .. import rollups
from ..models import Event, EventLog, ExtensionRequest


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


def insert_history(events: list[dict], *, logs: list[dict] = (), extensions: list[dict] = (),
                   using: str = "default") -> int:
    """Insert events that are already settled in the past (a loader's generated history: ids, stamps and times
    set, consistent by construction), with their log rows and extension requests — each a dict of column
    values by attribute name (`tenant_id`, …; a missing one takes the field's default) — as they are, created_at
    included, and add what they count for to the rollups; retire the dashboards of their nodes. Set-based: no
    save() per row, no workflow step, no notification, no audit row: for demo and bench loaders only, never for
    what a person does. Returns the number of rollup rows written."""
    connection = connections[using]
    with transaction.atomic(using=using):
        for model, rows, with_pk in ((Event, events, True), (EventLog, logs, False),
                                     (ExtensionRequest, extensions, False)):
            _insert_as_given(connection, model, rows, with_pk=with_pk)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Event]):
                cursor.execute(statement)
        states = [rollups.State(*(row[name] for name in rollups.READS)) for row in events]
        written = rollups.add_many(states, using=using)
        dashboard_cache.changed("events", rollups.stamps(*states))
    return written


# Fields whose Python value is what the database driver takes as it is (no conversion per backend).
_AS_IS = frozenset({
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "FloatField", "ForeignKey",
    "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "TextField",
})


def _insert_as_given(connection, model, rows: list[dict], *, with_pk: bool) -> None:
    """INSERT the rows' values as they are (created_at included: auto_now_add would stamp now), with one
    executemany per 5,000 rows: the ORM's per-value compilation costs more than the insert itself here."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    unknown = set().union(*rows) - {f.attname for f in model._meta.concrete_fields}
    if unknown:  # a misspelt column would otherwise be dropped for its default without a word
        raise ValueError(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
    columns = [
        (f.attname, f.get_default(),
         None if f.get_internal_type() in _AS_IS else (lambda value, f=f: f.get_db_prep_save(value, connection)))
        for f in fields
    ]
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    values = [
        [(row.get(name, default) if convert is None else convert(row.get(name, default)))
         for name, default, convert in columns]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            cursor.executemany(sql, values[start : start + 5000])
