"""The whole event workflow in Chromium: filed on a 390 px phone, accepted and dispatched by the community's head,
handled by the unit, verified by the grid worker; the event ends closed with its whole timeline.

Playwright's sync API allows one running instance per thread, and tests/browser keeps its session-wide browser
open in the main thread; so this test drives its own Chromium from a thread of its own.
"""


import pytest
from playwright.sync_api import expect

from events.models import Event
from tests.browser.harness import ARTIFACTS, DESKTOP, PHONE, new_page, sign_in, with_chromium

from .conftest import GRID, HEAD, WORKER
from .images import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def step(page, action, fill=None):
    card = page.get_by_test_id(f"step-{action}")
    expect(card).to_be_visible()
    if fill:
        fill(card)
    card.get_by_test_id(f"do-{action}").click()
    page.wait_for_load_state("networkidle")


def test_event_goes_from_phone_to_closed(ev, live_server):
    worker, head, unit = ev.user(WORKER), ev.user(HEAD), ev.user("unit")
    category = ev.category()

    def shot(page, label):
        page.screenshot(path=str(ARTIFACTS / f"events-flow-{label}.png"), full_page=True)

    with_chromium(lambda chromium: walk(chromium, live_server, shot, worker, head, unit, category, ev))
    event = Event.objects.get()
    assert event.status == "closed"
    assert list(event.logs.values_list("action", flat=True)) == [
        "report", "accept", "dispatch", "sign", "handle", "verify_pass"]


def walk(chromium, live_server, shot, worker, head, unit, category, ev):
    def log_in(page, username):
        sign_in(page, live_server.url, username)

    phone = new_page(chromium, viewport=PHONE, mobile=True)
    log_in(phone, worker.username)
    phone.locator("nav.tabbar a", has_text="上报").click()
    phone.wait_for_url("**/events/report/")
    phone.select_option("#id_main_category", str(category.parent_id))
    phone.select_option("#id_category", str(category.pk))
    phone.fill("#id_title", "小区东门暴露垃圾")
    phone.fill("#id_description", "垃圾桶满溢，无人清运")
    phone.set_input_files("#id_photos", files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    shot(phone, "report-form")
    phone.get_by_test_id("submit-report").click()
    phone.wait_for_url("**/events/*/?filed=1")
    expect(phone.get_by_test_id("event-status")).to_have_attribute("data-status", "reported")
    event = Event.objects.get()
    assert event.node_id == ev.world.nodes[GRID].pk and event.photos.count() == 1
    detail = f"{live_server.url}/events/{event.pk}/"

    office = new_page(chromium, viewport=DESKTOP)
    log_in(office, head.username)
    office.goto(f"{live_server.url}/events/todo/")
    office.get_by_test_id("todo-item").filter(has_text="小区东门暴露垃圾").click()
    step(office, "accept")
    step(office, "dispatch", lambda card: card.locator("select[name=dispatch-unit]").select_option(str(ev.unit.pk)))
    expect(office.get_by_test_id("event-status")).to_have_attribute("data-status", "dispatched")

    handler = new_page(chromium, viewport=PHONE, mobile=True)
    log_in(handler, unit.username)
    handler.goto(detail)
    step(handler, "sign")
    step(handler, "handle", lambda card: card.locator("textarea").fill("已清运并消毒"))
    expect(handler.get_by_test_id("event-status")).to_have_attribute("data-status", "handled")

    phone.goto(detail)
    step(phone, "verify", lambda card: card.locator("select[name=verify-close_reason]").select_option("fixed"))
    expect(phone.get_by_test_id("event-status")).to_have_attribute("data-status", "closed")
    actions = phone.get_by_test_id("log").evaluate_all("els => els.map(e => e.dataset.action)")
    assert actions == ["report", "accept", "dispatch", "sign", "handle", "verify_pass"]
    expect(phone.get_by_test_id("close-reason")).to_be_visible()
    shot(phone, "closed")
