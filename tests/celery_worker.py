"""A real Celery worker for the tests that prove tasks run: `celery -A yaohai worker` as a separate process, on
the test database (PostgreSQL) and a Redis queue of its own, so other workers on the same Redis never see its tasks.
It also takes every queue of yaohai/queues.py under a prefix of its own (CELERY_QUEUE_PREFIX), so a task that it
queues itself by its route (the exports sweep queueing a job again) comes back to it.

    with real_worker("exports", media_root=tmp_path / "media") as queue:
        Celery("sender", broker=REDIS_URL).send_task("…", queue=queue)
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from yaohai.queues import DEFAULT_QUEUE, QUEUES

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"

# The marks of a module whose tests use a real worker: it shares the test database, so PostgreSQL and committed data.
REAL_WORKER_MARKS = [
    pytest.mark.celery,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


class Queue(str):
    """The worker's queue name; `.process` is the worker's process (a fault test may kill it)."""

    process: subprocess.Popen


@contextmanager
def real_worker(name: str, *, media_root: Path | None = None, include: tuple[str, ...] = (), env: dict | None = None):
    """Start a worker on a fresh queue named after `name`; yield the queue; stop the worker (skip without Redis).

    `include`: modules the worker imports at start (a test-only export kind); `env`: more environment."""
    if not redis_answers():
        pytest.skip(f"no Redis at {REDIS_URL}")
    queue = f"{name}-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    extra_env, env = env, {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
                        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_CONN_MAX_AGE": "0",  # the worker lets go of the test database after each task
    }
    if media_root is not None:
        env["DJANGO_MEDIA_ROOT"] = str(media_root)
    env["CELERY_QUEUE_PREFIX"] = f"{queue}."
    env.update(extra_env or {})
    every_queue = [f"{queue}.{name}" for name in (DEFAULT_QUEUE, *(q.name for q in QUEUES))]
    celery = Path(sys.executable).with_name("celery")
    process = subprocess.Popen(
        [str(celery), "-A", "yaohai", "worker", "--pool=solo", "-Q", ",".join([queue, *every_queue]), "-l", "WARNING",
         "--without-mingle", "--without-gossip", "--without-heartbeat",
         *(f"--include={module}" for module in include)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    queue = Queue(queue)
    queue.process = process
    try:
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(autouse=True)
def tasks_in_process(request):
    """Outside the real-worker tests (marked `celery`), tasks run in the test's process even when REDIS_URL is set.
    Autouse where a conftest imports it (tests/exports, tests/assessment)."""
    if request.node.get_closest_marker("celery"):
        yield
        return
    from yaohai.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager
