"""The registry API: the same scope and services as the pages; personal data masked, revealed by a named POST."""

import json

from django.urls import reverse

from registry.models import AccessRecord, HouseholdChange, Resident
from tests.registry.factories import house, make_id, resident

GRID = "A/S1/C1/G1"
HEAD = "A/S1/C1:grid_head"


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_list_detail_and_reveal(world, client_for):
    grid = world.node(GRID)
    number = make_id()
    person = resident(grid, name="吴建国", id_number=number, phone="13905518230")
    client = client_for(HEAD)
    listed = client.get(reverse("registry-resident-list")).json()["results"]
    assert [r["name"] for r in listed] == ["吴建国"]
    assert "id_number_masked" not in listed[0] and "phone_masked" not in listed[0]
    detail = client.get(reverse("registry-resident-detail", args=[person.pk])).json()
    assert detail["id_number_masked"] == number[:6] + "********" + number[-4:]
    assert number not in json.dumps(detail)
    shown = post(client, reverse("registry-resident-reveal", args=[person.pk]), {"field": "phone", "reason": "联系"})
    assert shown.json() == {"field": "phone", "value": "13905518230"}
    assert AccessRecord.objects.filter(resident=person, kind="reveal").count() == 1
    worker = client_for(f"{GRID}:grid_worker")
    refused = post(worker, reverse("registry-resident-reveal", args=[person.pk]), {"field": "phone", "reason": "想看"})
    assert refused.status_code == 403


def test_lookup_and_register_are_scoped(world, client_for):
    grid = world.node(GRID)
    number = make_id()
    resident(grid, name="郑秀英", id_number=number)
    found = post(client_for(HEAD), reverse("registry-resident-lookup"), {"id_number": number}).json()
    assert [r["name"] for r in found] == ["郑秀英"]
    assert post(client_for("A/S1/C2:grid_head"), reverse("registry-resident-lookup"), {"id_number": number}).json() == []
    # Registering into a house of another community reads as an unknown house.
    elsewhere = house(world.node("A/S1/C2/G1"))
    answer = post(client_for(HEAD), reverse("registry-resident-register"),
                  {"house": elsewhere.pk, "name": "外人", "id_number": make_id()})
    assert answer.status_code == 400 and "house" in answer.json()
    duplicate = post(client_for(f"{GRID}:grid_worker"), reverse("registry-resident-register"),
                     {"node": grid.pk, "name": "重复", "id_number": number})
    assert duplicate.status_code == 400 and "id_number" in duplicate.json()
    bad = post(client_for(f"{GRID}:grid_worker"), reverse("registry-resident-register"),
               {"node": grid.pk, "name": "错号", "id_number": number[:-1] + ("1" if number[-1] == "0" else "0")})
    assert bad.status_code == 400 and "id_number" in bad.json()
    made = post(client_for(f"{GRID}:grid_worker"), reverse("registry-resident-register"),
                {"node": grid.pk, "name": "新人", "id_number": make_id(), "phone": "13700001234"})
    assert made.status_code == 201 and made.json()["phone_masked"] == "137****1234"


def test_household_moves_through_the_api(world, client_for):
    grid = world.node(GRID)
    home = house(grid)
    head, child = resident(grid, name="户主"), resident(grid, name="子女")
    client = client_for(f"{GRID}:grid_worker")
    formed = post(client, reverse("registry-household-form"), {"house": home.pk, "head": head.pk, "on_date": "2026-02-01"})
    assert formed.status_code == 201, formed.content
    pk = formed.json()["id"]
    moved = post(client, reverse("registry-household-move-in", args=[pk]),
                 {"resident": child.pk, "relation": "child", "on_date": "2026-02-02"})
    assert moved.status_code == 200 and len(moved.json()["members"]) == 2
    out = post(client, reverse("registry-household-move-out", args=[pk]), {"resident": child.pk, "on_date": "2026-03-01"})
    assert [m["left_on"] for m in out.json()["members"]] == [None, "2026-03-01"]
    assert Resident.objects.get(pk=child.pk).status == "moved_out"
    assert HouseholdChange.objects.filter(household_id=pk).count() == 4


def test_api_list_query_budget(world, client_for, django_assert_max_num_queries):
    grid = world.node(GRID)
    for i in range(10):
        resident(grid, name=f"居民{i}")
    client = client_for(HEAD)
    client.get(reverse("registry-resident-list"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("registry-resident-list")).status_code == 200
