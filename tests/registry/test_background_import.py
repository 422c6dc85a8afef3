"""Sheets larger than the request's share are imported by a background job — an export job of kind
registry.import (exports.ExportJob: the one job system) — all or nothing, with its progress shown in 我的导出."""

from django.core.cache import cache
from django.urls import reverse

from exports import progress
from exports.models import ExportJob
from exports.services import run_job
from registry import imports
from registry.models import Building
from tests.registry.test_sheets import sheet, upload

GRID = "A/S1/C1/G1"
HEAD = "A/S1/C1:grid_head"


def _buildings(world, n, *, bad_at=None):
    code = world.node(GRID).code
    rows = [{"网格编码": code, "楼栋号": f"{i}栋", "层数": 6, "单元数": 2} for i in range(1, n + 1)]
    if bad_at is not None:
        rows[bad_at]["网格编码"] = "000000000000000"  # no such grid
    return sheet("buildings", rows)


def test_a_large_sheet_becomes_a_job_that_imports_it_all(world, client_for, monkeypatch):
    monkeypatch.setattr(imports, "SYNC_MAX_ROWS", 3)
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    told = []
    monkeypatch.setattr(progress, "report", lambda done, total: told.append((done, total)))
    client = client_for(HEAD)
    answer = upload(client, "buildings", _buildings(world, 5))
    job = ExportJob.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("exports:detail", args=[job.pk])
    assert job.kind == "registry.import" and job.parameters["rows"] == 5 and not Building.objects.exists()
    if job.status == "queued":  # with a broker, the worker takes it; here it runs in this process
        assert run_job(job_id=job.pk) == "done"
    job.refresh_from_db()
    assert (job.status, job.row_count) == ("done", 5)
    assert Building.objects.filter(grid=world.node(GRID)).count() == 5
    assert told[:3] == [(0, 5), (2, 5), (4, 5)]
    assert imports.unstash(job.parameters["upload"]) is None  # the sheet with its personal data is gone
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert 'data-testid="download"' in page
    assert client_for("A/S1/C2:grid_head").get(reverse("exports:detail", args=[job.pk])).status_code == 404


def test_a_large_sheet_with_a_bad_row_imports_nothing_and_says_why(world, client_for, monkeypatch):
    monkeypatch.setattr(imports, "SYNC_MAX_ROWS", 3)
    upload(client_for(HEAD), "buildings", _buildings(world, 6, bad_at=4))
    job = ExportJob.objects.get()
    if job.status == "queued":
        run_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not Building.objects.exists()
    assert "1" in job.error and "000000000000000" in job.error  # the row and its reason


def test_the_progress_a_running_job_tells_is_shown(world, client_for):
    job = ExportJob.objects.create(owner=world.user(HEAD), tenant=world.tenants["A"], kind="registry.import",
                                   title="导入", language="zh-hans", status="running",
                                   expires_at="2099-01-01T00:00:00+08:00")
    with progress.running(job.pk):
        progress.report(40, 100)
        assert progress.percent_of([job.pk]) == {job.pk: 40}
        page = client_for(HEAD).get(reverse("exports:detail", args=[job.pk])).content.decode()
        assert 'data-testid="export-progress"' in page and "40%" in page
    assert progress.percent_of([job.pk]) == {}  # forgotten once the job is over
    progress.report(10, 100)  # outside a job (an import inside a request): nothing is told
    assert cache.get(f"exports:progress:{job.pk}") is None
