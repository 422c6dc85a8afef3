"""The points API: bad input is a clear 400/409 in the user's language and changes nothing; retries pay once."""

import pytest
from django.urls import reverse
from django.utils import timezone

from points.models import Redemption, ServiceRecord
from points.services import earning, ledger

from .factories import grant, passbook, person, reward, service_type, staff

pytestmark = pytest.mark.django_db
WORKER = "A/S1/C1/G1:grid_worker"
HEAD = "A/S1/C1:grid_head"


def test_redeem_through_the_api(world, client_for):
    book = passbook(world)
    grant(world, book, 50, "seed")
    ledger.link_holder(account=book, user=world.user(WORKER))
    item = reward(world, price=20, stock=1)
    client = client_for(WORKER)
    url = reverse("points-account-redeem", args=[book.pk])
    for bad in ({"reward": item.pk, "key": "k", "quantity": -1}, {"reward": item.pk, "key": "k", "quantity": 1.5},
                {"reward": item.pk, "key": "k", "quantity": "x"}, {"reward": 999999, "key": "k"}, {"key": "k"}):
        assert client.post(url, bad, content_type="application/json").status_code == 400, bad
    first = client.post(url, {"reward": item.pk, "key": "k1"}, content_type="application/json")
    again = client.post(url, {"reward": item.pk, "key": "k1"}, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    sold_out = client.post(url, {"reward": item.pk, "key": "k2"}, content_type="application/json")
    assert sold_out.status_code == 409 and "剩" in sold_out.json()["detail"]
    assert Redemption.objects.count() == 1
    entries = client.get(reverse("points-account-entries", args=[book.pk])).json()
    assert [e["amount"] for e in entries["results"]] == [-20, 50]
    assert client.get(reverse("points-account-entries", args=[book.pk]), {"before": "x"}).status_code == 400


def test_approve_twice_through_the_api_is_a_conflict(world, client_for):
    kind = service_type(world)
    record = earning.register_service(actor=staff(world, "registrar"), person=person(world), service_type=kind,
                                      started_at=timezone.now().replace(year=2025, month=3, day=1),
                                      minutes=60, key="approve-twice")
    client = client_for(HEAD)
    url = reverse("points-service-record-approve", args=[record.pk])
    assert client.post(url).status_code == 200
    second = client.post(url)
    assert second.status_code == 409 and second.json()["detail"]
    assert ServiceRecord.objects.get().status == "community_approved"
    assert client.post(reverse("points-service-record-reject", args=[record.pk]), {}).status_code == 400
