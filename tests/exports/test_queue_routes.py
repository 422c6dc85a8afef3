"""A real worker takes every queue (tests/celery_worker.py): the exports sweep, sent to the sweeps queue as beat
sends it, queues a job whose message was lost again by its route (the exports queue), and the same worker builds it."""

from __future__ import annotations

import datetime as dt
import time

import redis
from celery import Celery
from django.utils import timezone

from exports import services
from exports.models import ExportJob
from tests.celery_worker import REAL_WORKER_MARKS, REDIS_URL, real_worker

from .conftest import VIEWER

pytestmark = REAL_WORKER_MARKS


def test_the_sweep_on_its_queue_sends_a_lost_job_to_the_exports_queue(filed, settings, tmp_path):
    filed.report("A/S1/C1/G1", 2, title="路由")
    settings.MEDIA_ROOT = tmp_path / "media"
    with real_worker("routes", media_root=tmp_path / "media") as queue:
        lost = f"{queue}.lost"
        settings.EXPORT_QUEUE = lost  # the job's first message goes where no worker listens: it is lost
        from yaohai.celery import app

        saved = app.conf.task_always_eager, app.conf.broker_url
        app.conf.task_always_eager, app.conf.broker_url = False, REDIS_URL
        app._pool = None
        app.amqp._producer_pool = None
        try:
            job = services.queue_job(actor=filed.world.user(VIEWER), kind="events.list", parameters={})
        finally:
            app.conf.task_always_eager, app.conf.broker_url = saved
            app._pool = None
            app.amqp._producer_pool = None
            redis.Redis.from_url(REDIS_URL).delete(lost)
        ExportJob.objects.filter(pk=job.pk).update(
            created_at=timezone.now() - services.REQUEUE_AFTER - dt.timedelta(minutes=1)
        )
        sender = Celery("sender", broker=REDIS_URL, backend=REDIS_URL)
        swept = sender.send_task("exports.sweep_exports", queue=f"{queue}.sweeps").get(timeout=120)
        assert swept["requeued"] == 1
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and ExportJob.objects.get(pk=job.pk).status not in ("done", "failed"):
            time.sleep(0.5)
    job = ExportJob.objects.get(pk=job.pk)
    assert (job.status, job.row_count) == ("done", 2), job.error
