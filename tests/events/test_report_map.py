"""The 上报 form's grid map: the page carries the boundaries of the grids the reporter may report in (and no
others); in Chromium on a 390 px phone, a tap on the map puts a point inside the grid into the form's lon/lat.

The browser test needs committed rows (a live server), and a module may not mix those with the shared world;
so every test here runs with transactions. The browser runs in a thread of its own, as in test_browser_flow.
"""

import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.models import Event
from grids import geo
from grids.services import update_node
from tests.browser.harness import ARTIFACTS, PHONE, new_page, sign_in, with_chromium

from .conftest import GRID, HEAD, WORKER
from .images import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

SIBLING = "A/S1/C1/G2"



def square(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


COMMUNITY = square(113.30, 23.10, 113.34, 23.13)
# The worker's grid is not a rectangle: a point picked in the middle of the map must still fall inside it.
OWN = {
    "type": "Polygon",
    "coordinates": [
        [
            [113.30, 23.10],
            [113.32, 23.10],
            [113.32, 23.13],
            [113.31, 23.13],
            [113.30, 23.12],
            [113.30, 23.10],
        ]
    ],
}
NEIGHBOUR = square(113.32, 23.10, 113.34, 23.13)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def give_boundaries(ev):
    nodes = ev.world.nodes
    # A grid's boundary must lie inside its community's, when the community has one.
    update_node(node=nodes["A/S1/C1"], boundary=COMMUNITY)
    update_node(node=nodes[GRID], boundary=OWN)
    update_node(node=nodes[SIBLING], boundary=NEIGHBOUR)


def map_data(html: str):
    found = re.search(r'<script id="report-map-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else None


def test_report_page_carries_only_the_workers_own_grid_boundaries(ev, client_for):
    give_boundaries(ev)
    own, sibling = ev.world.nodes[GRID], ev.world.nodes[SIBLING]
    page = client_for(WORKER).get(reverse("events:report"))
    assert page.status_code == 200
    html = page.content.decode()
    data = map_data(html)
    assert data == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"key": str(own.pk), "id": own.pk, "name": own.name},
                "geometry": OWN,
            }
        ],
    }
    assert page.context["report_map"] == data
    assert sibling.pk not in [f["properties"]["id"] for f in data["features"]]
    assert NEIGHBOUR["coordinates"] not in [f["geometry"]["coordinates"] for f in data["features"]]
    assert 'id="report-map"' in html and "js/report_map.js" in html and "echarts.min.js" in html


def test_community_head_gets_each_of_its_grids_with_a_boundary(ev, client_for):
    give_boundaries(ev)
    update_node(node=ev.world.nodes[SIBLING], boundary=None)
    data = map_data(client_for(HEAD).get(reverse("events:report")).content.decode())
    assert [f["properties"]["id"] for f in data["features"]] == [ev.world.nodes[GRID].pk]


def test_no_map_without_boundaries(ev, client_for):
    # A sibling's boundary alone draws nothing for this worker.
    update_node(node=ev.world.nodes[SIBLING], boundary=NEIGHBOUR)
    page = client_for(WORKER).get(reverse("events:report"))
    html = page.content.decode()
    assert page.status_code == 200 and page.context["report_map"] is None
    assert map_data(html) is None and 'id="report-map"' not in html and "echarts.min.js" not in html


@pytest.mark.browser
def test_tapping_the_map_puts_a_point_of_the_grid_in_the_form(ev, live_server):
    give_boundaries(ev)
    worker, category = ev.user(WORKER), ev.category()
    picked = {}

    def flow(chromium):
        page = sign_in(new_page(chromium, viewport=PHONE, mobile=True), live_server.url, worker.username)
        page.goto(f"{live_server.url}/events/report/")
        the_map = page.get_by_test_id("report-map")
        expect(the_map.locator("canvas")).to_have_count(1)
        box = the_map.bounding_box()
        assert box["width"] <= PHONE["width"] and 240 <= box["height"] <= 280
        assert page.input_value("#id_lon") == ""
        # A finger's tap picks a point; then a click in the middle of the map moves it north.
        the_map.tap(position={"x": box["width"] / 2, "y": box["height"] / 2 + 40})
        expect(the_map).to_have_attribute("data-picked", "1")
        tapped = picked["tapped"] = float(page.input_value("#id_lat"))
        # ECharts ignores mouse events for 700 ms after a touch (ghost clicks).
        page.wait_for_timeout(1000)
        the_map.click()  # the middle of the map
        expect(page.locator("#id_lat")).not_to_have_value(f"{tapped:.6f}")
        picked["lon"] = float(page.input_value("#id_lon"))
        picked["lat"] = float(page.input_value("#id_lat"))
        expect(page.locator("#locate-out")).to_contain_text(ev.world.nodes[GRID].name)
        page.screenshot(path=str(ARTIFACTS / "report-map-picked.png"), full_page=True)
        # The pick is filed with the event.
        page.select_option("#id_main_category", str(category.parent_id))
        page.select_option("#id_category", str(category.pk))
        page.fill("#id_title", "地图选点的事件")
        page.set_input_files(
            "#id_photos",
            files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}],
        )
        page.get_by_test_id("submit-report").click()
        page.wait_for_url("**/events/*/?filed=1")

    with_chromium(flow)
    assert picked["lat"] > picked["tapped"]
    assert geo.contains_point(OWN, picked["lon"], picked["lat"])
    assert not geo.contains_point(NEIGHBOUR, picked["lon"], picked["lat"])
    event = Event.objects.get()
    assert event.node_id == ev.world.nodes[GRID].pk
    assert (float(event.lon), float(event.lat)) == pytest.approx((picked["lon"], picked["lat"]), abs=1e-6)
