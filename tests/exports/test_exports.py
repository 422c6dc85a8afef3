"""Exports: a small one answered at once, a large one a job for its owner only, bad parameters refused with a
message, failures recorded in the owner's language, the 我的导出 page within a fixed query budget, the clean-up.

Tasks run in the test's process here (see conftest); tests/exports/test_celery_worker.py runs them on a real
worker over Redis.
"""

import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from events.exports import DASHBOARD, EVENT_LIST
from exports import services as exports
from exports.models import ExportJob
from grids import services as grid_services
from grids.models import Assignment

from .conftest import VIEWER, data_rows, sheet_of

pytestmark = pytest.mark.django_db

G1 = "A/S1/C1/G1"


def _large(settings, rows=3):
    """From `rows` rows on, an export is built in the background."""
    settings.EXPORT_SYNC_MAX_ROWS = rows


def test_a_small_export_is_answered_at_once_with_merged_headers(filed, client_for, private_media):
    mine = filed.report(G1, 2)
    response = client_for(VIEWER).get(reverse("events:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = sheet_of(response.content)
    assert sheet["A2"].value == "序号"
    assert (sheet["B2"].value, sheet["F2"].value, sheet["H2"].value) == ("事件", "位置", "办理")
    assert sheet["B3"].value == "编号"
    assert {"A1:N1", "A2:A3", "B2:E2"} <= {str(r) for r in sheet.merged_cells.ranges}
    assert sorted(r[1] for r in data_rows(sheet)) == sorted(e.reference for e in mine)
    assert [r[0] for r in data_rows(sheet)] == [1, 2]
    assert not ExportJob.objects.exists()


def test_a_large_export_is_a_job_its_owner_downloads(
    filed, client_for, settings, private_media, django_capture_on_commit_callbacks
):
    _large(settings)
    reported = filed.report(G1, 3, title="待受理")
    rejected = filed.report(G1, 1, title="不受理")[0]
    filed.reject(rejected, G1)
    sibling = filed.report("A/S1/C2/G1", 1, title="兄弟社区")[0]
    foreign = filed.report("B/S1/C1/G1", 1, title="乙区")[0]
    client = client_for(VIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("events:export"), {"status": "reported", "after": "99"})
    assert response.status_code == 302 and response["Location"] == reverse("exports:list")
    job = ExportJob.objects.get()
    assert (job.owner_id, job.kind, job.status, job.row_count) == (
        filed.world.users[VIEWER].pk, EVENT_LIST, "done", 3
    )
    assert job.parameters == {"status": "reported"} and job.language == "zh-hans"
    assert job.tenant_id == filed.world.tenants["A"].pk
    assert job.file.path.startswith(str(private_media)) and job.size == job.file.size
    page = client.get(reverse("exports:list")).content.decode()
    assert "正在后台生成" in page and job.title in page
    assert reverse("exports:download", args=[job.pk]) in page
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert "private" in download["Cache-Control"]
    sheet = sheet_of(b"".join(download.streaming_content))
    refs = sorted(r[1] for r in data_rows(sheet))
    assert refs == sorted(e.reference for e in reported)
    assert rejected.reference not in refs
    titles = {r[2] for r in data_rows(sheet)}
    assert sibling.title not in titles and foreign.title not in titles
    assert "已上报" in sheet["A1"].value  # the title names the filter


@pytest.mark.parametrize("other", ["A/S1/C2:grid_head", "A/S1:grid_head", "A:grid_head", "A:admin", "B:admin"])
def test_nobody_else_sees_a_job_or_its_file(filed, client_for, settings, private_media, other):
    _large(settings, rows=1)
    filed.report(G1, 1)
    job = exports.request_export(actor=filed.world.user(VIEWER), kind=EVENT_LIST, parameters={}).job
    exports.run_job(job_id=job.pk)
    assert ExportJob.objects.get(pk=job.pk).status == "done"
    client = client_for(other)
    for name in ("exports:detail", "exports:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
    assert job.title not in client.get(reverse("exports:list")).content.decode()
    assert client_for(VIEWER).get(reverse("exports:download", args=[job.pk])).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, world):
    assert client.get(reverse("exports:list")).status_code == 302


@pytest.mark.parametrize(
    "route, query, message",
    [
        ("events:export", {"date_from": "yesterday"}, "起始"),
        ("events:export", {"status": "lost"}, "状态"),
        ("events:export", {"node": "sibling"}, "节点"),
        ("dashboards:export", {"table": "everything"}, "未知的表格"),
        ("dashboards:export", {"table": "overdue", "from": "2026-13-01"}, "不是日期"),
    ],
)
def test_bad_parameters_say_why_and_create_nothing(filed, client_for, settings, route, query, message):
    _large(settings, rows=1)
    filed.report(G1, 2)
    if query.get("node") == "sibling":
        query = {"node": filed.world.nodes["A/S1/C2"].pk}
    kwargs = {"pk": filed.world.nodes["A/S1/C1"].pk} if route.startswith("dashboards") else {}
    response = client_for(VIEWER).get(reverse(route, kwargs=kwargs), query)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="export-invalid"' in body and message in body
    assert not ExportJob.objects.exists()


def test_too_large_an_export_asks_to_narrow_the_filters(filed, client_for, settings):
    _large(settings, rows=1)
    settings.EXPORT_MAX_ROWS = 2
    filed.report(G1, 3)
    response = client_for(VIEWER).get(reverse("events:export"))
    assert response.status_code == 400
    assert "超过 2 行" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_the_dashboard_overdue_ledger_becomes_a_job_when_large(
    filed, client_for, settings, private_media, django_capture_on_commit_callbacks
):
    _large(settings)
    overdue = filed.report(G1, 3, title="超期", days_ago=5)  # never accepted: past the accept deadline
    filed.report(G1, 1, title="刚报")  # not overdue yet
    filed.report("A/S1/C2/G1", 2, title="兄弟", days_ago=5)
    community = filed.world.nodes["A/S1/C1"]
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    client = client_for(VIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("dashboards:export", args=[community.pk]), {"table": "overdue", "from": since})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.kind == DASHBOARD and job.status == "done", job.error
    assert job.parameters == {"node": community.pk, "table": "overdue", "from": since,
                              "to": timezone.localdate().isoformat()}
    sheet = sheet_of(b"".join(client.get(reverse("exports:download", args=[job.pk])).streaming_content))
    assert sorted(r[1] for r in sheet.iter_rows(min_row=3, values_only=True)) == sorted(e.reference for e in overdue)
    assert community.name in sheet["A1"].value and since in sheet["A1"].value


def test_the_children_ledger_has_grouped_kpi_headers(filed, client_for):
    filed.report(G1, 2)
    community = filed.world.nodes["A/S1/C1"]
    response = client_for(VIEWER).get(reverse("dashboards:export", args=[community.pk]), {"table": "children"})
    sheet = sheet_of(response.content)
    assert [sheet.cell(row=2, column=c).value for c in (2, 4)] == ["节点", "数量"]
    assert [sheet.cell(row=3, column=c).value for c in (2, 3, 4)] == ["名称", "代码", "事件数"]
    rows = {r[1]: r for r in data_rows(sheet)}
    assert set(rows) == {"网格1", "网格2"} and rows["网格1"][3] == 2


def test_a_job_never_exports_more_than_its_owner_may_see_when_it_runs(
    filed, settings, private_media, django_capture_on_commit_callbacks
):
    """The owner asked for a node's events, then lost the post: the task fails, saying why in their language."""
    _large(settings, rows=1)
    filed.report(G1, 2)
    owner = filed.world.user(VIEWER)
    community = filed.world.nodes["A/S1/C1"]
    with django_capture_on_commit_callbacks(execute=False):
        zh = exports.request_export(actor=owner, kind=EVENT_LIST, parameters={"node": community.pk}).job
        en = exports.request_export(
            actor=owner, kind=EVENT_LIST, parameters={"node": community.pk}, language="en"
        ).job
    for assignment in Assignment.objects.filter(user=owner):
        grid_services.end_assignment(assignment=assignment, end_date=timezone.localdate() - dt.timedelta(days=1))
    assert exports.run_job(job_id=zh.pk) == "failed"
    assert exports.run_job(job_id=en.pk) == "failed"
    zh.refresh_from_db()
    en.refresh_from_db()
    assert "节点" in zh.error and "选择一个有效的选项" in zh.error
    assert "Node" in en.error and "valid choice" in en.error
    assert not zh.file and not en.file


def test_running_a_job_twice_builds_it_once(filed, settings, private_media):
    _large(settings, rows=1)
    filed.report(G1, 1)
    job = exports.queue_job(actor=filed.world.user(VIEWER), kind=EVENT_LIST, parameters={})
    assert exports.run_job(job_id=job.pk) == "done"
    first = ExportJob.objects.get(pk=job.pk).file.name
    assert exports.run_job(job_id=job.pk) == "done"
    assert ExportJob.objects.get(pk=job.pk).file.name == first
    assert len(list((private_media / "exports").rglob("*.xlsx"))) == 1


def _job(user, status="done", **extra):
    now = timezone.now()
    return ExportJob.objects.create(
        owner=user, tenant_id=user.tenant_id, kind=EVENT_LIST, title=extra.pop("title", "事件"), language="zh-hans",
        status=status, expires_at=extra.pop("expires_at", now + dt.timedelta(hours=1)),
        file=extra.pop("file", "exports/x.xlsx" if status == "done" else ""), **extra,
    )


def test_my_exports_page_has_a_fixed_query_budget(world, client_for, django_assert_max_num_queries):
    owner = world.user(VIEWER)
    for _ in range(2):
        _job(owner)
    client = client_for(VIEWER)
    client.get(reverse("exports:list"))  # warm the session
    with django_assert_max_num_queries(6) as few:
        assert client.get(reverse("exports:list")).status_code == 200
    for i in range(30):
        _job(owner, status=["done", "failed", "queued", "running"][i % 4], error="x" if i % 4 == 1 else "")
    with django_assert_max_num_queries(6) as many:
        page = client.get(reverse("exports:list"))
    assert page.content.decode().count('data-testid="export-job"') == 32
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_page_refreshes_itself_only_while_a_job_is_pending(world, client_for):
    owner = world.user(VIEWER)
    done = _job(owner)
    client = client_for(VIEWER)
    assert 'hx-trigger="every 3s"' not in client.get(reverse("exports:list")).content.decode()
    pending = _job(owner, status="queued", title="排队的导出")
    page = client.get(reverse("exports:list")).content.decode()
    assert 'hx-trigger="every 3s"' in page and "排队中" in page
    partial = client.get(reverse("exports:list"), headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section class="card shadow-sm" id="export-jobs"')
    assert "<html" not in partial
    detail = client.get(reverse("exports:detail", args=[pending.pk])).content.decode()
    assert 'hx-trigger="every 3s"' in detail
    assert 'hx-trigger' not in client.get(reverse("exports:detail", args=[done.pk])).content.decode()
    assert reverse("exports:list") in client.get(reverse("home")).content.decode()  # the nav link


def test_the_cleanup_deletes_expired_files_only(world, private_media):
    owner = world.user(VIEWER)
    now = timezone.now()
    expired = _job(owner, expires_at=now - dt.timedelta(minutes=1))
    kept = _job(owner, expires_at=now + dt.timedelta(hours=1))
    for job in (expired, kept):
        job.file.save(f"{job.pk}.xlsx", ContentFile(b"PK-not-really-xlsx"))
    expired_path, kept_path = expired.file.path, kept.file.path
    stuck = _job(owner, status="running", started_at=now - exports.STUCK_AFTER - dt.timedelta(minutes=1))
    fresh = _job(owner, status="running", started_at=now)
    result = exports.sweep_exports(now=now)
    assert (result.deleted, result.interrupted) == (1, 1)
    assert not ExportJob.objects.filter(pk=expired.pk).exists()
    assert ExportJob.objects.filter(pk=kept.pk).exists()
    assert not os.path.exists(expired_path) and os.path.exists(kept_path)
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.status, fresh.status) == ("failed", "running")
    assert "中断" in stuck.error
    assert exports.sweep_exports(now=now) == exports.SweepResult(deleted=0, interrupted=0, requeued=0)


def test_the_cleanup_queues_again_a_job_whose_message_was_lost(
    filed, settings, private_media, django_capture_on_commit_callbacks
):
    filed.report(G1, 1)
    with django_capture_on_commit_callbacks(execute=False):  # the message never reaches a worker
        job = exports.queue_job(actor=filed.world.user(VIEWER), kind=EVENT_LIST, parameters={})
    assert exports.sweep_exports().requeued == 0  # too young to be lost
    later = timezone.now() + exports.REQUEUE_AFTER + dt.timedelta(minutes=1)
    assert exports.sweep_exports(now=later).requeued == 1
    job.refresh_from_db()
    assert job.status == "done" and job.row_count == 1


def test_run_periodic_cleans_up_exports_without_beat(world, private_media):
    from django.core.management import call_command

    expired = _job(world.user(VIEWER), expires_at=timezone.now() - dt.timedelta(minutes=1))
    call_command("run_periodic")
    assert not ExportJob.objects.filter(pk=expired.pk).exists()


def test_the_beat_schedule_runs_the_cleanup(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["exports-sweep-exports"]
    assert entry["task"] == "exports.sweep_exports"
    assert "events-sweep-deadlines" in settings.CELERY_BEAT_SCHEDULE
    from exports.tasks import sweep_exports

    assert sweep_exports.name == entry["task"]
