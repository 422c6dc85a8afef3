"""The registry's pages: masked by default, revealed by POST with a reason (recorded), lists without personal data."""

from django.urls import reverse

from registry.models import AccessRecord
from tests.registry.factories import house, make_id, resident

GRID = "A/S1/C1/G1"
HEAD = "A/S1/C1:grid_head"


def _person(world, **extra):
    grid = world.node(GRID)
    number = make_id()
    return resident(grid, name="周桂兰", id_number=number, phone="13905518230", house=house(grid), **extra), number


def test_detail_is_masked_and_the_list_carries_no_personal_data(world, client_for):
    person, number = _person(world)
    client = client_for(HEAD)
    body = client.get(reverse("registry:resident", args=[person.pk])).content.decode()
    assert person.id_number_masked in body and "139****8230" in body
    assert number not in body and "13905518230" not in body
    listed = client.get(reverse("registry:residents"), {"q": "桂兰"}).content.decode()
    assert "周桂兰" in listed
    assert person.id_number_masked not in listed and "8230" not in listed


def test_reveal_by_post_with_a_reason_is_recorded(world, client_for):
    person, number = _person(world)
    client = client_for(HEAD)
    url = reverse("registry:resident-reveal", args=[person.pk])
    refused = client.post(url, {"field": "id_number", "reason": ""})
    assert refused.status_code == 400 and number not in refused.content.decode()
    assert not AccessRecord.objects.exists()
    shown = client.post(url, {"field": "id_number", "reason": "核实低保申请"})
    assert shown.status_code == 200 and number in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert AccessRecord.objects.get().reason == "核实低保申请"


def test_a_grid_worker_sees_masked_data_and_may_not_reveal(world, client_for):
    person, number = _person(world)
    client = client_for(f"{GRID}:grid_worker")
    page = client.get(reverse("registry:resident", args=[person.pk])).content.decode()
    assert person.id_number_masked in page and 'name="reason"' not in page
    refused = client.post(reverse("registry:resident-reveal", args=[person.pk]), {"field": "phone", "reason": "想看"})
    assert refused.status_code == 403 and "13905518230" not in refused.content.decode()
    assert not AccessRecord.objects.exists()


def test_lookup_is_scoped(world, client_for):
    person, number = _person(world)
    mine = client_for(HEAD).post(reverse("registry:lookup"), {"id_number": number})
    assert "周桂兰" in mine.content.decode()
    theirs = client_for("A/S1/C2:grid_head").post(reverse("registry:lookup"), {"id_number": number})
    assert theirs.status_code == 200 and "周桂兰" not in theirs.content.decode()
    assert AccessRecord.objects.filter(kind="lookup").count() == 1


def test_access_log_is_for_auditors(world, client_for):
    person, _number = _person(world)
    client_for(HEAD).post(reverse("registry:resident-reveal", args=[person.pk]), {"field": "phone", "reason": "回访电话"})
    assert "回访电话" in client_for(HEAD).get(reverse("registry:access")).content.decode()
    assert "回访电话" in client_for("A:admin").get(reverse("registry:access")).content.decode()
    assert "回访电话" not in client_for(f"{GRID}:grid_worker").get(reverse("registry:access")).content.decode()


def test_the_grid_workers_phone_page_lists_her_buildings(world, client_for):
    person, _ = _person(world)
    page = client_for(f"{GRID}:grid_worker").get(reverse("registry:my-grid")).content.decode()
    assert person.house.building.number in page


def test_list_query_budget(world, client_for, django_assert_max_num_queries):
    grid = world.node(GRID)
    for i in range(12):
        resident(grid, name=f"居民{i}", house=house(grid, number=f"{100 + i}"))
    client = client_for(HEAD)
    client.get(reverse("registry:residents"))  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get(reverse("registry:residents")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("registry:buildings")).status_code == 200
