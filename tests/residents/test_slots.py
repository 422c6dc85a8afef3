"""The slots of a confirmed resident's home that the residents app fills from points and parties (to its left):
her household's passbook (我的积分) and her community's coming activities with sign-up (活动报名)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from parties import services as parties
from parties.models import SignUp
from points.services import ledger
from tests.points.factories import grant, household

from .helpers import signed_in_resident

pytestmark = pytest.mark.django_db


def _activity(world, community="A/S1/C1", capacity=1, title="太极拳教学"):
    centre = parties.open_centre(node=world.node(community), level="community", name=f"{community}党群服务中心",
                                 place="某路1号", hours="8:30-17:30", sections=[("culture", "")])
    starts = timezone.now() + dt.timedelta(days=3)  # from the clock the pages read
    return parties.plan_activity(centre=centre, section="culture", title=title, starts_at=starts,
                                 ends_at=starts + dt.timedelta(hours=2), place="活动室", capacity=capacity,
                                 organiser=world.user(f"{community}:grid_head"))


def test_the_slots_show_for_a_confirmed_resident_only(world):
    client, _account = signed_in_resident(world, phone="13800002221")
    body = client.get(reverse("residents:home")).content.decode()
    assert reverse("residents:passbook") not in body
    assert client.get(reverse("residents:passbook")).status_code == 404
    assert client.get(reverse("residents:activities")).status_code == 404
    confirmed, _account = signed_in_resident(world, phone="13800002222", confirm=True)
    body = confirmed.get(reverse("residents:home")).content.decode()
    assert reverse("residents:passbook") in body and reverse("residents:activities") in body


def test_her_households_passbook_with_its_entries(world):
    home = household(world)
    book = ledger.passbook_for_household(household=home)
    grant(world, book, 30, "civilised-2025")
    other = ledger.passbook_for_household(household=household(world, number="102", head_name="李明"))
    grant(world, other, 99, "other-household")
    client, account = signed_in_resident(world, phone="13800002223", confirm=False)
    from residents import services

    services.confirm_account(actor=world.user("A/S1/C1:grid_head"), account_id=account.pk, household_id=home.pk)
    body = client.get(reverse("residents:passbook")).content.decode()
    assert book.number in body and "+30" in body
    assert other.number not in body and "99" not in body


def test_she_signs_up_for_her_communitys_activity_never_beyond_its_places(world):
    mine = _activity(world)
    elsewhere = _activity(world, community="A/S1/C2", title="书法班")
    client, account = signed_in_resident(world, phone="13800002224", confirm=True)
    body = client.get(reverse("residents:activities")).content.decode()
    assert "太极拳教学" in body and "书法班" not in body
    assert client.post(reverse("residents:activities"), {"activity": elsewhere.pk}).status_code == 404
    assert client.post(reverse("residents:activities"), {"activity": "x"}).status_code == 404
    response = client.post(reverse("residents:activities"), {"activity": mine.pk}, follow=True)
    assert 'data-testid="signed-up"' in response.content.decode()
    assert SignUp.objects.filter(activity=mine, user=account.user).count() == 1
    again = client.post(reverse("residents:activities"), {"activity": mine.pk}, follow=True)  # a double tap
    assert again.status_code == 200 and SignUp.objects.filter(activity=mine).count() == 1
    second, _other = signed_in_resident(world, phone="13800002225", confirm=True)
    full = second.post(reverse("residents:activities"), {"activity": mine.pk}, follow=True)
    assert full.status_code == 200 and SignUp.objects.filter(activity=mine).count() == 1
    mine.refresh_from_db()
    assert mine.signed_up == 1
