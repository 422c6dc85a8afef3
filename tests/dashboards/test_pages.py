"""The dashboard pages: scope, the date filter, the drill-down, the embedded chart data, exports, query budgets."""

import datetime as dt
import json
import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dashboards import nodes as dashboards
from events import rollups
from events.models import Event

pytestmark = pytest.mark.django_db

VIEWER = "A/S1/C1:grid_head"


def _data(response) -> dict:
    match = re.search(rb'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content, re.S)
    return json.loads(match.group(1))


def _card(response, key) -> str:
    match = re.search(
        rf'data-testid="kpi-{key}">.*?<div class="kpi-value">([^<]*)</div>'.encode(), response.content, re.S
    )
    return match.group(1).decode()


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content)).active


def test_community_officer_sees_only_their_community(board, client_for):
    community = board.world.nodes["A/S1/C1"]
    response = client_for(VIEWER).get(reverse("dashboards:node", args=[community.pk]))
    assert response.status_code == 200
    assert _card(response, "events") == "7"
    assert _card(response, "closure_rate") == "66.7%"
    assert _card(response, "on_time_rate") == "75.0%"
    assert _card(response, "rework_rate") == "33.3%"
    assert _card(response, "extension_rate") == "25.0%"
    assert _card(response, "overdue") == "1"
    assert _card(response, "avg_handling_hours") == "127.0 h"
    body = response.content.decode()
    assert board.events["e5"].reference in body  # the overdue list
    assert reverse("events:detail", args=[board.events["e5"].pk]) in body
    assert board.events["sibling"].reference not in body and board.events["foreign"].reference not in body
    data = _data(response)
    assert {c["name"] for c in data["children"]} == {"网格1", "网格2"}
    assert sum(data["trend"]["events"]) == 7


def test_the_street_and_district_are_out_of_a_community_officers_reach(board, client_for):
    client = client_for(VIEWER)
    for path in ("A/S1", "A", "A/S1/C2", "B", "B/S1/C1"):
        response = client.get(reverse("dashboards:node", args=[board.world.nodes[path].pk]))
        assert response.status_code == 404, path


def test_tenant_admin_district_dashboard_never_shows_another_tenant(board, client_for):
    response = client_for("A:admin").get(reverse("dashboards:node", args=[board.world.nodes["A"].pk]))
    assert response.status_code == 200
    assert _card(response, "events") == "8"  # C1's seven and the sibling community's one
    names = {c["name"] for c in _data(response)["children"]}
    assert names == {"甲区街道1", "甲区街道2"}
    assert board.events["foreign"].reference not in response.content.decode()
    other = client_for("A:admin").get(reverse("dashboards:node", args=[board.world.nodes["B"].pk]))
    assert other.status_code == 404


def test_drill_down_links_go_to_the_childrens_dashboards(board, client_for):
    community = board.world.nodes["A/S1/C1"]
    response = client_for(VIEWER).get(reverse("dashboards:node", args=[community.pk]), {"period": "week"})
    g1 = board.world.nodes["A/S1/C1/G1"]
    child = next(c for c in _data(response)["children"] if c["id"] == g1.pk)
    assert child["url"].startswith(reverse("dashboards:node", args=[g1.pk]) + "?")
    assert "period=week" in child["url"]
    grid_page = client_for(VIEWER).get(child["url"])
    assert grid_page.status_code == 200
    assert _card(grid_page, "events") == "5"
    assert "甲区街道1社区1" in grid_page.content.decode()  # the breadcrumb back up


def test_date_filter_applies_to_every_panel(board, client_for):
    old = timezone.now() - dt.timedelta(days=40)
    Event.objects.filter(pk__in=[board.events["e1"].pk, board.events["e5"].pk]).update(created_at=old)
    rollups.rebuild()  # a bulk UPDATE bypasses Event.save
    url = reverse("dashboards:node", args=[board.world.nodes["A/S1/C1"].pk])
    client = client_for(VIEWER)
    default = client.get(url)  # the last 30 days
    assert _card(default, "events") == "5"
    assert _card(default, "overdue") == "0"  # e5 was reported before the range
    assert sum(_data(default)["trend"]["events"]) == 5
    assert board.events["e5"].reference not in default.content.decode()
    day = timezone.localdate(old)
    only_old = client.get(url, {"from": day.isoformat(), "to": day.isoformat()})
    assert _card(only_old, "events") == "2"
    assert _card(only_old, "overdue") == "1"
    assert sum(c["events"] for c in _data(only_old)["children"]) == 2
    swapped = client.get(url, {"from": timezone.localdate().isoformat(), "to": day.isoformat()})
    assert _card(swapped, "events") == "7"
    garbage = client.get(url, {"from": "yesterday", "to": "soon"})
    assert garbage.status_code == 400  # refused, not read as the default range (yaohai.core.query)


def test_screen_mode_shows_the_same_numbers_dark_and_refreshing(board, client_for):
    response = client_for(VIEWER).get(reverse("dashboards:screen", args=[board.world.nodes["A/S1/C1"].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'http-equiv="refresh" content="60"' in body
    assert 'data-theme="dark"' in body and "1920px" in body
    assert _card(response, "events") == "7"
    child = _data(response)["children"][0]
    assert child["url"].startswith("/dashboards/") and "/screen/" in child["url"]


def test_export_children_honours_the_filters(board, client_for):
    url = reverse("dashboards:export", args=[board.world.nodes["A/S1/C1"].pk])
    client = client_for(VIEWER)
    sheet = _sheet(client.get(url, {"table": "children"}))
    assert "甲区街道1社区1" in sheet["A1"].value
    assert sheet["A2"].value == "序号"
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert set(rows) == {"网格1", "网格2"}
    assert rows["网格1"][3] == 5 and rows["网格2"][3] == 2  # the events column
    old = timezone.now() - dt.timedelta(days=40)
    Event.objects.filter(pk=board.events["e1"].pk).update(created_at=old)
    rollups.rebuild()  # a bulk UPDATE bypasses Event.save
    sheet = _sheet(client.get(url, {"table": "children"}))
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["网格1"][3] == 4
    day = timezone.localdate(old).isoformat()
    sheet = _sheet(client.get(url, {"table": "children", "from": day, "to": day}))
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["网格1"][3] == 1 and rows["网格2"][3] == 0
    assert day in sheet["A1"].value


def test_export_overdue_and_categories(board, client_for):
    url = reverse("dashboards:export", args=[board.world.nodes["A/S1/C1"].pk])
    client = client_for(VIEWER)
    sheet = _sheet(client.get(url, {"table": "overdue"}))
    refs = [r[1] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert refs == [board.events["e5"].reference]
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    sheet = _sheet(client.get(url, {"table": "overdue", "from": yesterday}))
    assert list(sheet.iter_rows(min_row=3, values_only=True)) == []
    sheet = _sheet(client.get(url, {"table": "categories"}))
    assert [(r[1], r[2]) for r in sheet.iter_rows(min_row=4, values_only=True)] == [("市容环境", 7)]
    assert client.get(url, {"table": "everything"}).status_code == 400


def test_export_out_of_scope_is_404(board, client_for):
    url = reverse("dashboards:export", args=[board.world.nodes["A/S1/C2"].pk])
    assert client_for(VIEWER).get(url, {"table": "children"}).status_code == 404


def _bulk_events(board, n):
    """n more events in A/S1/C1, spread over its grids and statuses (rows made directly: set-up only)."""
    grids = [board.world.node("A/S1/C1/G1"), board.world.node("A/S1/C1/G2")]
    reporter = board.world.user("A/S1/C1/G1:grid_worker")
    category = board.category()
    now = timezone.now()
    rows = []
    for i in range(n):
        e = Event(
            reference=f"BULK{i:06d}", category=category, main_category_id=category.parent_id, title=f"bulk {i}",
            reporter=reporter,
            status=["reported", "in_progress", "closed", "rejected"][i % 4],
        )
        if e.status == "closed":
            e.close_reason, e.closed_at = "fixed", now
        if e.status == "in_progress":
            e.due_at = now - dt.timedelta(hours=i + 1)
        e.stamp_from(grids[i % 2])
        e.node = grids[i % 2]
        rows.append(e)
    Event.objects.bulk_create(rows)
    Event.objects.filter(reference__startswith="BULK").update(created_at=now - dt.timedelta(days=3))
    rollups.rebuild()  # bulk writes bypass Event.save


# Session, user, scope, node, handling units, path, KPI totals, children, by child, categories, statuses,
# trend, overdue list — plus the session save (savepoint, update, release) the test client's login causes.
BUDGET = 16 + 2 + 1 + 1 + 1  # + mediation.summary: one aggregate and one GROUP BY; + parties.overview: one more;
# + registry.coverage: one (a correlated count per figure and child)
# + points.overview: its per-community aggregate (the most active are read only where the ledger moved)


@pytest.mark.parametrize("path", ["A", "A/S1/C1", "A/S1/C1/G1"])
def test_query_count_does_not_grow_with_the_data(board, client_for, django_assert_max_num_queries, path):
    client = client_for("A:admin" if path == "A" else VIEWER)
    url = reverse("dashboards:node", args=[board.world.nodes[path].pk])
    client.get(url)  # warm the session
    _bulk_events(board, 10)
    with django_assert_max_num_queries(BUDGET) as small_queries:
        small = client.get(url, {"period": "week"})
    Event.objects.filter(reference__startswith="BULK").delete()
    _bulk_events(board, 200)
    with django_assert_max_num_queries(BUDGET) as big_queries:
        big = client.get(url, {"period": "week"})
    assert small.status_code == big.status_code == 200
    assert _card(big, "events") != _card(small, "events")
    assert len(big_queries.captured_queries) == len(small_queries.captured_queries)


def test_screen_and_export_query_budgets(board, client_for, django_assert_max_num_queries):
    _bulk_events(board, 200)
    client = client_for(VIEWER)
    pk = board.world.nodes["A/S1/C1"].pk
    client.get(reverse("dashboards:node", args=[pk]))
    with django_assert_max_num_queries(BUDGET):
        assert client.get(reverse("dashboards:screen", args=[pk])).status_code == 200
    for table in ("children", "categories", "overdue"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse("dashboards:export", args=[pk]), {"table": table}).status_code == 200


def test_events_seen_only_through_a_personal_grant_stay_off_a_dashboard(board, client_for):
    """A grid worker who reported in another grid sees that event in their list, never on their grid's dashboard."""
    worker = "A/S1/C1/G1:grid_worker"
    other_grid = board.world.nodes["A/S1/C1/G2"]
    Event.objects.filter(pk=board.events["e6"].pk).update(reporter=board.world.users[worker])
    response = client_for(worker).get(reverse("dashboards:node", args=[board.world.nodes["A/S1/C1/G1"].pk]))
    assert _card(response, "events") == "5"
    assert client_for(worker).get(reverse("dashboards:node", args=[other_grid.pk])).status_code == 404


@pytest.mark.parametrize("path", ["A", "A/S1", "A/S1/C1", "A/S1/C1/G1"])
def test_the_breadcrumb_comes_with_the_node(board, path, django_assert_num_queries):
    """dashboard_node loads the ancestors with the node: the path needs no query of its own, and it is the one
    the stamps name."""
    admin = board.world.user("A:admin")
    node = dashboards.dashboard_node(actor=admin, pk=board.world.nodes[path].pk)
    stamps_path = dashboards.node_path(type(node).objects.get(pk=node.pk))
    with django_assert_num_queries(0):
        loaded_path = dashboards.node_path(node)
    assert [n.pk for n in loaded_path] == [n.pk for n in stamps_path]
    assert [n.name for n in loaded_path] == [board.world.nodes[p].name for p in _ancestors(path)]


def _ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]
