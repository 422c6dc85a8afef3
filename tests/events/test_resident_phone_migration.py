"""The migration that seals the hotline caller's phone (events/migrations/0018_resident_phone_encrypted): rows
written before it are sealed, and going back decrypts them into the plain column again.

Its two functions run on the schema they were written for — the plain column put back beside the sealed ones by
the schema editor, inside the test's transaction, and dropped with it — instead of migrating the whole project
back and forth (every later app's migrations, about two and a half minutes)."""

import importlib

import pytest
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader

from events.models import Event
from yaohai.core.personal import crypto

PHONE = "13800001234"
MIGRATION = importlib.import_module("events.migrations.0018_resident_phone_encrypted")


def _apps_of_the_migration():
    """The models as the migration's RunPython sees them: 0017, plus the sealed columns it adds first."""
    state = MigrationLoader(connection).project_state(("events", "0017_satisfaction"))
    for operation in MIGRATION.Migration.operations:
        if isinstance(operation, migrations.RunPython):
            break
        operation.state_forwards("events", state)
    return state.apps


def _check_deferred_now() -> None:
    """PostgreSQL will not alter a table with deferred constraint checks pending in the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _raw(pk) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM events_event WHERE id = %s", [pk])
        return dict(zip([c.name for c in cursor.description], cursor.fetchone(), strict=True))


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite cannot alter a table inside the test's transaction with foreign keys checked (CI runs it on PostgreSQL)",
)
def test_the_migration_seals_the_rows_written_before_it_and_going_back_unseals_them(ev):
    event = ev.report(source="hotline", resident_name="王女士", resident_phone=PHONE)
    apps = _apps_of_the_migration()
    old = apps.get_model("events", "Event")
    plain = old._meta.get_field("resident_phone")
    assert isinstance(plain, models.CharField)
    _check_deferred_now()  # the filing's deferred foreign-key checks, before the table is altered
    with connection.schema_editor() as editor:  # inside the test's transaction: rolled back with it
        editor.add_field(old, plain)
        # Going back: the sealed phone is decrypted into the plain column.
        MIGRATION.unseal(apps, editor)
        assert _raw(event.pk)["resident_phone"] == PHONE
        # A row as it was before the migration: the phone in plain, nothing sealed.
        old.objects.filter(pk=event.pk).update(
            resident_phone=PHONE, resident_phone_encrypted="", resident_phone_index="", resident_phone_masked=""
        )
        MIGRATION.seal(apps, editor)
        row = _raw(event.pk)
        assert PHONE not in " ".join(str(value) for value in row.values())
        assert row["resident_phone"] == "" and row["resident_phone_masked"] == "138****1234"
        assert crypto.decrypt(row["resident_phone_encrypted"], MIGRATION.PURPOSE) == PHONE
        _check_deferred_now()
        editor.remove_field(old, plain)
    assert Event.objects.get(pk=event.pk).resident_phone_masked == "138****1234"
    assert Event.objects.filter(resident_phone_index=row["resident_phone_index"]).count() == 1
