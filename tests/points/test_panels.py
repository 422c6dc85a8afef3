"""The points panel of a node's page and its sheets: issued and spent per community, the most active volunteers and
households — through the viewer's scope, over the page's range, in a fixed number of queries."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dashboards.filters import DashboardFilters
from dashboards.registry import PanelRequest
from points import panels
from points.services import ledger
from tests.points.scope_cases import points_world

from .factories import grant, household, passbook

pytestmark = pytest.mark.django_db
VIEWER = "A/S1/C1:grid_head"


def _range():
    today = timezone.localdate()
    return {"from": (today - dt.timedelta(days=7)).isoformat(), "to": today.isoformat()}


@pytest.fixture
def ledgered(world):
    found = points_world(world)  # 100 granted and 10 spent in each of A/S1/C1, A/S1/C2 and B/S1/C1
    book = passbook(world, name="王桂芳")
    grant(world, book, 300, "top-volunteer")
    home = ledger.passbook_for_household(household=household(world))
    grant(world, home, 40, "household")
    return found


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), response.content[:300]
    return [[c.value for c in row] for row in load_workbook(BytesIO(response.content)).active.iter_rows()]


def test_the_panel_counts_the_viewers_community_only(world, ledgered, client_for):
    community = world.node("A/S1/C1")
    response = client_for(VIEWER).get(reverse("dashboards:node", args=[community.pk]), _range())
    body = response.content.decode()
    assert 'data-testid="points-overview"' in body
    drawn = body.split('data-testid="points-overview"', 1)[1].split("</section>", 1)[0]
    assert '<div class="fs-4">440</div>' in drawn and '<div class="fs-4">10</div>' in drawn  # issued, spent
    assert "王桂芳" in drawn
    request = PanelRequest(actor=world.user(VIEWER), node=community, filters=DashboardFilters.from_query(_range()),
                           now=timezone.now())
    data = panels.build_overview(request)
    assert data["issued"] == 100 + 300 + 40 and data["spent"] == 10
    assert [r["name"] for r in data["volunteers"]] == ["王桂芳", "志愿者inside"]
    assert [(r["earned"], r["times"]) for r in data["households"]] == [(40, 1)]
    assert "志愿者sibling" not in body and "志愿者foreign" not in body


def test_the_district_sees_each_community_and_never_the_other_tenant(world, ledgered):
    district = world.node("A")
    request = PanelRequest(actor=world.user("A:admin"), node=district, filters=DashboardFilters.from_query(_range()),
                           now=timezone.now())
    rows = {r["community"]: (r["issued"], r["spent"]) for r in panels.build_overview(request)["communities"]}
    assert rows == {world.node("A/S1/C1").name: (440, 10), world.node("A/S1/C2").name: (100, 10)}


def test_the_panel_costs_the_same_queries_with_more_entries(world, ledgered):
    community = world.node("A/S1/C1")

    def build():
        return panels.build_overview(PanelRequest(actor=world.user(VIEWER), node=community,
                                                  filters=DashboardFilters.from_query(_range()), now=timezone.now()))

    with CaptureQueriesContext(connection) as before:
        build()
    for n in range(5):
        grant(world, passbook(world, name=f"志愿者{n}"), 5 + n, f"more-{n}")
    with CaptureQueriesContext(connection) as after:
        assert len(build()["volunteers"]) == 7
    assert len(after.captured_queries) == len(before.captured_queries) <= 6  # scope (2), three aggregates, names


@pytest.mark.parametrize("table, header", [("points_communities", "社区"), ("points_volunteers", "存折编号"),
                                           ("points_households", "存折编号")])
def test_the_sheets_hold_the_panels_rows(world, ledgered, client_for, table, header):
    community = world.node("A/S1/C1")
    response = client_for(VIEWER).get(reverse("dashboards:export", args=[community.pk]), {"table": table, **_range()})
    rows = _sheet(response)
    assert header in rows[1]
    values = [r[1:] for r in rows[2:]]
    if table == "points_communities":
        assert values == [[community.name, 440, 10]]
    elif table == "points_volunteers":
        assert [(r[1], r[3]) for r in values] == [("王桂芳", 300), ("志愿者inside", 100)]
    else:
        assert [r[3] for r in values] == [40]


def test_a_sheet_with_an_unreadable_date_is_refused(world, ledgered, client_for):
    community = world.node("A/S1/C1")
    response = client_for(VIEWER).get(reverse("dashboards:export", args=[community.pk]),
                                      {"table": "points_volunteers", "from": "2025-13-40"})
    assert response.status_code == 400
