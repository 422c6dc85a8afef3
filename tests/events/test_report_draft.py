"""The 上报 draft keeps the picked photos too (static/js/report_draft.js), in Chromium on a 390 px phone.

The typed fields live in localStorage and the photos in IndexedDB, under the draft's idempotency_key: after a
closed tab or a refused submit they are back in the form (the file input holds them, the page says how many);
filing the event or discarding the draft drops both. The browser runs in a thread of its own, as in
test_browser_flow, against the live server (so the module's tests run with transactions).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from events.images import MAX_PHOTO_BYTES, MAX_PHOTOS
from events.models import Event, EventPhoto
from tests.browser.harness import ARTIFACTS, PHONE, new_page, sign_in, with_chromium

from .conftest import WORKER
from .images import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "report_draft.js"

# The draft's photo records: {idempotency_key: {input name: [file name, ...]}}.
STORED = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("yh-report-draft");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result, out = {};
    if (!db.objectStoreNames.contains("photos")) { db.close(); resolve(out); return; }
    const cursor = db.transaction("photos").objectStore("photos").openCursor();
    cursor.onerror = () => reject(cursor.error);
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (!c) { db.close(); resolve(out); return; }
      out[c.key] = {};
      for (const [name, files] of Object.entries(c.value)) out[c.key][name] = files.map(f => f.name);
      c.continue();
    };
  };
})"""


def photo(name="photo.jpg", data=None, mime="image/jpeg"):
    return {"name": name, "mimeType": mime, "buffer": data if data is not None else jpeg_bytes()}


def browse(live_server, username, walk):
    """Sign in on a phone and run walk(context, page, url) in Chromium, in a thread of its own."""

    def flow(chromium):
        page = sign_in(new_page(chromium, viewport=PHONE, mobile=True), live_server.url, username)
        walk(page.context, page, f"{live_server.url}/events/report/")

    with_chromium(flow)


def open_report(page, url=None):
    """Open (or, without url, wait for) the report form until the draft's photos are dealt with."""
    if url:
        page.goto(url)
    # The script marks the form once the draft's photos are dealt with (restored, or there were none).
    expect(page.get_by_test_id("report-form")).to_have_attribute("data-draft-photos", re.compile(r"^\d+$"))


def wait_stored(page, predicate):
    """The draft's photo records once predicate(records) holds (the script writes them asynchronously)."""
    for _ in range(50):
        records = page.evaluate(STORED)
        if predicate(records):
            return records
        page.wait_for_timeout(100)
    raise AssertionError(f"IndexedDB holds {records}")


def picked(page, selector="#id_photos"):
    return page.locator(selector).evaluate("input => Array.from(input.files, f => f.name)")


def fill_report(page, category, title):
    page.select_option("#id_main_category", str(category.parent_id))
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_title", title)


@pytest.mark.browser
def test_a_closed_tab_keeps_the_photo_and_filing_drops_the_draft(ev, live_server):
    worker, category = ev.user(WORKER), ev.category()

    def walk(context, page, url):
        open_report(page, url)
        expect(page.get_by_test_id("discard-draft")).to_be_hidden()
        fill_report(page, category, "井盖缺失")
        page.set_input_files("#id_photos", files=[photo("manhole.jpg")])
        key = page.input_value("input[name=idempotency_key]")
        assert wait_stored(page, bool) == {key: {"photos": ["manhole.jpg"], "after_photos": []}}

        # The connection drops and the tab is closed; the worker opens the form again.
        page.close()
        page = context.new_page()
        open_report(page, url)
        assert page.input_value("#id_title") == "井盖缺失"
        assert page.input_value("#id_category") == str(category.pk)
        assert page.input_value("input[name=idempotency_key]") == key
        assert picked(page) == ["manhole.jpg"]
        restored = page.get_by_test_id("draft-photos-restored")
        expect(restored).to_be_visible()
        expect(restored).to_contain_text("已从草稿恢复照片")
        expect(restored.locator("[data-count]")).to_have_text("1")
        expect(page.get_by_test_id("report-form")).to_have_attribute("data-draft-photos", "1")
        expect(page.get_by_test_id("discard-draft")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "report-draft-restored.png"), full_page=True)

        page.get_by_test_id("submit-report").click()
        page.wait_for_url("**/events/*/?filed=1")
        event = Event.objects.get()
        assert event.title == "井盖缺失" and event.idempotency_key == key
        assert list(EventPhoto.objects.filter(event=event).values_list("kind", flat=True)) == ["report"]
        # The event's page drops the draft's photos at once, not only at the next form.
        page.wait_for_load_state("load")
        assert page.evaluate(STORED) == {}

        # Filed: the next form is empty, with a new key, and no photos are kept for the old one.
        open_report(page, url)
        expect(page.get_by_test_id("report-form")).to_have_attribute("data-draft-photos", "0")
        assert page.input_value("#id_title") == "" and picked(page) == []
        assert page.input_value("input[name=idempotency_key]") != key
        assert page.evaluate("() => localStorage.getItem('yh-report-draft')") is None
        assert page.evaluate(STORED) == {}
        expect(page.get_by_test_id("draft-photos-restored")).to_be_hidden()
        expect(page.get_by_test_id("discard-draft")).to_be_hidden()

    browse(live_server, worker.username, walk)
    assert Event.objects.count() == 1


@pytest.mark.browser
def test_a_refused_submit_gets_its_photos_back(ev, live_server):
    """The server shows the form again (no title): the typed fields are the server's, the photos the draft's."""
    worker, category = ev.user(WORKER), ev.category()

    def walk(context, page, url):
        open_report(page, url)
        page.select_option("#id_main_category", str(category.parent_id))
        page.select_option("#id_category", str(category.pk))
        page.fill("#id_description", "路灯不亮")
        page.check("#id_handled_on_spot")
        page.set_input_files("#id_photos", files=[photo("before.jpg")])
        page.set_input_files("#id_after_photos", files=[photo("after.jpg")])
        wait_stored(page, lambda records: any(r["after_photos"] for r in records.values()))
        page.get_by_test_id("submit-report").click()
        page.wait_for_load_state()
        expect(page.locator("[data-field=title] .invalid-feedback")).to_be_visible()
        expect(page.get_by_test_id("report-form")).to_have_attribute("data-draft-photos", "2")
        assert picked(page) == ["before.jpg"] and picked(page, "#id_after_photos") == ["after.jpg"]
        assert page.input_value("#id_description") == "路灯不亮"
        page.fill("#id_title", "路灯不亮")
        page.get_by_test_id("submit-report").click()
        page.wait_for_url("**/events/*/?filed=1")

    browse(live_server, worker.username, walk)
    event = Event.objects.get()
    assert event.handled_on_spot
    assert sorted(event.photos.values_list("kind", flat=True)) == ["after", "before"]


@pytest.mark.browser
def test_the_on_the_spot_box_is_kept_with_the_draft(ev, live_server):
    def walk(context, page, url):
        open_report(page, url)
        page.fill("#id_title", "占道经营")
        page.check("#id_handled_on_spot")
        page.set_input_files("#id_after_photos", files=[photo("after.jpg")])
        wait_stored(page, bool)
        page.reload()
        open_report(page)
        assert page.is_checked("#id_handled_on_spot")
        expect(page.locator("#id_after_photos")).to_be_visible()
        assert picked(page, "#id_after_photos") == ["after.jpg"]

    browse(live_server, ev.user(WORKER).username, walk)


@pytest.mark.browser
def test_discarding_the_draft_drops_its_photos(ev, live_server):
    def walk(context, page, url):
        open_report(page, url)
        page.fill("#id_title", "乱贴小广告")
        page.set_input_files("#id_photos", files=[photo("ad.jpg")])
        wait_stored(page, bool)
        discard = page.get_by_test_id("discard-draft")
        # A mistaken tap keeps everything.
        page.once("dialog", lambda dialog: dialog.dismiss())
        discard.click()
        page.wait_for_timeout(300)
        assert page.input_value("#id_title") == "乱贴小广告" and len(page.evaluate(STORED)) == 1

        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            discard.click()
        expect(page.get_by_test_id("report-form")).to_have_attribute("data-draft-photos", "0")
        assert page.evaluate(STORED) == {}
        assert page.evaluate("() => localStorage.getItem('yh-report-draft')") is None
        assert page.input_value("#id_title") == "" and picked(page) == []
        expect(discard).to_be_hidden()
        page.reload()
        open_report(page)
        assert page.input_value("#id_title") == "" and picked(page) == []

    browse(live_server, ev.user(WORKER).username, walk)
    assert not Event.objects.exists()


@pytest.mark.browser
def test_the_draft_keeps_no_more_than_the_form_takes(ev, live_server):
    """An oversized file and photos beyond MAX_PHOTOS in all are not kept: the server would refuse them."""
    big = b"\xff\xd8" + b"\0" * MAX_PHOTO_BYTES

    def walk(context, page, url):
        open_report(page, url)
        page.fill("#id_title", "照片太多")
        many = [photo(f"p{i}.jpg") for i in range(MAX_PHOTOS)]
        page.set_input_files("#id_photos", files=[photo("big.jpg", big), *many[:MAX_PHOTOS - 1]])
        page.check("#id_handled_on_spot")
        page.set_input_files("#id_after_photos", files=[photo("a1.jpg"), photo("a2.jpg")])
        records = wait_stored(page, lambda r: any(x["after_photos"] for x in r.values()))
        (record,) = records.values()
        assert record == {"photos": [f"p{i}.jpg" for i in range(MAX_PHOTOS - 1)], "after_photos": ["a1.jpg"]}
        page.reload()
        open_report(page)
        expect(page.get_by_test_id("report-form")).to_have_attribute("data-draft-photos", str(MAX_PHOTOS))

    browse(live_server, ev.user(WORKER).username, walk)


def test_the_scripts_limits_are_the_servers():
    source = SCRIPT.read_text(encoding="utf-8")
    assert f"MAX_PHOTOS = {MAX_PHOTOS}," in source
    assert MAX_PHOTO_BYTES == 8 * 1024 * 1024 and "MAX_PHOTO_BYTES = 8 * 1024 * 1024;" in source
