"""The assessment tasks run by a real Celery worker over Redis, on PostgreSQL (tests/celery_worker.py: its own
process and queue, pointed at the test database)."""

import pytest
from celery import Celery

from assessment.models import AssessmentRun, Score
from tests.celery_worker import REAL_WORKER_MARKS, REDIS_URL, real_worker

from .conftest import DISTRICT_HEAD, OCTOBER, W1

pytestmark = REAL_WORKER_MARKS


@pytest.fixture
def worker_queue():
    with real_worker("assessment") as queue:
        yield queue


def test_real_worker_scores_a_chosen_month_then_catches_up_the_others(month, world, worker_queue):
    sender = Celery("sender", broker=REDIS_URL, backend=REDIS_URL)
    tenant = world.tenants["A"]
    actor = world.users[DISTRICT_HEAD]
    result = sender.send_task(
        "assessment.compute_month", args=[tenant.pk, "2026-10", actor.pk, ""], queue=worker_queue
    ).get(timeout=120)
    run = AssessmentRun.objects.get(tenant=tenant, month=OCTOBER)
    assert result == {"run": run.pk, "month": "2026-10", "version": 1, "rows": run.scores.count()}
    assert run.computed_by_id == actor.pk
    assert str(Score.objects.get(run=run, user=world.users[W1]).total) == "60.76"
    rows = sorted(Score.objects.filter(run=run).values_list("node_id", "user_id", "total", "indicators"), key=repr)

    # The same month again, on demand: the draft's rows come back identical.
    sender.send_task(
        "assessment.compute_month", args=[tenant.pk, "2026-10", actor.pk, ""], queue=worker_queue
    ).get(timeout=120)
    again = sorted(Score.objects.filter(run=run).values_list("node_id", "user_id", "total", "indicators"), key=repr)
    assert again == rows

    # The beat's sweep scores the other missing months (both tenants) but leaves October of A alone.
    done = sender.send_task("assessment.score_due_months", queue=worker_queue).get(timeout=180)
    assert done and f"{tenant.pk}:2026-10:v1" not in done
    assert f"{world.tenants['B'].pk}:2026-10:v1" in done
    assert AssessmentRun.objects.filter(tenant=tenant, month=OCTOBER).count() == 1
    assert sender.send_task("assessment.score_due_months", queue=worker_queue).get(timeout=180) == []
