"""Event.answered_at, the first answer (受理 or 不予受理) the on-time acceptance reads instead of the log: kept by
the services, back-filled by migration 0011 from the log, and equivalent to the log's "a step by the deadline"."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import Exists, F, OuterRef

from events import services
from events.choices import LogAction
from events.models import Event, EventLog

from .conftest import DAY, HEAD, MIN, T

pytestmark = pytest.mark.django_db

migration = importlib.import_module("events.migrations.0011_assessment_speed")


def answered(month, key):
    return Event.objects.get(pk=month.events[key].pk).answered_at


def on_time_by_the_log():
    steps = EventLog.objects.filter(
        event_id=OuterRef("pk"), action__in=[LogAction.ACCEPT, LogAction.REJECT], created_at__lte=OuterRef("accept_due")
    )
    return set(Event.objects.filter(Exists(steps)).values_list("pk", flat=True))


def on_time_by_the_column():
    return set(Event.objects.filter(answered_at__lte=F("accept_due")).values_list("pk", flat=True))


def test_the_services_keep_the_first_answer(month):
    assert answered(month, "e1") == T + 10 * MIN  # accepted
    assert answered(month, "e2") == T + 20 * DAY  # accepted late
    assert answered(month, "e4") == T + 10 * MIN  # rejected
    assert answered(month, "e6") is None  # never answered
    assert answered(month, "e7") is None  # handled on the spot: no acceptance step
    # Accepted, then rejected later: the first answer stays.
    event = month.report("late_reject", "A/S1/C1/G1")
    month.accept(event, T + 5 * MIN)
    month.step(event, services.reject, month.user(HEAD), T + 3 * DAY, reason="invalid", note="不属实")
    assert answered(month, "late_reject") == T + 5 * MIN


def test_the_column_says_what_the_log_says(month):
    event = month.report("late_reject", "A/S1/C1/G1")
    month.accept(event, T + 5 * MIN)
    month.step(event, services.reject, month.user(HEAD), T + 3 * DAY, reason="invalid", note="不属实")
    by_log = on_time_by_the_log()
    assert {month.events[k].pk for k in ("e1", "e3", "e4", "e5", "f1", "late_reject")} <= by_log
    assert month.events["e2"].pk not in by_log
    assert on_time_by_the_column() == by_log


def test_the_migration_back_fills_the_first_answer_from_the_log(month):
    event = month.report("late_reject", "A/S1/C1/G1")
    month.accept(event, T + 5 * MIN)
    month.step(event, services.reject, month.user(HEAD), T + 3 * DAY, reason="invalid", note="不属实")
    kept = dict(Event.objects.values_list("pk", "answered_at"))
    assert sum(1 for at in kept.values() if at is not None) == 7
    Event.objects.update(answered_at=None)
    migration.backfill_answered_at(None, SimpleNamespace(connection=connection))
    assert dict(Event.objects.values_list("pk", "answered_at")) == kept
    assert on_time_by_the_column() == on_time_by_the_log()
