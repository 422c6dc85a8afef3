"""The sweep run by a real Celery worker over Redis, on PostgreSQL: it escalates once, and a second run does nothing.

The worker is a separate process (`celery -A yaohai worker`) pointed at the test database and a queue of its own,
so other workers on the same Redis never see the task.
"""

import datetime as dt

import pytest
from celery import Celery

from events.models import Event, EventLog, Notification
from tests.celery_worker import REAL_WORKER_MARKS, REDIS_URL, real_worker

from .conftest import NOW

pytestmark = REAL_WORKER_MARKS

@pytest.fixture
def worker_queue():
    with real_worker("events") as queue:
        yield queue


def test_real_worker_escalates_once(ev, worker_queue):
    # The first answer waits for the worker to start too: on two busy cores (a browser test beside it) that took
    # over 90 s in CI; the bound is a harness limit, not a speed claim.
    events = [ev.report(now=NOW - dt.timedelta(days=3)) for _ in range(3)]
    sender = Celery("sender", broker=REDIS_URL, backend=REDIS_URL)
    first = sender.send_task("events.sweep_deadlines", queue=worker_queue).get(timeout=300)
    assert first["escalated"] == 3
    second = sender.send_task("events.sweep_deadlines", queue=worker_queue).get(timeout=300)
    assert second == {"near": 0, "overdue": 0, "escalated": 0}
    for event in events:
        fresh = Event.objects.get(pk=event.pk)
        assert (fresh.is_overdue, fresh.escalation_level) == (True, 1)
        assert EventLog.objects.filter(event=event, action="escalate").count() == 1
        assert Notification.objects.filter(event=event, kind="escalated").count() == 1
