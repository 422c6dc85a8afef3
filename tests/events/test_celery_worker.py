"""The sweep run by a real Celery worker over Redis, on PostgreSQL: it escalates once, and a second run does nothing.

The worker is a separate process (`celery -A yaohai worker`) pointed at the test database and a queue of its own,
so other workers on the same Redis never see the task.
"""

import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from events.models import Event, EventLog, Notification

from .conftest import NOW

pytestmark = [
    pytest.mark.celery,
    pytest.mark.postgres,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def worker_queue():
    if not redis_answers():
        pytest.skip(f"no Redis at {REDIS_URL}")
    queue = f"events-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_CONN_MAX_AGE": "0",  # the worker lets go of the test database after each task
    }
    celery = Path(sys.executable).with_name("celery")
    process = subprocess.Popen(
        [str(celery), "-A", "yaohai", "worker", "--pool=solo", "-Q", queue, "-l", "WARNING",
         "--without-mingle", "--without-gossip", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_real_worker_escalates_once(ev, worker_queue):
    events = [ev.report(now=NOW - dt.timedelta(days=3)) for _ in range(3)]
    sender = Celery("sender", broker=REDIS_URL, backend=REDIS_URL)
    first = sender.send_task("events.sweep_deadlines", queue=worker_queue).get(timeout=90)
    assert first["escalated"] == 3
    second = sender.send_task("events.sweep_deadlines", queue=worker_queue).get(timeout=90)
    assert second == {"near": 0, "overdue": 0, "escalated": 0}
    for event in events:
        fresh = Event.objects.get(pk=event.pk)
        assert (fresh.is_overdue, fresh.escalation_level) == (True, 1)
        assert EventLog.objects.filter(event=event, action="escalate").count() == 1
        assert Notification.objects.filter(event=event, kind="escalated").count() == 1
