"""README's walk ("A case from report to dashboard") in Chromium, by clicking only after signing in: the grid worker
files on her phone, her community head accepts and dispatches to a handling unit, the unit's person signs and
handles, the grid worker verifies and it is closed; her street's officer finds it in the street's events, another
street's officer gets 404 for it. The shared test tree stands in for the demo's accounts (tests/grids/test_demo.py
plays the same steps with the demo accounts themselves)."""

import pytest
from playwright.sync_api import expect

from events.catalogue import install_event_catalogue
from events.models import Category, Event, HandlingUnit
from tests.browser.harness import PHONE
from tests.events.images import jpeg_bytes
from tests.world import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1440, "height": 900}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
TITLE = "楼道内堆放杂物"


def _open_from_workbench(page):
    page.get_by_test_id("todo-row").filter(has_text=TITLE).click()
    page.wait_for_url("**/events/*/")
    expect(page.get_by_test_id("event-title")).to_have_text(TITLE)


def _step(page, action: str, *, fill=None):
    section = page.get_by_test_id(f"step-{action}")
    for selector, value in (fill or {}).items():
        field = section.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    section.get_by_test_id(f"do-{action}").click()
    page.wait_for_load_state("load")
    expect(page.get_by_test_id("step-error")).to_have_count(0)


def test_a_case_from_report_to_dashboard(world, live_server, new_page, log_in, shot):
    tenant = world.tenants["A"]
    install_event_catalogue(tenant)
    unit = HandlingUnit.objects.create(tenant=tenant, name="区城管执法大队")
    handler = make_user("walk_unit_handler", tenant)
    unit.members.add(handler)
    category = Category.objects.get(tenant=tenant, name="暴露垃圾", parent__isnull=False)

    # 1. The grid worker files on her phone.
    worker = world.users["A/S1/C1/G1:grid_worker"]
    page = new_page(viewport=PHONE, mobile=True)
    log_in(page, worker.username)
    page.locator("nav.tabbar a", has_text="上报").click()
    page.wait_for_url("**/events/report/")
    page.select_option("#id_main_category", str(category.parent_id))
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_title", TITLE)
    page.set_input_files("#id_photos", files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    page.get_by_test_id("submit-report").click()
    page.wait_for_url("**/events/*/?filed=1")
    event = Event.objects.get(title=TITLE)
    page.locator("nav.tabbar a", has_text="首页").click()
    expect(page.get_by_test_id("my-event").filter(has_text=TITLE)).to_have_count(1)
    page.context.close()

    # 2. Her community head accepts and dispatches it to the unit, from the workbench.
    page = new_page(viewport=WIDE)
    log_in(page, world.users["A/S1/C1:grid_head"].username)
    _open_from_workbench(page)
    _step(page, "accept")
    expect(page.get_by_test_id("event-status")).to_have_attribute("data-status", "accepted")
    _step(page, "dispatch", fill={"select[name=dispatch-unit]": f"{unit.name} (职能部门)"})
    expect(page.get_by_test_id("event-status")).to_have_attribute("data-status", "dispatched")
    page.context.close()

    # 3. The unit's person signs for it and handles it.
    page = new_page(viewport=WIDE)
    log_in(page, handler.username)
    _open_from_workbench(page)
    _step(page, "sign")
    _step(page, "handle", fill={"textarea[name=handle-note]": "已清理楼道杂物"})
    expect(page.get_by_test_id("event-status")).to_have_attribute("data-status", "handled")
    page.context.close()

    # 4. Back to the grid worker for 核查: passed, 已解决 — closed.
    page = new_page(viewport=PHONE, mobile=True)
    log_in(page, worker.username)
    page.locator("nav.tabbar a", has_text="待办").click()
    page.wait_for_url("**/events/todo/")
    page.get_by_test_id("todo-item").filter(has_text=TITLE).click()
    page.wait_for_url("**/events/*/")
    _step(page, "verify", fill={"select[name=verify-close_reason]": "已解决"})
    expect(page.get_by_test_id("event-status")).to_have_attribute("data-status", "closed")
    shot(page, "closed")
    page.context.close()
    event.refresh_from_db()
    assert event.status == "closed" and event.handled_by == handler

    # 5. Her street's officer finds it among the street's events and on the dashboard; another street's cannot.
    page = new_page(viewport=WIDE)
    log_in(page, world.users["A/S1:grid_head"].username)
    page.get_by_test_id("menu-events").click()
    page.get_by_test_id("event-row").filter(has_text=TITLE).locator("a").first.click()
    expect(page.get_by_test_id("event-status")).to_have_attribute("data-status", "closed")
    page.get_by_test_id("menu-dashboards").click()
    expect(page.get_by_test_id("kpi-events").locator(".kpi-value")).to_have_text("1")
    page.context.close()
    page = new_page(viewport=WIDE)
    log_in(page, world.users["A/S2:grid_head"].username)
    response = page.goto(f"{live_server.url}/events/{event.pk}/")
    assert response.status == 404
