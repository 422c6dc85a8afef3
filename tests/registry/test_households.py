"""Households keep their history: moves end memberships and log changes, never overwrite them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from registry import services
from registry.models import CareList, CareListMember, HouseholdChange, HouseholdMember, Resident
from tests.registry.factories import building, house, make_id, resident

GRID = "A/S1/C1/G1"
DAY = dt.date(2026, 3, 1)


def test_moves_are_history(world):
    grid = world.node(GRID)
    first, second = house(grid, number="101"), house(grid, number="102")
    father, mother, son = (resident(grid, name=n) for n in ("李父", "王母", "李子"))
    family = services.form_household(
        actor=None, house=first, head=father, on_date=DAY, members=[(mother, "spouse"), (son, "child")]
    )
    assert Resident.objects.get(pk=son.pk).house == first
    # The son forms his own household next door: he leaves the first as history.
    later = DAY + dt.timedelta(days=40)
    own = services.form_household(actor=None, house=second, head=son, on_date=later)
    rows = HouseholdMember.objects.filter(resident=son).order_by("joined_on")
    assert [(m.household_id, m.relation, m.left_on) for m in rows] == [
        (family.pk, "child", later),
        (own.pk, "head", None),
    ]
    assert Resident.objects.get(pk=son.pk).house == second
    services.move_out(actor=None, household=family, resident=mother, on_date=later, status="deceased")
    kinds = list(HouseholdChange.objects.filter(household=family).values_list("kind", flat=True))
    assert kinds == ["formed", "moved_in", "moved_in", "moved_in", "moved_out", "moved_out"]
    assert Resident.objects.get(pk=mother.pk).status == "deceased"
    with pytest.raises(ValidationError):
        services.move_in(actor=None, household=own, resident=mother, relation="parent", on_date=later)


def test_a_household_has_one_head_and_a_person_one_household(world):
    grid = world.node(GRID)
    home = house(grid)
    a, b = resident(grid, name="甲"), resident(grid, name="乙")
    family = services.form_household(actor=None, house=home, head=a, on_date=DAY)
    with pytest.raises(ValidationError):
        services.move_in(actor=None, household=family, resident=b, relation="head", on_date=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdMember.objects.create(household=family, resident=a, relation="child", joined_on=DAY)


def test_writes_need_the_registry_right_over_the_place(world):
    grid = world.node(GRID)
    worker = world.user(f"{GRID}:grid_worker")
    made = services.save_building(actor=worker, node=grid, number="9", floors=5, units=2)
    assert made.grid_id == grid.pk and made.community_id == world.nodes["A/S1/C1"].pk
    with pytest.raises(PermissionDenied):
        services.save_building(actor=worker, node=world.node("A/S1/C1/G2"), number="9", floors=5, units=2)
    with pytest.raises(PermissionDenied):  # the police see the registry but do not keep it
        services.save_building(actor=world.user(f"{GRID}:police"), node=grid, number="10")


def test_a_building_moved_to_another_grid_takes_its_people_along(world):
    grid, other = world.node(GRID), world.node("A/S1/C1/G2")
    b = building(grid, number="3")
    h = services.save_house(actor=None, building=b, unit="1", floor=2, number="201")
    person = resident(grid, house=h)
    services.form_household(actor=None, house=h, head=person, on_date=DAY)
    elderly = CareList.objects.get(tenant=grid.tenant, code="elderly_alone")
    services.add_to_care_list(actor=None, care_list=elderly, resident=person, since=DAY, reason="独居")
    services.save_building(actor=None, node=other, number="3", floors=6, units=3, building=b)
    assert Resident.objects.get(pk=person.pk).grid_id == other.pk
    assert CareListMember.objects.get(resident=person).grid_id == other.pk


def test_care_list_membership_keeps_its_history(world):
    grid = world.node(GRID)
    person = resident(grid)
    disabled = CareList.objects.get(tenant=grid.tenant, code="disabled")
    member = services.add_to_care_list(actor=None, care_list=disabled, resident=person, since=DAY, reason="肢体二级")
    with pytest.raises(ValidationError):
        services.add_to_care_list(actor=None, care_list=disabled, resident=person, since=DAY)
    services.end_care(actor=None, member=member, until=DAY + dt.timedelta(days=300), reason="康复")
    again = services.add_to_care_list(actor=None, care_list=disabled, resident=person, since=DAY + dt.timedelta(400))
    assert CareListMember.objects.filter(resident=person).count() == 2 and again.until is None


def test_identity_card_fills_and_checks_sex_and_birth_date(world):
    grid = world.node(GRID)
    number = make_id(dt.date(1990, 2, 3), female=True)
    person = services.register_resident(actor=None, node=grid, name="赵女士", id_number=number)
    assert (person.sex, person.birth_date) == ("female", dt.date(1990, 2, 3))
    with pytest.raises(ValidationError) as caught:
        services.register_resident(actor=None, node=grid, name="钱", id_number=make_id(), sex="female")
    assert "sex" in caught.value.message_dict
    bad = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        services.register_resident(actor=None, node=grid, name="孙", id_number=bad)
    reason = str(caught.value.message_dict["id_number"])
    assert "check digit" in reason or "校验码" in reason
    passport = services.register_resident(
        actor=None, node=grid, name="Anna", id_type="passport", id_number="E 1234 5678", sex="female",
        registration="overseas",
    )
    assert passport.id_number_masked.endswith("5678")
