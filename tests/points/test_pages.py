"""The points pages: the passbook with its QR codes and keyset history, the statement, the registrar's form, the
approvers' queue, redeeming and the counter's confirmation by QR link; refusals are clear and change nothing."""

import re

import pytest
from django.urls import reverse

from points.models import Entry, Redemption, ServiceRecord
from points.services import ledger

from .factories import grant, passbook, reward, service_type, staff

pytestmark = pytest.mark.django_db
WORKER = "A/S1/C1/G1:grid_worker"
HEAD = "A/S1/C1:grid_head"


@pytest.fixture
def book(world):
    account = passbook(world)
    for i in range(55):
        grant(world, account, 2, f"k{i}")
    return ledger.link_holder(account=account, user=world.user(WORKER))


def test_the_holders_passbook_pages_its_history_by_keyset(world, client_for, book, django_assert_max_num_queries):
    client = client_for(WORKER)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("points:mine"))
    body = page.content.decode()
    assert page.status_code == 200 and book.number in body and ">110 <" in body
    older = re.search(r"\?before=(\d+)", body)
    assert older
    second = client.get(reverse("points:mine"), {"before": older.group(1)}).content.decode()
    assert second.count("+2") == 5 and "?before=" not in second
    assert client.get(reverse("points:mine"), {"before": "abc"}).status_code == 200


def test_redeem_show_the_qr_and_the_counter_confirms_it(world, client_for, book):
    item = reward(world, name="抽纸", price=30, stock=2)
    client = client_for(WORKER)
    page = client.get(reverse("points:mine")).content.decode()
    assert "抽纸" in page
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    for _twice in range(2):  # a double submit pays once
        assert client.post(reverse("points:redeem", args=[book.pk]), {"reward": item.pk, "key": key}).status_code == 302
    assert Redemption.objects.count() == 1
    page = client.get(reverse("points:mine")).content.decode()
    assert "<svg" in page
    redemption = Redemption.objects.get()
    from points.services.spending import qr_token

    url = reverse("points:confirm", args=[qr_token(redemption)])
    assert "Hand over" not in client.get(url).content.decode() and "交付" not in client.get(url).content.decode()
    counter = client_for(HEAD)
    assert counter.post(url).status_code == 200
    redemption.refresh_from_db()
    assert redemption.status == "fulfilled"
    assert counter.post(url).status_code == 409  # handed over twice


def test_redeeming_beyond_the_balance_is_a_clear_refusal(world, client_for, book):
    item = reward(world, name="电饭煲", price=500, stock=1)
    response = client_for(WORKER).post(reverse("points:redeem", args=[book.pk]), {"reward": item.pk, "key": "x"})
    assert response.status_code == 409 and "500" in response.content.decode()
    response = client_for(WORKER).post(reverse("points:redeem", args=[book.pk]), {"reward": item.pk, "key": "y",
                                                                                  "quantity": "1.5"})
    assert response.status_code == 400
    book.refresh_from_db()
    assert book.balance == 110 and not Redemption.objects.exists()


def test_the_statement_prints_on_a4(world, client_for, book):
    body = client_for(HEAD).get(reverse("points:statement", args=[book.pk]),
                                {"from": "2000-01-01", "to": "2099-12-31"}).content.decode()
    assert "size: A4" in body and body.count("+2") == 55 and book.number in body


def test_register_then_approve_twice_from_the_queue(world, client_for):
    kind = service_type(world, points=10)
    from .factories import person

    steward = person(world, name="小巷管家甲")
    registrar = staff(world, "registrar")
    client = client_for(HEAD)
    client.force_login(registrar)
    drawn = client.get(reverse("points:register")).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', drawn).group(1)
    data = {"idempotency_key": key, "person": steward.pk, "service_type": kind.pk, "started_at": "2025-04-01T09:00",
            "minutes": 90}
    response = client.post(reverse("points:register"), data)
    assert response.status_code == 200, response.content.decode()[:500]
    assert key not in response.content.decode()  # the next service gets a fresh form and key
    record = ServiceRecord.objects.get()
    # A double tap: the same form again answers the first record and changes nothing.
    again = client.post(reverse("points:register"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert again.status_code == 200 and "已登记过" in again.content.decode()
    # The same form sent back with other contents: refused on the page, in the user's language.
    other = client.post(reverse("points:register"), {**data, "minutes": 30}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert other.status_code == 409 and "不同" in other.content.decode()
    # A form without its key (drawn elsewhere, or stale): refused, nothing registered.
    stale = client.post(reverse("points:register"), {k: v for k, v in data.items() if k != "idempotency_key"},
                        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert stale.status_code == 400 and "重新" in stale.content.decode()
    assert ServiceRecord.objects.get() == record
    head = client_for(HEAD)
    assert f'id="service-{record.pk}"' in head.get(reverse("points:queue")).content.decode()
    assert head.post(reverse("points:approve", args=[record.pk])).status_code == 302
    assert head.post(reverse("points:approve", args=[record.pk])).status_code == 409
    rep = client_for(HEAD)
    rep.force_login(staff(world, "resident_representative"))
    assert rep.post(reverse("points:approve", args=[record.pk])).status_code == 302
    record.refresh_from_db()
    assert record.status == "credited" and Entry.objects.filter(account=record.account).get().amount == 15


def test_the_menus_points_pages_lead_to_the_civilised_household_evaluations(world, client_for):
    """文明户评选 had no link anywhere: an officer reached it only by typing its address."""
    head = client_for(HEAD)
    link = f'href="{reverse("points:evaluations")}" data-testid="open-evaluations"'
    assert link in head.get(reverse("points:queue")).content.decode()
    registrar = client_for(HEAD)
    registrar.force_login(staff(world, "registrar"))
    form = registrar.get(reverse("points:register")).content.decode()
    assert link in form
    assert '<label class="form-label" for="id_person">' in form
    assert 'name="person" min="1" class="form-control" required id="id_person"' in form
    assert '<select name="service_type" class="form-select"' in form
    assert head.get(reverse("points:evaluations")).status_code == 200
