"""The day's patrols as tracks on the grid map, for officers, scoped; a constant number of queries."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from registry import patrols
from tests.registry.factories import building

GRID = "A/S1/C1/G1"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _patrol(world, path, *, at, lon=117.31):
    worker = world.user(f"{path}:grid_worker")
    b = building(world.node(path), number=f"{path}-{at:%d%H}", lon=lon, lat=31.87)
    patrol = patrols.start_patrol(actor=worker, grid=world.node(path), now=at)
    patrols.record_positions(actor=worker, patrol=patrol, points=[
        {"seq": i, "at": (at + dt.timedelta(minutes=i)).isoformat(), "lon": lon + i / 1e4, "lat": 31.87}
        for i in range(1, 4)])
    patrols.check_in(actor=worker, patrol=patrol, building=b, now=at + dt.timedelta(minutes=2))
    patrols.end_patrol(actor=worker, patrol=patrol, now=at + dt.timedelta(minutes=30))
    return patrol


def _map(response) -> dict:
    html = response.content.decode()
    start = html.index('id="patrol-map-data"')
    body = html[html.index(">", start) + 1: html.index("</script>", start)]
    return json.loads(body)


def test_the_community_head_sees_the_days_tracks_of_her_grids(world, client_for, django_assert_max_num_queries):
    now = dt.datetime(2026, 3, 10, 11, 0, tzinfo=SHANGHAI)  # a fixed day: the page reads ?day=
    mine = _patrol(world, GRID, at=now - dt.timedelta(hours=1))
    _patrol(world, "A/S1/C2/G1", at=now - dt.timedelta(hours=1), lon=117.35)
    _patrol(world, GRID, at=now - dt.timedelta(days=2))  # another day
    world.node(GRID).__class__.objects.filter(pk=world.node(GRID).pk).update(
        boundary={"type": "Polygon", "coordinates": [[[117.30, 31.86], [117.32, 31.86], [117.32, 31.88],
                                                      [117.30, 31.86]]]})
    client = client_for("A/S1/C1:grid_head")
    client.get(reverse("registry:patrol-tracks"))  # the session's first read
    with django_assert_max_num_queries(14):
        page = client.get(reverse("registry:patrol-tracks"), {"day": timezone.localdate(now).isoformat()})
    assert page.status_code == 200
    data = _map(page)
    [track] = data["tracks"]
    assert len(track["line"]) == 3 and track["check_ins"] == [[117.31, 31.87, f"{GRID}-1010"]]
    assert [f["properties"]["id"] for f in data["geo"]["features"]] == [world.node(GRID).pk]
    assert len(page.context["patrols"]) == 1 and page.context["patrols"][0] == mine
    before = client.get(reverse("registry:patrol-tracks"), {"day": (timezone.localdate(now) - dt.timedelta(days=2))
                                                            .isoformat()})
    assert len(before.context["patrols"]) == 1 and before.context["patrols"][0] != mine
    # a node out of her scope answers like a missing one; a day that is no date falls back to today
    sibling = world.node("A/S1/C2")
    assert client.get(reverse("registry:patrol-tracks"), {"node": sibling.pk}).status_code == 404
    assert client.get(reverse("registry:patrol-tracks"), {"node": "x"}).status_code == 404
    assert client.get(reverse("registry:patrol-tracks"), {"day": "2025-13-45"}).status_code == 200
