"""The exports API (/api/v1/exports/) and the admin of export jobs.

A job belongs to whoever asked for it: the owner lists it, reads it and downloads its file; anyone else — a
colleague, an officer above, the tenant's admin, another tenant's — gets 404 exactly as for an id nobody has. A
file is served only while the job is done and not expired, like the 我的导出 page. The admin lists jobs read-only;
only a superuser deletes, and the file goes with the row.
"""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.exports import DASHBOARD, EVENT_LIST
from exports.models import ExportJob
from tests.world import make_user
from yaohai.core.xlsx import XLSX_TYPE

from .conftest import VIEWER, data_rows, sheet_of

pytestmark = pytest.mark.django_db

CONTENT = b"PK\x03\x04 sheet bytes"
OTHERS = ["A/S1/C1/G1:grid_worker", "A/S1/C2:grid_head", "A/S1:grid_head", "A:grid_head", "A:admin", "B:admin"]


def api_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def make_job(owner, *, status="done", title="导出", hours_left=1, created_ago=0, with_file=None, **extra):
    """A job of `owner`; a done one carries a stored file (unless with_file=False)."""
    now = timezone.now()
    job = ExportJob(
        owner=owner, tenant_id=owner.tenant_id, kind=EVENT_LIST, title=title, language="zh-hans", status=status,
        parameters={"status": "reported"}, created_at=now - dt.timedelta(minutes=created_ago),
        expires_at=now + dt.timedelta(hours=hours_left), **extra,
    )
    if with_file if with_file is not None else status == "done":
        job.file.save("sheet.xlsx", ContentFile(CONTENT), save=False)
        job.filename, job.size, job.row_count = "事件台账.xlsx", len(CONTENT), 7
        job.finished_at = now
    job.save()
    return job


def _detail(pk):
    return reverse("export-detail", args=[pk])


def _download(pk):
    return reverse("export-download", args=[pk])


def test_the_owner_lists_reads_and_downloads_their_jobs(world, private_media):
    owner = world.user(VIEWER)
    older = make_job(owner, title="旧的", created_ago=30)
    newer = make_job(owner, status="failed", title="失败的", error="节点：选择一个有效的选项。")
    client = api_for(owner)

    listed = client.get(reverse("export-list"))
    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert [r["id"] for r in rows] == [newer.pk, older.pk]  # newest first
    assert "parameters" not in rows[0]
    assert rows[1]["download_url"] == f"http://testserver{_download(older.pk)}"
    assert rows[0]["download_url"] is None and rows[0]["error"] == "节点：选择一个有效的选项。"
    assert rows[0]["status_label"] == "失败"

    detail = client.get(_detail(older.pk)).json()
    assert (detail["status"], detail["kind"], detail["parameters"], detail["row_count"]) == (
        "done", EVENT_LIST, {"status": "reported"}, 7
    )
    assert detail["expires_at"] and detail["finished_at"] and detail["created_at"]
    assert detail["url"] == f"http://testserver{_detail(older.pk)}"

    download = client.get(detail["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX_TYPE
    assert download["Content-Disposition"].startswith("attachment")
    assert "private" in download["Cache-Control"]
    assert b"".join(download.streaming_content) == CONTENT


def test_the_list_filters_by_status(world, private_media):
    owner = world.user(VIEWER)
    done = make_job(owner)
    make_job(owner, status="queued")
    rows = api_for(owner).get(reverse("export-list"), {"status": "done"}).json()["results"]
    assert [r["id"] for r in rows] == [done.pk]


@pytest.mark.parametrize("other", OTHERS)
def test_nobody_else_sees_a_job_or_downloads_its_file(world, private_media, other):
    job = make_job(world.user(VIEWER), title="别人的导出")
    client = api_for(world.user(other))
    missing = 10**9
    for route in (_detail, _download):
        response = client.get(route(job.pk))
        assert response.status_code == 404, (other, route.__name__)
        # Not a word more than for an id nobody has: the job's existence is not revealed.
        assert response.json() == client.get(route(missing)).json()
    mine = make_job(world.user(other), title="自己的导出")
    ids = [r["id"] for r in client.get(reverse("export-list")).json()["results"]]
    assert mine.pk in ids and job.pk not in ids
    assert api_for(world.user(VIEWER)).get(_download(job.pk)).status_code == 200


@pytest.mark.parametrize(
    "status, hours_left",
    [("queued", 1), ("running", 1), ("failed", 1), ("done", -1)],
    ids=["queued", "running", "failed", "expired"],
)
def test_a_file_not_ready_or_expired_is_not_served(world, client_for, private_media, status, hours_left):
    owner = world.user(VIEWER)
    # Each with a stored file, so that it is the status or the expiry that refuses it, not a missing file.
    job = make_job(owner, status=status, hours_left=hours_left, with_file=True)
    client = api_for(owner)
    assert client.get(_detail(job.pk)).json()["download_url"] is None
    assert client.get(_download(job.pk)).status_code == 404
    # The same answer as the 我的导出 page's download.
    assert client_for(VIEWER).get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_a_done_job_whose_file_is_gone_is_404(world, private_media):
    owner = world.user(VIEWER)
    job = make_job(owner)
    default_storage.delete(job.file.name)
    assert api_for(owner).get(_download(job.pk)).status_code == 404


def test_a_client_may_ask_for_the_file_by_its_type(world, private_media):
    owner = world.user(VIEWER)
    job = make_job(owner)
    client = api_for(owner)
    response = client.get(_download(job.pk), HTTP_ACCEPT=XLSX_TYPE)
    assert response.status_code == 200 and b"".join(response.streaming_content) == CONTENT
    foreign = make_job(world.user("A/S1/C2:grid_head"))
    refused = client.get(_download(foreign.pk), HTTP_ACCEPT=XLSX_TYPE)
    assert refused.status_code == 404 and refused["Content-Type"] == "application/json"


def test_the_list_has_a_fixed_query_budget(world, private_media, django_assert_max_num_queries):
    owner = world.user(VIEWER)
    client = api_for(owner)
    for _ in range(2):
        make_job(owner)
    client.get(reverse("export-list"))
    with django_assert_max_num_queries(3) as few:
        assert len(client.get(reverse("export-list")).json()["results"]) == 2
    for i in range(30):
        make_job(owner, status=["done", "failed", "queued", "running"][i % 4], error="x" if i % 4 == 1 else "")
    with django_assert_max_num_queries(3) as many:
        assert len(client.get(reverse("export-list")).json()["results"]) == 32
    assert len(many.captured_queries) == len(few.captured_queries)


# -- asking for an export through the API: the same service as the pages' export buttons ---------------------


def test_a_small_export_is_answered_with_the_file(filed, private_media):
    mine = filed.report("A/S1/C1/G1", 2)
    response = api_for(filed.world.user(VIEWER)).post(
        reverse("export-list"), {"kind": EVENT_LIST, "parameters": {}}, format="json"
    )
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    assert sorted(r[1] for r in data_rows(sheet_of(response.content))) == sorted(e.reference for e in mine)
    assert not ExportJob.objects.exists()


def test_a_large_export_is_a_job_of_the_caller(filed, settings, private_media, django_capture_on_commit_callbacks):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    reported = filed.report("A/S1/C1/G1", 3)
    filed.report("A/S1/C2/G1", 1)  # the sibling community's: outside the caller's scope
    client = api_for(filed.world.user(VIEWER))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("export-list"), {"kind": EVENT_LIST, "parameters": {"status": "reported"}}, format="json"
        )
        assert response.status_code == 201, response.content
        body = response.json()
        # The task is sent once the job's row is committed: here, after the response (the test's transaction).
        assert (body["status"], body["download_url"]) == ("queued", None)
    job = ExportJob.objects.get()
    assert response["Location"] == body["url"] == f"http://testserver{_detail(job.pk)}"
    assert (job.owner_id, job.parameters, job.language) == (filed.world.users[VIEWER].pk, {"status": "reported"},
                                                            "zh-hans")
    built = client.get(body["url"]).json()
    assert (built["id"], built["status"], built["row_count"]) == (job.pk, "done", 3)
    file = client.get(built["download_url"])
    refs = sorted(r[1] for r in data_rows(sheet_of(b"".join(file.streaming_content))))
    assert refs == sorted(e.reference for e in reported)


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"kind": "everything"}, "未知的导出类型"),
        ({"kind": EVENT_LIST, "parameters": {"status": "lost"}}, "状态"),
        ({"kind": DASHBOARD, "parameters": {"node": "sibling"}}, "不在您的辖区内"),
        ({"kind": EVENT_LIST, "parameters": ["status"]}, "parameters"),
    ],
    ids=["unknown-kind", "bad-status", "foreign-node", "not-a-dict"],
)
def test_bad_requests_say_why_and_create_nothing(filed, settings, payload, message):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    filed.report("A/S1/C1/G1", 1)
    payload = {**payload, "parameters": payload.get("parameters", {})}
    if payload["parameters"] == {"node": "sibling"}:
        payload["parameters"] = {"node": str(filed.world.nodes["A/S1/C2"].pk)}
    response = api_for(filed.world.user(VIEWER)).post(reverse("export-list"), payload, format="json")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExportJob.objects.exists()


# -- the admin ---------------------------------------------------------------------------------------------


@pytest.fixture
def superuser(world):
    return make_user("platform_root", None, is_superuser=True, is_staff=True)


def test_the_admin_lists_jobs_read_only_for_a_superuser(world, client, superuser, private_media):
    mine = make_job(world.user(VIEWER), title="甲区的导出")
    foreign = make_job(world.user("B/S1/C1:grid_head"), title="乙区的导出")
    client.force_login(superuser)
    changelist = client.get(reverse("admin:exports_exportjob_changelist"))
    assert changelist.status_code == 200
    body = changelist.content.decode()
    assert mine.title in body and foreign.title in body
    assert reverse("admin:exports_exportjob_add") not in body
    filters = {spec.title for spec in changelist.context["cl"].filter_specs}
    assert {"状态", "类型", "租户"} <= filters
    searched = client.get(reverse("admin:exports_exportjob_changelist"), {"q": world.user(VIEWER).username})
    assert mine.title in searched.content.decode() and foreign.title not in searched.content.decode()
    assert client.get(reverse("admin:exports_exportjob_add")).status_code == 403
    change = client.get(reverse("admin:exports_exportjob_change", args=[mine.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert mine.file.url not in change.content.decode()  # no link to the file: it is served to its owner only
    client.post(reverse("admin:exports_exportjob_change", args=[mine.pk]), {"title": "改过"})
    assert ExportJob.objects.get(pk=mine.pk).title == "甲区的导出"


def test_a_tenant_admin_sees_their_tenants_jobs_and_deletes_none(world, client_for, private_media):
    mine = make_job(world.user(VIEWER), title="甲区的导出")
    foreign = make_job(world.user("B/S1/C1:grid_head"), title="乙区的导出")
    client = client_for("A:admin")
    body = client.get(reverse("admin:exports_exportjob_changelist")).content.decode()
    assert mine.title in body and foreign.title not in body
    assert client.get(reverse("admin:exports_exportjob_delete", args=[mine.pk])).status_code == 403
    client.post(reverse("admin:exports_exportjob_changelist"),
                {"action": "delete_selected", "_selected_action": [mine.pk], "post": "yes"})
    assert ExportJob.objects.filter(pk=mine.pk).exists()
    foreign_page = client.get(reverse("admin:exports_exportjob_change", args=[foreign.pk]))
    assert foreign_page.status_code == 404  # as for an id nobody has (grids.admin_scope)


def test_a_superuser_deletes_jobs_and_their_files(world, client, superuser, private_media):
    one, two, kept = (make_job(world.user(VIEWER), title=f"导出{i}") for i in range(3))
    client.force_login(superuser)
    response = client.post(reverse("admin:exports_exportjob_delete", args=[one.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = client.post(reverse("admin:exports_exportjob_changelist"),
                           {"action": "delete_selected", "_selected_action": [two.pk], "post": "yes"})
    assert response.status_code == 302
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not default_storage.exists(one.file.name) and not default_storage.exists(two.file.name)
    assert default_storage.exists(kept.file.name)
