import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from grids import services

pytestmark = pytest.mark.django_db

BOX = {"type": "Polygon", "coordinates": [[[117.30, 31.85], [117.40, 31.85], [117.40, 31.90], [117.30, 31.90], [117.30, 31.85]]]}
WEST = {"type": "Polygon", "coordinates": [[[117.30, 31.85], [117.35, 31.85], [117.35, 31.90], [117.30, 31.90], [117.30, 31.85]]]}
EAST = {"type": "Polygon", "coordinates": [[[117.35, 31.85], [117.40, 31.85], [117.40, 31.90], [117.35, 31.90], [117.35, 31.85]]]}


def api_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_token_authentication_and_scoped_node_list(world):
    client = api_for(world.user("A/S1/C1:grid_head"))
    response = client.get(reverse("node-list"))
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {world.nodes[p].pk for p in ("A/S1/C1", "A/S1/C1/G1", "A/S1/C1/G2")}


def test_obtain_token_with_password(world, password):
    user = world.user("A/S1/C1/G1:grid_worker")
    response = APIClient().post(reverse("api-token"), {"username": user.username, "password": password})
    assert response.status_code == 200 and response.json()["token"]


def test_roster_marks_gaps(world):
    from grids.models import Assignment

    Assignment.objects.filter(node_id=world.nodes["A/S1/C1/G1"].pk, post__code="grid_head").delete()
    client = api_for(world.user("A/S1/C1:grid_head"))
    rows = client.get(reverse("node-roster", args=[world.nodes["A/S1/C1/G1"].pk])).json()
    by_code = {row["post"]["code"]: row for row in rows}
    assert by_code["grid_head"]["is_gap"] is True
    assert by_code["grid_worker"]["is_gap"] is False
    assert by_code["grid_worker"]["holders"][0]["person"]


def test_locate_only_finds_visible_grids(world):
    for path, shape in (("A/S1", BOX), ("A/S1/C1", WEST), ("A/S1/C2", EAST), ("A/S1/C1/G1", WEST), ("A/S1/C2/G1", EAST)):
        services.update_node(node=world.node(path), boundary=shape)
    client = api_for(world.user("A/S1/C1:grid_head"))
    found = client.get(reverse("node-locate"), {"lon": 117.32, "lat": 31.87})
    assert found.status_code == 200 and found.json()["id"] == world.nodes["A/S1/C1/G1"].pk
    # The point in the sibling community's grid is not revealed to this officer.
    assert client.get(reverse("node-locate"), {"lon": 117.38, "lat": 31.87}).status_code == 404
    admin = api_for(world.user("A:admin"))
    assert admin.get(reverse("node-locate"), {"lon": 117.38, "lat": 31.87}).json()["id"] == world.nodes["A/S1/C2/G1"].pk
    bad = client.get(reverse("node-locate"), {"lon": "east", "lat": 31.87})
    assert bad.status_code == 400 and "lon" in bad.json()


def test_node_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = api_for(world.user("A:admin"))
    with django_assert_max_num_queries(6):
        client.get(reverse("node-list"))
    for i in range(20):
        services.create_node(parent=world.node("A/S1/C1"), subkind="resident", name=f"加密网格{i}")
    with django_assert_max_num_queries(6):
        client.get(reverse("node-list"))


def test_openapi_schema_is_served(world, client_for):
    response = client_for("A:admin").get(reverse("api-schema"))
    assert response.status_code == 200
    assert b"/api/v1/nodes/" in response.content
