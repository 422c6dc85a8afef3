"""The residents' sheet goes through the exports app: a small one at once, a large one — masked, or in full for a
holder of the reveal right with a reason — as a background job built for its owner, each person written in full
recorded when the job builds the sheet."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from exports.models import ExportJob
from exports.services import run_job
from registry.models import AccessRecord
from tests.registry.factories import make_id, resident

GRID = "A/S1/C1/G1"
HEAD = "A/S1/C1:grid_head"
WORKER = f"{GRID}:grid_worker"


def _text(job):
    job.file.open("rb")
    try:
        ws = load_workbook(BytesIO(job.file.read()), read_only=True).worksheets[0]
        return " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    finally:
        job.file.close()


def _people(world, count):
    numbers = [make_id() for _ in range(count)]
    people = [
        resident(world.node(GRID), name=f"台账{i}", id_number=n, phone=f"1390551{i:04d}")
        for i, n in enumerate(numbers)
    ]
    resident(world.node("A/S1/C2/G1"), name="隔壁社区人")
    return people, numbers


def _built(job):
    if job.status == "queued":  # with a broker, the worker takes it; here it runs in this process
        assert run_job(job_id=job.pk) == "done"
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job


def test_a_large_full_export_is_a_job_that_records_each_person_when_built(world, client_for, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    people, numbers = _people(world, 3)
    answer = client_for(HEAD).post(f"{reverse('registry:export')}?q=台账", {"reason": "上报民政"})
    assert answer.status_code == 302 and answer["Location"] == reverse("exports:list")
    job = ExportJob.objects.get()
    assert job.kind == "registry.residents" and job.parameters["reason"] == "上报民政"
    job = _built(job)
    text = _text(job)
    assert all(n in text for n in numbers) and "13905510001" in text and "隔壁社区人" not in text
    assert job.row_count == 3
    assert set(AccessRecord.objects.values_list("resident", "kind", "field", "reason", "actor")) == {
        (p.pk, "export", field, "上报民政", world.user(HEAD).pk)
        for p in people
        for field in ("id_number", "phone")
    }


def test_a_large_masked_export_is_a_job_with_no_number_in_it(world, client_for, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    _people_, numbers = _people(world, 3)
    answer = client_for(HEAD).get(reverse("registry:export"))
    assert answer.status_code == 302
    text = _text(_built(ExportJob.objects.get()))
    assert "台账2" in text and not any(n in text for n in numbers) and "139****0001" in text
    assert not AccessRecord.objects.exists()


def test_a_full_export_without_the_right_or_a_reason_queues_nothing(world, client_for, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    _people(world, 3)
    assert client_for(WORKER).post(reverse("registry:export"), {"reason": "上报民政"}).status_code == 403
    assert client_for(HEAD).post(reverse("registry:export"), {"reason": ""}).status_code == 400
    assert client_for(HEAD).get(reverse("registry:export"), {"status": "nonsense"}).status_code == 400
    assert not ExportJob.objects.exists() and not AccessRecord.objects.exists()
