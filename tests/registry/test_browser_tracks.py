"""The community head in Chromium: the day's patrol tracks drawn on the grid map (under the CSP), and the patrol
coverage on her dashboard."""

import datetime as dt

import pytest
from django.utils import timezone

from grids.models import GridNode
from registry import patrols
from tests.browser.harness import ARTIFACTS, new_page, sign_in, with_chromium
from tests.registry.factories import building

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRID = "A/S1/C1/G1"


def test_the_community_head_sees_the_track_and_the_coverage(world, live_server):
    grid = world.node(GRID)
    GridNode.objects.filter(pk=grid.pk).update(boundary={"type": "Polygon", "coordinates": [[
        [117.309, 31.869], [117.313, 31.869], [117.313, 31.872], [117.309, 31.872], [117.309, 31.869]]]})
    b = building(grid, number="12栋", lon=117.3101, lat=31.8702)
    building(grid, number="13栋", lon=117.3111, lat=31.8712)
    worker = world.user(f"{GRID}:grid_worker")
    now = timezone.now()
    patrol = patrols.start_patrol(actor=worker, grid=grid, now=now)  # the clock the pages read: today, this week
    patrols.record_positions(actor=worker, patrol=patrol, points=[
        {"seq": i, "at": (now + dt.timedelta(seconds=i)).isoformat(), "lon": 117.3101 + i / 5000,
         "lat": 31.8702} for i in range(1, 6)])
    patrols.check_in(actor=worker, patrol=patrol, building=b, now=now)
    head = world.user("A/S1/C1:grid_head")
    day = timezone.localdate(now).isoformat()

    def look(chromium):
        page = new_page(chromium)
        sign_in(page, live_server.url, head.username)
        page.goto(f"{live_server.url}/registry/patrols/?day={day}")
        page.wait_for_selector("[data-testid=patrol-map] canvas")
        assert page.get_by_test_id("patrol-row").count() == 1
        page.screenshot(path=str(ARTIFACTS / "registry-patrol-tracks.png"), full_page=True)
        page.goto(f"{live_server.url}/dashboards/{world.node('A/S1/C1').pk}/")
        panel = page.get_by_test_id("panel-registry-coverage")
        assert panel.get_by_test_id("coverage-week").inner_text() == "50.0%"
        page.context.close()

    with_chromium(look)
