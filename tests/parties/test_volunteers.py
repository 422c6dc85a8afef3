"""Volunteer teams and interest groups with their members and leader; partner units and what they offer."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from parties import services
from parties.models import PartnerUnit, Team, TeamMember
from registry import services as registry_services
from tests.registry import factories as registry
from yaohai.core.errors import NotAllowed, NotFound


def people(world, path, count, start=1):
    return [registry.resident(world.node(path), name=f"志愿者{n}", id_number=registry.make_id(seq=n), phone="")
            for n in range(start, start + count)]


def test_a_team_keeps_its_members_history_and_a_leader_among_them(world):
    stewards = services.form_team(node=world.node("A/S1/C1"), name="小巷管家", kind="stewards", brand="zuolin")
    crew = people(world, "A/S1/C1/G1", 3)
    services.join_team(team=stewards, residents=crew, on_date=dt.date(2025, 3, 1))
    services.join_team(team=stewards, residents=crew[:1], on_date=dt.date(2025, 4, 1))  # already in: unchanged
    assert stewards.memberships.filter(left_on__isnull=True).count() == 3
    services.set_leader(team=stewards, leader=crew[0])
    gone = stewards.memberships.get(resident=crew[2])
    services.leave_team(member=gone, on_date=dt.date(2025, 6, 1))
    with pytest.raises(ValidationError):
        services.set_leader(team=stewards, leader=crew[2])
    assert TeamMember.objects.filter(team=stewards).count() == 3  # the one who left is history, not deleted
    with pytest.raises(NotFound):
        services.join_team(team=stewards, residents=people(world, "B/S1/C1/G1", 1, start=9), on_date=dt.date(2025, 3, 1))


def test_teams_are_scoped_and_kept_by_officers(world):
    services.form_team(node=world.node("A/S1/C1/G1"), name="太极队", kind="interest", actor=world.user("A/S1/C1:grid_head"))
    with pytest.raises(NotAllowed):
        services.form_team(node=world.node("A/S1/C2"), name="越权队", kind="volunteers",
                           actor=world.user("A/S1/C1:grid_head"))
    with pytest.raises(ValidationError):
        services.form_team(node=world.node("A/S1"), name="街道队", kind="volunteers")
    assert Team.objects.visible_to(world.user("A/S1/C1/G1:grid_worker")).count() == 1
    assert Team.objects.visible_to(world.user("A/S1/C1/G2:grid_worker")).count() == 0


def test_a_partner_unit_offers_what_it_offers(world):
    shop = registry_services.save_organisation(actor=None, node=world.node("A/S1/C1/G1"), name="百货超市", kind="enterprise")
    partner = services.enlist_partner(node=world.node("A/S1/C1"), organisation=shop, since=dt.date(2025, 1, 1),
                                      offers=[("rewards", "积分兑换日用品"), ("space", "活动室")])
    assert sorted(partner.offers.values_list("kind", flat=True)) == ["rewards", "space"]
    with pytest.raises(ValidationError):
        services.enlist_partner(node=world.node("A/S1/C1"), organisation=shop, since=dt.date(2025, 2, 1))
    with pytest.raises(ValidationError):
        services.enlist_partner(node=world.node("A/S1/C2"), organisation=shop, since=dt.date(2025, 2, 1),
                                offers=[("cake", "蛋糕")])
    assert PartnerUnit.objects.count() == 1
