"""The city level: the roll-up of a city's districts, each district's dashboard read-only (counts only), nothing of
another city, the districts' records answering 404 as a missing id, bounded queries, the cache, the sheet."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from cities.models import City, CityAssignment, CityDistrict
from dashboards.filters import DashboardFilters
from dashboards.page import build_page
from events import rollups
from grids import services as grid_services
from tests.cities.world import city_world
from tests.dashboards.test_pages import _card, _data
from tests.scope_cases import listed
from tests.test_scope import CASES, _kwargs, _request

pytestmark = pytest.mark.django_db

DISTRICT_ROUTES = sorted(n for n, c in CASES.items() if c["kind"] in ("object", "list") and not n.startswith("cities:"))


def _district_page(world, key):
    return build_page(actor=world.user(f"{key}:admin"), node=world.node(key), filters=DashboardFilters.default())


def test_the_rollup_shows_each_district_as_its_own_dashboard_does(board, hefei, client_for):
    world = board.world
    response = client_for("hefei:officer").get(reverse("cities:city", args=[hefei.pk]))
    assert response.status_code == 200
    children = {row["name"]: row for row in _data(response)["children"]}
    assert set(children) == {"甲区", "乙区"}
    totals = {}
    for key, name in (("A", "甲区"), ("B", "乙区")):
        own = _district_page(world, key).panels["events.kpis"]["totals"]
        totals[key] = own
        for kpi in ("events", "closed", "closure_rate", "overdue", "on_time_rate", "rework_rate", "extension_rate"):
            assert children[name][kpi] == own[kpi], (name, kpi)
        assert children[name]["url"].startswith(reverse("cities:node", args=[world.nodes[key].pk]))
    # The board filed 8 events in A (7 in A/S1/C1, one in its sibling) and 1 in B: the city adds them up.
    assert (totals["A"]["events"], totals["B"]["events"]) == (8, 1)
    assert _card(response, "events") == "9"
    assert len(_data(response)["geo"]["features"]) == 2 or all(
        world.node(k).boundary is None for k in ("A", "B")
    )


def test_a_district_dashboard_is_read_only_and_shows_counts_only(board, hefei, client_for):
    world = board.world
    client = client_for("hefei:officer")
    response = client.get(reverse("cities:node", args=[world.nodes["A"].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert _card(response, "events") == str(_district_page(world, "A").panels["events.kpis"]["totals"]["events"])
    assert 'data-testid="read-only"' in body and 'data-testid="crumb-above"' in body
    assert 'data-testid="overdue-list"' not in body  # the overdue list names events
    assert "export.xlsx" not in body and "/screen/" not in body
    for event in board.events.values():
        assert event.reference not in body and event.title not in body
    # The ranking drills further down, still read-only: a street of the district.
    street = _data(response)["children"][0]
    assert street["url"].startswith("/cities/nodes/")
    assert client.get(street["url"]).status_code == 200


@pytest.mark.parametrize("name", DISTRICT_ROUTES)
def test_every_record_of_a_district_is_404_to_a_city_officer(name, world, hefei, client_for):
    """The scope walk's every record route and list (tests/test_scope.py), asked by the city officer about records of
    their own city's districts (events, people, rosters, registry rows, exports): each record answers 404, exactly
    as a missing id; no list holds one."""
    case = CASES[name]
    objects = case["objects"](world)
    client = client_for("hefei:officer")
    if case["kind"] == "object":
        for which in ("inside", "sibling", "foreign"):
            if objects.get(which) is not None:
                response = _request(client, case, reverse(name, kwargs=_kwargs(case, objects[which])))
                assert response.status_code == 404, f"{name} ({which}): {response.status_code}"
        return
    response = client.get(reverse(name, kwargs=case.get("kwargs", lambda w: {})(world)), case.get("query", {}))
    assert response.status_code < 500
    body = listed(case["marker"], response)
    for which in ("inside", "sibling", "foreign"):
        if objects.get(which) is not None:
            assert case["marker"](objects[which]) not in body, f"{name}: the {which} record is listed"


def test_another_city_sees_nothing_of_this_one(world, client_for):
    made = city_world(world)
    other = client_for("Y:city_officer")
    assert other.get(reverse("cities:city", args=[made["X"].pk])).status_code == 404
    assert other.get(reverse("cities:node", args=[world.nodes["A"].pk])).status_code == 404
    assert other.get(reverse("cities:node", args=[world.nodes["A/S1/C1/G1"].pk])).status_code == 404
    assert other.get(reverse("cities:export", args=[made["X"].pk])).status_code == 404
    own = other.get(reverse("cities:city", args=[made["Y"].pk]))
    assert own.status_code == 200
    assert {row["name"] for row in _data(own)["children"]} == {"乙区"}
    # A district's own officers are not city officers: the city's pages are 404 to them.
    assert client_for("A:admin").get(reverse("cities:city", args=[made["X"].pk])).status_code == 404
    assert client_for("A:admin").get(reverse("cities:node", args=[world.nodes["A"].pk])).status_code == 404


def test_a_post_that_ended_reads_nothing(world, client_for):
    made = city_world(world)
    CityAssignment.objects.filter(user=world.users["X:city_officer"]).update(
        start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 2, 1)
    )
    assert client_for("X:city_officer").get(reverse("cities:city", args=[made["X"].pk])).status_code == 404


def test_a_city_officer_has_no_district_account(world):
    city = City.objects.create(name="合肥", code="340100")
    post = CityAssignment(city=city, user=world.user("A:admin"), title="主任", start_date=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError):
        post.full_clean()


def _more_districts(city, n):
    for i in range(n):
        tenant = grid_services.create_tenant(name=f"加区{i}", code=f"3401{90 + i}")
        CityDistrict.objects.create(city=city, tenant=tenant)


def test_the_rollup_queries_do_not_grow_with_the_districts(board, hefei, client_for, settings,
                                                           django_assert_max_num_queries):
    settings.DASHBOARD_CACHE_SECONDS = 0  # computed every time
    client = client_for("hefei:officer")
    url = reverse("cities:city", args=[hefei.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(20) as two:
        assert client.get(url, {"period": "week"}).status_code == 200
    _more_districts(hefei, 3)
    with django_assert_max_num_queries(20) as five:
        response = client.get(url, {"period": "week"})
    assert len(_data(response)["children"]) == 5
    assert len(five.captured_queries) == len(two.captured_queries)


def test_the_rollup_is_cached_until_a_district_changes(board, hefei, client_for, django_assert_max_num_queries):
    client = client_for("hefei:officer")
    url = reverse("cities:city", args=[hefei.pk])
    computed = client.get(url)
    with django_assert_max_num_queries(20) as cached:
        again = client.get(url)
    assert _card(again, "events") == _card(computed, "events") == "9"
    assert not [q for q in cached.captured_queries if "events_eventrollup" in q["sql"]]
    board.report("late", "B/S1/C1/G1")  # a write under one district retires the city's page
    assert _card(client.get(url), "events") == "10"


def test_the_rollup_sheet(board, hefei, client_for):
    response = client_for("hefei:officer").get(reverse("cities:export", args=[hefei.pk]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    names = [row[1] for row in values]
    assert "甲区" in names and "乙区" in names
    assert client_for("hefei:officer").get(
        reverse("cities:export", args=[hefei.pk]), {"from": "not-a-date"}
    ).status_code == 400


def test_rollup_and_rebuilt_rollups_agree(board, hefei, client_for):
    """The city reads the same rollup rows a rebuild writes (events.rollups): rebuilt, the page shows the same."""
    client = client_for("hefei:officer")
    url = reverse("cities:city", args=[hefei.pk])
    before = _data(client.get(url))["children"]
    rollups.rebuild()
    assert _data(client.get(url))["children"] == before


def test_the_menu_and_the_workbench_lead_to_the_city(world, client_for):
    made = city_world(world)
    home = client_for("X:city_officer").get(reverse("home"))
    assert home.status_code == 200
    body = home.content.decode()
    assert reverse("cities:city", args=[made["X"].pk]) in body
    assert 'data-testid="home-city"' in body
    assert reverse("cities:city", args=[made["X"].pk]) not in client_for("A:admin").get(reverse("home")).content.decode()
