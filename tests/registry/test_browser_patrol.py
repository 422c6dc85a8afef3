"""A grid worker's patrol on a 390 px phone in Chromium: the track survives a lost connection, a check-in, a
finding filed as an event, the end with its summary."""

import pytest

from events.catalogue import install_event_catalogue
from events.models import Event
from registry.models import Patrol
from tests.browser.harness import ARTIFACTS, PHONE, sign_in, with_chromium
from tests.registry.factories import building

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRID = "A/S1/C1/G1"


def test_patrol_keeps_its_track_through_a_lost_connection(world, live_server):
    grid = world.node(GRID)
    install_event_catalogue(grid.tenant)
    b = building(grid, number="12栋", lon=117.3101, lat=31.8702)
    worker = world.user(f"{GRID}:grid_worker")

    def walk(chromium):
        context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN",
                                       geolocation={"longitude": 117.3101, "latitude": 31.8702},
                                       permissions=["geolocation"])
        context.set_default_timeout(15_000)
        page = context.new_page()
        sign_in(page, live_server.url, worker.username)
        page.goto(f"{live_server.url}/registry/patrol/")
        page.get_by_test_id("patrol-start").locator("button").click()
        page.wait_for_selector("#patrol")
        # The first position (from the emulated GPS) is recorded and sent before the connection drops.
        page.wait_for_function(
            # A function, not an expression: Playwright evaluates a bare expression with eval, which the page's
            # Content-Security-Policy (script-src 'self') refuses.
            "() => window.patrolTrack && window.patrolTrack.state().seq >= 1 && !window.patrolTrack.state().queue.length"
        )
        context.set_offline(True)
        page.evaluate("""() => {
            const t0 = Date.now() + 60000;
            for (let i = 1; i <= 3; i++) {
                window.patrolTrack.record({timestamp: t0 + i * 30000,
                    coords: {longitude: 117.3101 + i / 10000, latitude: 31.8702, accuracy: 8}});
            }
        }""")
        assert page.get_by_test_id("track-queue").inner_text() == "3"
        page.screenshot(path=str(ARTIFACTS / "registry-patrol-offline.png"), full_page=True)
        context.set_offline(False)
        page.wait_for_function("() => document.getElementById('track-queue').textContent === '0'")
        page.get_by_test_id("check-in").locator("button").click()
        page.wait_for_selector("[data-testid=check-ins]")
        finding = page.get_by_test_id("finding")
        finding.locator("input[name=title]").fill("12栋楼道堆放杂物")
        finding.locator("select[name=building]").select_option(str(b.pk))
        finding.locator("button").click()
        page.wait_for_load_state("networkidle")
        page.get_by_test_id("patrol-end").locator("textarea").fill("巡查完毕")
        page.get_by_test_id("patrol-end").locator("button").click()
        page.wait_for_selector("[data-testid=patrol-start]")
        context.close()

    with_chromium(walk)
    patrol = Patrol.objects.get()
    assert patrol.ended_at is not None and "巡查完毕" in patrol.summary
    assert patrol.points.count() >= 3 and patrol.check_ins.get().building == b
    assert Event.objects.get(title="12栋楼道堆放杂物").node_id == grid.pk
