"""Concurrent double submits, numbering and sweeps on PostgreSQL (SQLite serialises writers by itself)."""

import datetime as dt

import pytest
from django.db import connection  # noqa: F401  (read by the skipif condition)

from events import services
from events.models import Event, EventLog, Notification
from tests.threads import run_threads

from .conftest import GRID, WORKER

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 6


def reporter(ev, key):
    worker, grid, category = ev.user(WORKER), ev.world.nodes[GRID], ev.category()
    return lambda: services.report_event(
        actor=worker, node=grid, category=category, title="并发", idempotency_key=key
    ).pk


def test_concurrent_double_submits_file_one_event(ev):
    pks = run_threads([reporter(ev, "same-key") for _ in range(THREADS)])
    assert len(set(pks)) == 1
    assert Event.objects.count() == 1
    assert EventLog.objects.count() == 1
    assert Event.objects.get().reference.endswith("-0001")


def test_concurrent_reports_get_distinct_gapless_numbers(ev):
    run_threads([reporter(ev, f"key-{i}") for i in range(THREADS)])
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in Event.objects.values_list("reference", flat=True))
    assert numbers == list(range(1, THREADS + 1))


def test_concurrent_sweeps_escalate_once(ev):
    events = [ev.report() for _ in range(5)]
    later = max(e.due_at for e in events) + dt.timedelta(hours=1)
    run_threads([lambda: services.sweep_deadlines(now=later) for _ in range(4)])
    for event in events:
        event.refresh_from_db()
        assert event.escalation_level == 1
        assert EventLog.objects.filter(event=event, action="escalate").count() == 1
        assert Notification.objects.filter(event=event, kind="escalated").count() == 1
