"""The API: same scope and services as the pages; an illegal step is a 409 with the message."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Event

from .conftest import GRID, HEAD, WORKER
from .images import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_file_and_walk_the_whole_workflow(ev, client_for):
    worker, head, unit = client_for(WORKER), client_for(HEAD), client_for("unit")
    category = ev.category()
    payload = {"node": ev.world.nodes[GRID].pk, "category": category.pk, "title": "路灯不亮", "idempotency_key": "api-1",
               "photos": [SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")]}
    created = worker.post(reverse("event-list"), payload)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    payload["photos"] = [SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")]
    assert worker.post(reverse("event-list"), payload).json()["id"] == pk  # idempotent
    assert Event.objects.count() == 1

    refused = head.post(reverse("event-sign", args=[pk]), {}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["detail"]
    assert worker.post(reverse("event-accept", args=[pk]), {}, content_type="application/json").status_code == 403
    steps = [
        (head, "event-accept", {}),
        (head, "event-dispatch", {"unit": ev.unit.pk}),
        (unit, "event-sign", {}),
        (unit, "event-handle", {"note": "已修复"}),
        (worker, "event-verify", {"passed": True, "close_reason": "fixed"}),
    ]
    for client, name, data in steps:
        response = client.post(reverse(name, args=[pk]), data, content_type="application/json")
        assert response.status_code == 200, (name, response.content)
    body = worker.get(reverse("event-detail", args=[pk])).json()
    assert body["status"] == "closed"
    assert [log["action"] for log in body["logs"]] == ["report", "accept", "dispatch", "sign", "handle", "verify_pass"]
    assert body["allowed_transitions"] == ["reopen"]


def test_validation_errors_are_400_and_change_nothing(ev, client_for):
    event = ev.event_in("accepted")
    head = client_for(HEAD)
    response = head.post(reverse("event-dispatch", args=[event.pk]), {"unit": ev.foreign_unit.pk},
                         content_type="application/json")
    assert response.status_code == 400 and "unit" in response.json()
    response = head.post(reverse("event-reject", args=[event.pk]), {"reason": "duplicate", "duplicate_of": 10**6},
                         content_type="application/json")
    assert response.status_code == 400
    assert Event.objects.get(pk=event.pk).status == "accepted"


def test_api_is_404_outside_the_subtree(ev, client_for):
    event = ev.event_in("reported")
    for outsider in ("A/S1/C2:grid_head", "B/S1/C1:grid_head"):
        client = client_for(outsider)
        assert client.get(reverse("event-detail", args=[event.pk])).status_code == 404
        assert client.post(reverse("event-accept", args=[event.pk])).status_code == 404
        assert f'"id":{event.pk},' not in client.get(reverse("event-list")).content.decode()
    assert Event.objects.get(pk=event.pk).status == "reported"


def test_upload_through_api_refuses_non_images(ev, client_for):
    payload = {"node": ev.world.nodes[GRID].pk, "category": ev.category().pk, "title": "x",
               "photos": [SimpleUploadedFile("p.jpg", b"not an image", content_type="image/jpeg")]}
    response = client_for(WORKER).post(reverse("event-list"), payload)
    assert response.status_code == 400 and not Event.objects.exists()


def test_resident_contact_is_hidden_from_those_who_do_not_need_it(ev, client_for):
    event = ev.report(source="hotline", resident_name="王女士", resident_phone="13800000000")
    assert client_for(HEAD).get(reverse("event-detail", args=[event.pk])).json()["resident_phone"] == "138****0000"
    police = client_for("A/S1/C1/G1:police").get(reverse("event-detail", args=[event.pk]))
    assert police.status_code == 200 and police.json()["resident_phone"] == ""


def test_schema_builds(client_for, world):
    response = client_for(HEAD).get(reverse("api-schema"))
    assert response.status_code == 200
    assert b"/api/v1/events/{id}/dispatch/" in response.content


def test_the_grid_comes_from_the_point_else_the_choice_else_the_own_grid(ev, client_for):
    from grids import services as grid_services

    left = {"type": "Polygon", "coordinates": [[[117.30, 31.85], [117.31, 31.85], [117.31, 31.86], [117.30, 31.86], [117.30, 31.85]]]}
    right = {"type": "Polygon", "coordinates": [[[117.32, 31.85], [117.33, 31.85], [117.33, 31.86], [117.32, 31.86], [117.32, 31.85]]]}
    g1 = grid_services.update_node(node=ev.world.node("A/S1/C1/G1"), boundary=left)
    g2 = grid_services.update_node(node=ev.world.node("A/S1/C1/G2"), boundary=right)
    base = {"category": ev.category().pk, "title": "定位"}
    head = client_for(HEAD)
    by_point = head.post(reverse("event-list"), {**base, "node": g1.pk, "lon": 117.325, "lat": 31.855},
                         content_type="application/json")
    assert by_point.status_code == 201 and by_point.json()["node"] == g2.pk
    by_choice = head.post(reverse("event-list"), {**base, "node": g1.pk, "lon": 117.5, "lat": 31.5},
                          content_type="application/json")
    assert by_choice.json()["node"] == g1.pk
    assert head.post(reverse("event-list"), base, content_type="application/json").status_code == 400
    own = client_for(WORKER).post(reverse("event-list"), base, content_type="application/json")
    assert own.status_code == 201 and own.json()["node"] == g1.pk
    # A point in a grid the worker may not file in does not move the event there.
    outside = client_for(WORKER).post(reverse("event-list"), {**base, "lon": 117.325, "lat": 31.855},
                                      content_type="application/json")
    assert outside.json()["node"] == g1.pk


def test_filters_take_only_ids_in_scope(ev, client_for):
    mine = ev.event_in("reported")
    head = client_for(HEAD)
    listed = head.get(reverse("event-list"), {"node": ev.world.nodes[GRID].pk}).json()["results"]
    assert [row["id"] for row in listed] == [mine.pk]
    foreign = head.get(reverse("event-list"), {"node": ev.world.nodes["B/S1/C1/G1"].pk})
    assert foreign.status_code == 400
    assert head.get(reverse("event-list"), {"category": ev.category("B").pk}).status_code == 400


@pytest.mark.parametrize("on_spot", [False, True])
def test_the_201_body_equals_a_fresh_read(ev, on_spot):
    """Filing answers from the service's instance; it must say exactly what a GET of the event says."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(ev.user(WORKER))
    data = {
        "node": ev.world.nodes[GRID].pk, "category": ev.category().pk, "title": "井盖缺失", "urgency": 2,
        "idempotency_key": f"same-{on_spot}", "handled_on_spot": on_spot,
        "photos": [SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")],
    }
    if on_spot:
        data["after_photos"] = [SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")]
    created = client.post(reverse("event-list"), data, format="multipart")
    assert created.status_code == 201, created.content
    fresh = client.get(reverse("event-detail", args=[created.json()["id"]]))
    assert created.json() == fresh.json()
