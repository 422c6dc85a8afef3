"""Fault: the worker building an export is killed (SIGKILL, as the OOM killer or a lost machine would). The job is
never left "running": the exports sweep, run past STUCK_AFTER, marks it failed with the user's message, and nothing
half-written is left in MEDIA_ROOT. A real Celery worker over Redis on PostgreSQL (tests/celery_worker.py)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time

from django.utils import translation

from exports import services as exports
from tests.celery_worker import REAL_WORKER_MARKS, real_worker

from .slow_kind import MARKER_ENV, SLOW
from .test_celery_worker import sends_to_redis  # noqa: F401  (fixture)

pytestmark = REAL_WORKER_MARKS
WAIT_SECONDS = 120  # how long the test waits for the worker to start building at most (not a speed assertion)


def _files_under(root):
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files] if root.exists() else []


def test_a_worker_killed_while_building_leaves_the_job_failed_and_no_file(world, settings, tmp_path, sends_to_redis):  # noqa: F811
    media = tmp_path / "media"
    marker = tmp_path / "building"
    settings.MEDIA_ROOT = media
    with real_worker("exports-kill", media_root=media, include=("tests.exports.slow_kind",),
                     env={MARKER_ENV: str(marker)}) as queue:
        settings.EXPORT_QUEUE = queue
        owner = world.user("A/S1/C1:grid_head")
        job = exports.queue_job(actor=owner, kind=SLOW, parameters={}, language="zh-hans")  # committed: enqueued
        deadline = time.monotonic() + WAIT_SECONDS
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.25)
        assert marker.exists(), f"the worker did not start building within {WAIT_SECONDS} s"
        job.refresh_from_db()
        assert job.status == "running" and job.started_at is not None

        os.kill(queue.process.pid, signal.SIGKILL)
        queue.process.wait(timeout=30)

        job.refresh_from_db()
        assert job.status == "running"  # what a lost worker leaves behind: the sweep's work
        assert exports.sweep_exports(now=job.started_at + exports.STUCK_AFTER - dt.timedelta(minutes=1)).interrupted == 0
        result = exports.sweep_exports(now=job.started_at + exports.STUCK_AFTER + dt.timedelta(minutes=1))
    assert result.interrupted == 1
    job.refresh_from_db()
    with translation.override("zh-hans"):
        expected = translation.gettext("The export was interrupted. Please ask for it again.")
    assert (job.status, job.error) == ("failed", expected)
    assert expected != "The export was interrupted. Please ask for it again."  # the user's language, not English
    assert not job.file and _files_under(media) == []
    assert exports.sweep_exports(now=job.started_at + exports.STUCK_AFTER + dt.timedelta(minutes=2)).interrupted == 0
