"""A resident on a 390 px phone reports a broken street lamp, is offered a nearby report of it and joins it; the
event is handled and closed; she rates it; her community's dashboard shows the rating. axe-core checks every
resident page on the way: no serious or critical finding."""

import re

import pytest

from events.models import Event
from residents.senders import last_code_in_file
from tests.browser.harness import PHONE, axe_findings, sign_in, with_chromium
from tests.events.conftest import EventWorld

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_NUMBER = "13955551234"


def test_a_resident_reports_joins_and_rates_on_her_phone(world, live_server):
    ev = EventWorld(world)
    lamp = ev.category(name="路灯不亮")
    existing = ev.report(category=lamp, lon=117.3, lat=31.86, title="路灯不亮", now=None)
    base = live_server.url
    head = world.users["A/S1/C1:grid_head"].username
    community = world.nodes["A/S1/C1"]
    checked = []

    def accessible(page):
        findings = axe_findings(page)
        assert findings == [], f"{page.url}: {findings}"
        checked.append(page.url)

    def flow(chromium):
        context = chromium.new_context(
            viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, geolocation={
                "latitude": 31.86001, "longitude": 117.30002}, permissions=["geolocation"],
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(f"{base}/r/signin/")
        accessible(page)
        page.select_option("#id_tenant", world.tenants["A"].code)
        page.fill("#id_phone", PHONE_NUMBER)
        page.get_by_role("button", name="获取验证码").click()
        page.wait_for_url(f"{base}/r/verify/")
        accessible(page)
        page.fill("#id_code", last_code_in_file(PHONE_NUMBER))
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{base}/r/")
        accessible(page)
        page.get_by_role("link", name="选择我的社区").click()
        page.wait_for_url(f"{base}/r/community/")
        accessible(page)
        page.select_option("#community", str(community.pk))
        page.get_by_role("button", name="保存").click()
        page.wait_for_url(f"{base}/r/")
        page.get_by_role("link", name="随手拍").first.click()
        page.wait_for_url(f"{base}/r/report/")
        accessible(page)
        page.select_option("#category", str(lamp.pk))
        page.fill("#description", "小区东门的路灯不亮了")
        page.get_by_role("button", name="使用我的位置").click()
        page.wait_for_function("() => document.getElementById('lon').value !== ''")  # a function: a bare expression is eval'd, which the CSP refuses
        page.get_by_role("button", name="提交").click()
        page.get_by_text("这里已有人上报").wait_for()
        accessible(page)
        page.get_by_role("button", name=f"关注 {existing.reference}").click()
        page.wait_for_url(f"{base}/r/reports/{existing.pk}/")
        accessible(page)
        assert Event.objects.count() == 1  # she joined instead of filing again
        for step in ("accept", "dispatch", "sign", "handle", "verify"):
            ev.step(existing, step, now=None)
        page.goto(f"{base}/r/notices/")
        accessible(page)
        page.goto(f"{base}/r/reports/")
        accessible(page)
        page.goto(f"{base}/r/reports/{existing.pk}/")
        accessible(page)
        page.get_by_label("满意", exact=True).check()
        page.get_by_role("button", name="提交评价").click()
        page.get_by_text("感谢您的评价").wait_for()
        accessible(page)
        # Large text, one tap away, stays accessible.
        page.get_by_role("button", name="大字模式").click()
        page.wait_for_selector("html.large-text")
        accessible(page)
        context.close()

        staff = chromium.new_context(viewport=PHONE, locale="zh-CN")
        board = sign_in(staff.new_page(), base, head)
        board.goto(f"{base}/dashboards/{community.pk}/")
        value = board.locator('[data-testid="kpi-satisfaction"] .kpi-value').inner_text()
        assert re.search(r"100", value), value
        staff.close()

    with_chromium(flow)
    existing.refresh_from_db()
    assert existing.satisfaction == "satisfied"
    assert len(checked) >= 10


def test_a_resident_places_her_report_by_tapping_the_map(world, live_server):
    """随手拍 without the phone's position: she taps her community's map where the lamp is; the point is sent and
    the event lies there, in the grid under it (the map is the staff 上报 map's script, static under the CSP)."""
    from grids.services import update_node

    ev = EventWorld(world)
    lamp = ev.category(name="路灯不亮")
    grid = world.nodes["A/S1/C1/G1"]
    update_node(node=grid, boundary={"type": "Polygon", "coordinates": [
        [[117.30, 31.86], [117.31, 31.86], [117.31, 31.87], [117.30, 31.87], [117.30, 31.86]]]})
    base = live_server.url
    community = world.nodes["A/S1/C1"]

    def flow(chromium):
        context = chromium.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(f"{base}/r/signin/")
        page.select_option("#id_tenant", world.tenants["A"].code)
        page.fill("#id_phone", PHONE_NUMBER)
        page.get_by_role("button", name="获取验证码").click()
        page.wait_for_url(f"{base}/r/verify/")
        page.fill("#id_code", last_code_in_file(PHONE_NUMBER))
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{base}/r/")
        page.goto(f"{base}/r/community/")
        page.select_option("#community", str(community.pk))
        page.get_by_role("button", name="保存").click()
        page.wait_for_url(f"{base}/r/")
        page.goto(f"{base}/r/report/")
        page.wait_for_selector("#report-map canvas")
        assert axe_findings(page) == []
        page.select_option("#category", str(lamp.pk))
        page.fill("#description", "楼下路灯不亮")
        page.locator("#report-map").click()  # its middle: the middle of the only grid drawn
        page.wait_for_function("() => document.getElementById('lon').value !== ''")
        assert page.locator("#grid").input_value() == str(grid.pk)
        page.get_by_role("button", name="提交").click()
        page.wait_for_url(re.compile(r"/r/reports/\d+/$"))
        context.close()

    with_chromium(flow)
    event = Event.objects.get()
    assert event.node_id == grid.pk
    assert 117.30 < event.lon < 117.31 and 31.86 < event.lat < 31.87
    assert abs(event.lon - 117.305) < 0.002 and abs(event.lat - 31.865) < 0.002
