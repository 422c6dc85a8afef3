"""The migration that seals the hotline caller's phone: rows written before it are sealed, and going back
decrypts them into the plain column again (a transactional test: it migrates the test database back and forth)."""

import pytest
from django.db import connection

from events.models import Event

PHONE = "13800001234"


def _raw_row(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM events_event WHERE id = %s", [pk])
        return " ".join(str(v) for v in cursor.fetchone())


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_the_rows_written_before_it(ev):
    from django.db.migrations.executor import MigrationExecutor

    event = ev.report(source="hotline", resident_name="王女士", resident_phone=PHONE)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("events", "0017_satisfaction")])  # back: the phone is decrypted into its plain column
        with connection.cursor() as cursor:
            cursor.execute("SELECT resident_phone FROM events_event WHERE id = %s", [event.pk])
            assert cursor.fetchone()[0] == PHONE
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())  # every app back to its latest
    assert PHONE not in _raw_row(event.pk)
    assert Event.objects.get(pk=event.pk).resident_phone_masked == "138****1234"
