"""我的导出 in Chromium: a large export from the event list lands there with a message; a job still being built
shows up as pending and the page turns it into a download link by itself (htmx), without a reload."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from events import services
from events.catalogue import install_event_catalogue
from events.exports import EVENT_LIST
from events.models import Category
from exports import services as exports
from exports.models import ExportJob
from tests.browser.harness import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER = "A/S1/C1:grid_head"


@pytest.fixture(autouse=True)
def _tasks_in_process(settings, tmp_path):
    """Tasks run in the live server's thread here, even when REDIS_URL is set; files go to the tmp dir."""
    from yaohai.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


def _events(world, n):
    install_event_catalogue(world.tenants["A"])
    category = Category.objects.filter(tenant=world.tenants["A"], parent__isnull=False).order_by("id").first()
    for i in range(n):
        services.report_event(actor=world.user("A/S1/C1/G1:grid_worker"), node=world.nodes["A/S1/C1/G1"],
                              category=category, title=f"导出测试{i}")


def test_a_large_export_lands_in_my_exports_with_a_message(world, live_server, new_page, log_in, settings, shot):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    _events(world, 3)
    page = new_page(viewport=DESKTOP)
    log_in(page, world.users[OFFICER].username)
    page.goto(f"{live_server.url}/events/")
    page.get_by_test_id("export").click()
    page.wait_for_url(f"{live_server.url}/exports/")
    expect(page.locator("main .alert")).to_contain_text("正在后台生成")
    row = page.get_by_test_id("export-job")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-status", "done")
    with page.expect_download() as download:
        row.get_by_test_id("download").click()
    sheet = load_workbook(BytesIO(download.value.path().read_bytes())).active
    assert sorted(r[2] for r in sheet.iter_rows(min_row=4, values_only=True)) == [f"导出测试{i}" for i in range(3)]
    shot(page, "my-exports")


def test_the_page_shows_a_pending_export_ready_without_a_reload(world, live_server, new_page, log_in, shot):
    _events(world, 1)
    owner = world.user(OFFICER)
    # A job whose task has not run yet (made directly: queue_job would run it at once, tasks being eager here).
    job = ExportJob.objects.create(
        owner=owner, tenant_id=owner.tenant_id, kind=EVENT_LIST, title="事件", parameters={}, language="zh-hans",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    page = new_page(viewport=DESKTOP)
    log_in(page, owner.username)
    page.get_by_test_id("menu-exports").click()
    page.wait_for_url(f"{live_server.url}/exports/")
    row = page.get_by_test_id("export-job")
    expect(row).to_have_attribute("data-status", "queued")
    expect(row).to_contain_text("排队中")
    expect(page.get_by_test_id("export-jobs")).to_have_attribute("hx-trigger", "every 3s")
    page.evaluate("window.__notReloaded = true")
    assert exports.run_job(job_id=job.pk) == "done"
    expect(row.get_by_test_id("download")).to_be_visible(timeout=10_000)  # the table polls every 3 s
    assert page.evaluate("window.__notReloaded") is True
    expect(row).to_contain_text("已完成")
    expect(page.get_by_test_id("export-jobs")).not_to_have_attribute("hx-trigger", "every 3s")  # polling stops
    assert ExportJob.objects.get(pk=job.pk).row_count == 1
    shot(page, "ready")
