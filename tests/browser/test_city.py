"""The city officer in Chromium: from the menu to 合肥市's roll-up (its districts mapped and ranked), a click into
瑶海区's dashboard (counts only, read-only), and back to the city by the breadcrumb — in Chinese, under the CSP."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from cities import services as city_services
from events import demo
from grids import services as grid_services
from tests.browser.harness import DESKTOP
from tests.browser.test_dashboard_screenshot import READ_CHARTS
from tests.world import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 瑶海区 and 庐阳区 side by side (GeoJSON, longitude/latitude near Hefei).
DISTRICTS = {
    "A": ("瑶海区", [[117.30, 31.84], [117.40, 31.84], [117.40, 31.92], [117.30, 31.92], [117.30, 31.84]]),
    "B": ("庐阳区", [[117.20, 31.84], [117.30, 31.84], [117.30, 31.94], [117.20, 31.94], [117.20, 31.84]]),
}


def _in_chinese(page):
    text = page.locator("body").inner_text()
    english = set(re.findall(r"\b[A-Z][a-z]{2,}(?: [a-z]{2,})*\b", text)) - {"English", "ECharts", "GeoJSON"}
    assert not english, f"untranslated {sorted(english)}"


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _hefei(world):
    city = city_services.create_city(name="合肥市", code="340100")
    for key, (name, ring) in DISTRICTS.items():
        grid_services.update_node(node=world.node(key), name=name,
                                  boundary={"type": "Polygon", "coordinates": [ring]})
        city_services.add_district(city=city, tenant=world.tenants[key])
        demo.create_demo_events(world.tenants[key], count=30 if key == "A" else 12, days=20, seed=7)
    officer = make_user("hefei_city", None)
    city_services.assign_officer(city=city, user=officer, title="主任", start_date=dt.date(2024, 1, 1))
    return city, officer


def test_city_officer_opens_the_city_drills_into_yaohai_and_back(world, live_server, new_page, log_in, shot, _media):
    city, officer = _hefei(world)
    page = new_page(viewport=DESKTOP)
    log_in(page, officer.username)
    page.get_by_test_id("menu-cities").click()

    expect(page.get_by_test_id("city-title")).to_contain_text("合肥市")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    charts = {c["id"]: c for c in page.wait_for_function(
        READ_CHARTS, arg=["chart-trend", "chart-map"], polling=500).json_value()}
    assert sorted(charts["chart-map"]["names"]) == sorted(["瑶海区", "庐阳区"])
    expect(page.get_by_test_id("child-row")).to_have_count(2)
    _in_chinese(page)
    shot(page, "city")

    page.get_by_test_id("district-link").filter(has_text="瑶海区").click()
    expect(page.locator("h1")).to_contain_text("瑶海区")
    expect(page.get_by_test_id("read-only")).to_be_visible()
    expect(page.get_by_test_id("kpi-events")).to_be_visible()
    expect(page.get_by_test_id("overdue-list")).to_have_count(0)
    expect(page.get_by_test_id("screen-link")).to_have_count(0)
    page.wait_for_function(READ_CHARTS, arg=["chart-trend"], polling=500)  # its own trend, drawn
    _in_chinese(page)
    shot(page, "yaohai")

    page.get_by_test_id("crumb-above").click()
    expect(page.get_by_test_id("city-title")).to_contain_text("合肥市")
    assert page.url.startswith(f"{live_server.url}/cities/{city.pk}/")
