"""mediation/migrations/0002: the rows of mediation's own Notice become rows of the one notification table
(events.Notification, subject = the case) with their kind mapped, their read and written times kept."""

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from events.models import Notification

from .conftest import HEAD

MIGRATION = importlib.import_module("mediation.migrations.0002_notices_into_the_one_notification")


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite cannot alter a table inside the test's transaction with foreign keys checked (CI runs it on PostgreSQL)",
)
def test_the_old_notices_move_into_the_one_notification_table(med):
    case = med.register()
    head, mediator = med.user(HEAD), med.inside_user
    # the state just before the migration: mediation 0001 (with Notice) beside events 0018 (with the subject)
    state = MigrationLoader(connection).project_state([("mediation", "0001_initial"),
                                                       ("events", "0018_notification_subject")])
    Notice = state.apps.get_model("mediation", "Notice")
    written = dt.datetime(2026, 10, 9, 9, 0, tzinfo=dt.UTC)
    with connection.schema_editor() as editor:  # inside the test's transaction: rolled back with it
        editor.create_model(Notice)
        Notice.objects.create(user_id=head.pk, case_id=case.pk, kind="due_soon")
        Notice.objects.create(user_id=mediator.pk, case_id=case.pk, kind="overdue", read_at=written)
        Notice.objects.update(created_at=written)
        MIGRATION.forwards(state.apps, editor)
        editor.delete_model(Notice)
    moved = Notification.objects.filter(subject_id=case.pk).order_by("user_id")
    assert [(n.user_id, n.kind, n.read_at, n.created_at, n.subject) for n in moved] == [
        (head.pk, "near_deadline", None, written, case),
        (mediator.pk, "overdue", written, written, case),
    ]
    assert all(n.event_id is None and n.link == f"/mediation/{case.pk}/" for n in moved)
