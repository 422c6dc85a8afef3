"""Members, their history of transfers, home-community registration with hours, central households and coverage."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from parties import selectors, services
from parties.models import Member, Transfer
from tests.parties.factories import party_tree
from tests.registry import factories as registry
from yaohai.core.errors import NotAllowed, NotFound


@pytest.fixture
def tree(world):
    return party_tree(world)


def person(world, path="A/S1/C1/G1", name="李梅", n=1):
    return registry.resident(world.node(path), name=name, id_number=registry.make_id(seq=n), phone="")


def test_a_transfer_keeps_the_history_and_restamps_the_member(world, tree):
    other = services.create_org(parent=tree.c2, subkind="branch", name="社区2第一支部")
    member = services.admit_member(org=tree.branch, resident=person(world), joined_on=dt.date(2020, 7, 1),
                                   status="probationary")
    services.make_formal(member=member, on_date=dt.date(2021, 7, 1))
    services.transfer_member(member=member, to_org=other, on_date=dt.date(2024, 3, 1))
    services.transfer_out(member=member, on_date=dt.date(2025, 5, 1), to_elsewhere="蜀山区某社区党委")
    member.refresh_from_db()
    assert member.org_id == other.pk and member.community_id == world.nodes["A/S1/C2"].pk
    assert member.left_on == dt.date(2025, 5, 1) and member.status == "formal"
    history = list(Transfer.objects.filter(member=member).values_list("kind", "from_org_id", "to_org_id"))
    assert history == [
        ("joined", None, tree.branch.pk),
        ("formal", None, tree.branch.pk),
        ("moved", tree.branch.pk, other.pk),
        ("out", other.pk, None),
    ]
    # The first rows were not rewritten by the later ones.
    first = Transfer.objects.filter(member=member).order_by("id").first()
    assert (first.kind, first.on_date, first.to_org_id) == ("joined", dt.date(2020, 7, 1), tree.branch.pk)
    with pytest.raises(ValidationError):
        services.transfer_member(member=member, to_org=tree.branch, on_date=dt.date(2025, 6, 1))


def test_a_transfer_cannot_go_back_in_time_or_out_of_the_tenant(world, tree):
    member = services.admit_member(org=tree.branch, resident=person(world), joined_on=dt.date(2020, 7, 1))
    services.transfer_member(member=member, to_org=tree.c1, on_date=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError):
        services.transfer_member(member=member, to_org=tree.group, on_date=dt.date(2023, 1, 1))
    with pytest.raises(ValidationError):  # members do not sit in a working committee
        services.transfer_member(member=member, to_org=tree.working, on_date=dt.date(2025, 1, 1))
    assert Transfer.objects.filter(member=member).count() == 2


def test_a_person_is_a_member_once_and_a_member_is_a_person_or_a_user(world, tree):
    someone = person(world)
    services.admit_member(org=tree.branch, resident=someone, joined_on=dt.date(2020, 7, 1))
    with pytest.raises(ValidationError):
        services.admit_member(org=tree.c1, resident=someone, joined_on=dt.date(2020, 7, 1))
    staff = services.admit_member(org=tree.c1, user=world.user("A/S1/C1:grid_head"), joined_on=dt.date(2010, 7, 1),
                                  transferred_from="市直机关党委")
    assert staff.transfers.get().kind == "in"
    with pytest.raises(NotFound):
        services.admit_member(org=tree.c1, resident=person(world, "B/S1/C1/G1", n=9), joined_on=dt.date(2020, 1, 1))
    with pytest.raises(NotAllowed):
        services.admit_member(org=tree.c2, resident=person(world, n=3), joined_on=dt.date(2020, 1, 1),
                              actor=world.user("A/S1/C1:grid_head"))


def test_in_service_members_register_at_home_and_log_hours(world, tree):
    worker = services.admit_member(org=tree.c1, resident=person(world), joined_on=dt.date(2015, 7, 1),
                                   in_service=True, work_unit="瑶海区教育体育局")
    home = services.register_at_home(member=worker, community=world.node("A/S1/C2"), on_date=dt.date(2024, 1, 5))
    services.log_service_hours(registration=home, on_date=dt.date(2024, 2, 1), hours="2.5", what="小区环境整治")
    with pytest.raises(ValidationError):
        services.log_service_hours(registration=home, on_date=dt.date(2024, 2, 1), hours="25", what="通宵")
    with pytest.raises(ValidationError):
        services.log_service_hours(registration=home, on_date=dt.date(2023, 2, 1), hours="1", what="早于报到")
    moved = services.register_at_home(member=worker, community=world.node("A/S1/C1"), on_date=dt.date(2024, 6, 1))
    home.refresh_from_db()
    assert home.ended_on == dt.date(2024, 6, 1) and moved.ended_on is None
    not_in_service = services.admit_member(org=tree.c1, resident=person(world, n=2), joined_on=dt.date(2015, 7, 1))
    with pytest.raises(ValidationError):
        services.register_at_home(member=not_in_service, community=world.node("A/S1/C2"), on_date=dt.date(2024, 1, 5))


def _household(world, path, number, n):
    house = registry.house(world.node(path), number=number)
    head = person(world, path, name=f"户主{n}", n=n)
    from registry import services as registry_services

    return registry_services.form_household(actor=None, house=house, head=head, on_date=dt.date(2020, 1, 1)), head


def test_central_households_look_after_households_and_cover_a_share(world, tree):
    own, head = _household(world, "A/S1/C1/G1", "101", 11)
    other1, _ = _household(world, "A/S1/C1/G1", "102", 12)
    other2, _ = _household(world, "A/S1/C1/G2", "201", 13)
    _household(world, "A/S1/C1/G2", "202", 14)
    far, _ = _household(world, "A/S1/C2/G1", "301", 15)
    member = services.admit_member(org=tree.branch, resident=head, joined_on=dt.date(2001, 7, 1))
    central = services.name_central_household(member=member, since=dt.date(2024, 1, 1))
    assert central.household_id == own.pk
    services.look_after(central=central, household=other1, since=dt.date(2024, 1, 1))
    link = services.look_after(central=central, household=other2, since=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.look_after(central=central, household=far, since=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.look_after(central=central, household=other1, since=dt.date(2024, 2, 1))
    officer = world.user("A/S1/C1:grid_head")
    assert selectors.coverage(actor=officer) == {"households": 4, "covered": 3, "share": 0.75}
    services.stop_looking_after(link=link, until=dt.date(2024, 6, 30))
    assert selectors.coverage(actor=officer)["covered"] == 2
    assert selectors.coverage(actor=world.user("A/S1/C2:grid_head")) == {"households": 1, "covered": 0, "share": 0.0}
    assert selectors.coverage(actor=world.user("B:admin"))["households"] == 0


def test_members_per_org_counts_current_members_in_one_query(world, tree, django_assert_max_num_queries):
    for n in range(3):
        services.admit_member(org=tree.branch, resident=person(world, n=20 + n), joined_on=dt.date(2020, 1, 1),
                              status="probationary" if n == 0 else "formal")
    gone = services.admit_member(org=tree.branch, resident=person(world, n=30), joined_on=dt.date(2020, 1, 1))
    services.transfer_out(member=gone, on_date=dt.date(2024, 1, 1), to_elsewhere="外地")
    officer = world.user("A:admin")
    with django_assert_max_num_queries(2):
        rows = {o.pk: (o.formal, o.probationary) for o in selectors.members_per_org(actor=officer)}
    assert rows[tree.branch.pk] == (2, 1)
    assert Member.objects.visible_to(world.user("A/S1/C2:grid_head")).count() == 0
