"""Residents' seats of the co-governance committees (parties) approve service records as resident representatives,
for the volunteers of their committee's grid, while their term runs — as the 居民代表 post does for its subtree."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from parties import services as parties
from points import representatives, selectors
from points.services import earning, ledger
from tests.world import make_user
from yaohai.core.errors import NotAllowed, NotFound

from .factories import person, service_type, staff

pytestmark = pytest.mark.django_db
SERVED = timezone.make_aware(dt.datetime(2025, 4, 1, 9))
TODAY = timezone.localdate()


@pytest.fixture
def setup(world):
    grid = world.node("A/S1/C1/G1")
    return {
        "kind": service_type(world, points=10),
        "steward": person(world, name="张玉梅"),
        "registrar": staff(world, "registrar"),
        "officer": world.user("A/S1/C1:grid_head"),
        "committee": parties.set_up_committee(grid=grid, name="网格1共治委员会"),
        "other": parties.set_up_committee(grid=world.node("A/S1/C1/G2"), name="网格2共治委员会"),
    }


def _record(s):
    return earning.register_service(actor=s["registrar"], person=s["steward"], service_type=s["kind"],
                                    started_at=SERVED, minutes=60, key=uuid.uuid4().hex)


def _seat(committee, seat, *, user=None, resident=None, start=None, end=None):
    return parties.seat_member(committee=committee, seat=seat, user=user, resident=resident,
                               term_start=start or TODAY - dt.timedelta(days=30), term_end=end)


def test_an_owner_on_the_grids_committee_approves_as_the_representative(world, setup):
    s = setup
    owner = make_user("owner_seat", world.tenants["A"])
    _seat(s["committee"], "owner", user=owner)
    record = _record(s)
    assert list(earning.queue(owner)) == [record]
    record = earning.approve(actor=owner, record=record)
    assert record.status == "representative_approved" and record.representative == owner
    record = earning.approve(actor=s["officer"], record=record)
    assert record.status == "credited" and record.points == 10


def test_a_seat_elsewhere_ended_or_not_the_residents_approves_nothing(world, setup):
    s = setup
    record = _record(s)
    elsewhere = make_user("seat_g2", world.tenants["A"])
    _seat(s["other"], "building_head", user=elsewhere)
    ended = make_user("seat_ended", world.tenants["A"])
    _seat(s["committee"], "owner", user=ended, start=TODAY - dt.timedelta(days=400), end=TODAY - dt.timedelta(days=1))
    property_seat = make_user("seat_property", world.tenants["A"])
    _seat(s["committee"], "property", user=property_seat)
    for user in (elsewhere, ended, property_seat):
        assert not representatives.is_representative(user) or user == elsewhere
        assert list(earning.queue(user)) == []
        assert not selectors.service_records(actor=user).filter(pk=record.pk).exists()
        with pytest.raises((NotFound, NotAllowed)):
            earning.approve(actor=user, record=record)
    record.refresh_from_db()
    assert record.status == "submitted" and record.representative is None


def test_a_registry_person_on_the_committee_approves_through_her_linked_sign_in(world, setup):
    s = setup
    neighbour = person(world, name="何德胜")
    user = make_user("hedesheng", world.tenants["A"])
    ledger.link_holder(account=ledger.passbook_for_person(person=neighbour), user=user)
    _seat(s["committee"], "owners_committee", resident=neighbour)
    record = earning.approve(actor=user, record=_record(s))
    assert record.status == "representative_approved" and record.representative == user


def test_the_representative_post_still_approves_without_a_seat(world, setup):
    s = setup
    record = earning.approve(actor=staff(world, "resident_representative"), record=_record(s))
    assert record.status == "representative_approved"
