"""A large export built by a real Celery worker over Redis, on PostgreSQL: the owner downloads the finished file,
whose rows honour the filters and the owner's scope; anyone else gets 404 for the job and the file.

The worker is a separate process (`celery -A yaohai worker`) on the test database, with a queue of its own (the
export setting EXPORT_QUEUE points there) and the test's MEDIA_ROOT, so other workers on the same Redis never see
the task and the file lands where the download view reads it.
"""

import time

import pytest
from django.urls import reverse

from exports.models import ExportJob
from tests.celery_worker import REAL_WORKER_MARKS, REDIS_URL, real_worker

from .conftest import VIEWER, data_rows, sheet_of

pytestmark = REAL_WORKER_MARKS

WAIT_SECONDS = 120  # how long the test waits for the worker at most (not a speed assertion)


@pytest.fixture
def worker_queue(tmp_path):
    """A worker on a queue of its own, writing files under tmp_path/media."""
    with real_worker("exports", media_root=tmp_path / "media") as queue:
        yield queue


@pytest.fixture
def sends_to_redis():
    """The test process queues tasks on Redis (not eagerly, not in memory), whatever REDIS_URL it started with."""
    from yaohai.celery import app

    def drop_pools():
        # The connection and producer pools made for another broker, if any, go (as Celery does after a fork).
        app._pool = None
        app.amqp._producer_pool = None

    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, REDIS_URL
    drop_pools()
    yield
    app.conf.task_always_eager, app.conf.broker_url = saved
    drop_pools()


def wait_for(job: ExportJob) -> ExportJob:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in ("done", "failed"):
            return job
        time.sleep(0.5)
    pytest.fail(f"the worker did not finish export job {job.pk} within {WAIT_SECONDS} s (status {job.status})")


def test_a_real_worker_builds_a_large_export_for_its_owner_only(
    filed, client_for, settings, tmp_path, worker_queue, sends_to_redis
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_SYNC_MAX_ROWS = 3
    settings.EXPORT_QUEUE = worker_queue
    reported = filed.report("A/S1/C1/G1", 2, title="一号网格") + filed.report("A/S1/C1/G2", 2, title="二号网格")
    rejected = filed.report("A/S1/C1/G1", 1, title="不予受理")[0]
    filed.reject(rejected, "A/S1/C1/G1")
    sibling = filed.report("A/S1/C2/G1", 2, title="兄弟社区")
    foreign = filed.report("B/S1/C1/G1", 2, title="乙区")

    client = client_for(VIEWER)
    response = client.get(reverse("events:export"), {"status": "reported"})
    assert response.status_code == 302 and response["Location"] == reverse("exports:list")
    job = ExportJob.objects.get()
    pending = client.get(reverse("exports:list")).content.decode()
    assert job.title in pending

    job = wait_for(job)
    assert job.status == "done", job.error
    assert job.row_count == 4
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    sheet = sheet_of(b"".join(download.streaming_content))
    assert sorted(r[1] for r in data_rows(sheet)) == sorted(e.reference for e in reported)
    titles = {r[2] for r in data_rows(sheet)}
    assert not titles & {e.title for e in [rejected, *sibling, *foreign]}
    page = client.get(reverse("exports:list")).content.decode()
    assert reverse("exports:download", args=[job.pk]) in page and 'hx-trigger="every 3s"' not in page

    for other in ("A/S1/C2:grid_head", "A:admin", "B:admin"):
        someone = client_for(other)
        assert someone.get(reverse("exports:detail", args=[job.pk])).status_code == 404, other
        assert someone.get(reverse("exports:download", args=[job.pk])).status_code == 404, other
