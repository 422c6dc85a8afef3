"""The district dashboard as a district officer sees it in Chromium: KPI cards, the four ECharts charts and the map
of the streets, drawn from events filed through the services, in Chinese; a full-page screenshot of it.

The screenshot goes to the test's tmp dir and test-artifacts/; with SAVE_SCREENSHOTS=docs it also replaces
docs/dashboard.png (`SAVE_SCREENSHOTS=docs DJANGO_DEBUG=1 .venv/bin/pytest -p no:cacheprovider
tests/browser/test_dashboard_screenshot.py`).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from events import demo
from events.models import Event
from grids import services as grid_services
from tests.browser.harness import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "dashboard.png"
CHARTS = ("chart-trend", "chart-status", "chart-category", "chart-map")

# Two streets of 甲区 side by side, sharing a jagged border (GeoJSON, longitude/latitude near Hefei).
STREET_BOUNDARIES = {
    "A/S1": [[117.300, 31.860], [117.331, 31.860], [117.327, 31.872], [117.334, 31.884], [117.329, 31.900],
             [117.300, 31.900], [117.296, 31.880], [117.300, 31.860]],
    "A/S2": [[117.331, 31.860], [117.362, 31.860], [117.366, 31.878], [117.360, 31.900], [117.329, 31.900],
             [117.334, 31.884], [117.327, 31.872], [117.331, 31.860]],
}

# For each chart: whether ECharts holds it, which series it draws, how many of its canvas pixels are painted
# (sampled), and the names it shows. Polled until two reads in a row agree (the entry animation is over).
READ_CHARTS = """
(ids) => {
  const read = ids.map((id) => {
    const el = document.getElementById(id);
    const chart = el && window.echarts && echarts.getInstanceByDom(el);
    const canvas = el && el.querySelector("canvas");
    if (!chart || !canvas || !canvas.width || !canvas.height) { return { id, painted: 0, series: [] }; }
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4 * 5) { if (pixels[i] > 0) { painted += 1; } }
    const option = chart.getOption();
    return {
      id, painted,
      series: option.series.map((s) => s.type),
      names: [].concat(...option.series.map((s) => (s.data || []).map((d) => (d && d.name) || null)))
        .filter(Boolean),
      legend: [].concat(...(option.legend || []).map((l) => l.data || [])).map((d) => (d && d.name) || d),
    };
  });
  const key = JSON.stringify(read.map((r) => r.painted));
  const settled = read.every((r) => r.painted > 0) && window.__chartsKey === key;
  window.__chartsKey = key;
  return settled ? read : null;
}
"""


def _district_with_events(world):
    """甲区 with street boundaries and a month of events in every state, filed and walked by the services."""
    for path, ring in STREET_BOUNDARIES.items():
        grid_services.update_node(node=world.node(path), boundary={"type": "Polygon", "coordinates": [ring]})
    made = demo.create_demo_events(world.tenants["A"], count=60, days=28, seed=4)
    assert sum(made.values()) == 60
    return world.node("A")


def test_district_dashboard_renders_charts_and_map_in_chinese(
    world, live_server, new_page, log_in, shot, tmp_path
):
    district = _district_with_events(world)
    officer = world.users["A:grid_head"]
    page = new_page(viewport=DESKTOP)
    log_in(page, officer.username)
    page.goto(f"{live_server.url}/dashboards/{district.pk}/")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_contain_text(district.name)
    for label in ("结案率", "按期结案率", "返工率", "超期"):
        expect(page.locator("main")).to_contain_text(label)
    expect(page.get_by_test_id("kpi-events").locator(".kpi-value")).to_have_text(
        str(Event.objects.filter(tenant=district.tenant, created_at__lte=timezone.now()).count())
    )

    charts = {c["id"]: c for c in page.wait_for_function(READ_CHARTS, arg=list(CHARTS), polling=500).json_value()}
    assert set(charts) == set(CHARTS)
    for chart in charts.values():
        assert chart["painted"] > 200, f"{chart['id']} is blank"
    assert charts["chart-trend"]["series"] == ["bar", "bar", "line"]
    assert "结案率" in charts["chart-trend"]["legend"]
    assert charts["chart-status"]["series"] == ["pie"]
    assert "已结案" in charts["chart-status"]["names"]
    assert charts["chart-category"]["series"] == ["bar"]
    assert charts["chart-map"]["series"] == ["map"]
    streets = sorted(world.node(p).name for p in STREET_BOUNDARIES)
    assert sorted(charts["chart-map"]["names"]) == streets
    regions = page.evaluate("() => echarts.getMap('children').geoJSON.features.map((f) => f.properties.name)")
    assert sorted(regions) == streets

    path = tmp_path / "district-dashboard.png"
    page.screenshot(path=str(path), full_page=True)
    shot(page, "district")
    with Image.open(path) as image:
        assert image.width == DESKTOP["width"] and image.height > DESKTOP["height"]
    if os.environ.get("SAVE_SCREENSHOTS") == "docs":
        shutil.copyfile(path, DOCS_SCREENSHOT)
