"""The party tree: built through the services under the tree lock, its rules, its integrity check."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from parties import services
from parties.integrity import check_tree, rebuild_tree
from parties.models import LedGrid, Officer, PartyOrg
from tests.parties.factories import party_tree
from tests.registry import factories as registry
from yaohai.core.errors import NotAllowed, NotFound


def test_a_built_tree_is_whole(world):
    tree = party_tree(world)
    assert check_tree(world.tenants["A"]) == []
    assert tree.branch.community_id == world.nodes["A/S1/C1"].pk
    assert [o.kind for o in tree.group.get_ancestors(include_self=True)] == [
        "district_committee", "working_committee", "committee", "branch", "group"
    ]
    assert tree.branch.code.startswith(tree.c1.code) and len(tree.branch.code) == len(tree.c1.code) + 3


def test_a_branch_may_lead_several_grids_of_its_community(world):
    tree = party_tree(world)
    services.set_led_grids(org=tree.branch, grids=[world.node("A/S1/C1/G1"), world.node("A/S1/C1/G2")])
    assert set(tree.branch.led_grids.values_list("node_id", flat=True)) == {
        world.nodes["A/S1/C1/G1"].pk, world.nodes["A/S1/C1/G2"].pk
    }
    assert LedGrid.objects.get(org=tree.branch, node=world.nodes["A/S1/C1/G2"]).grid_id == world.nodes["A/S1/C1/G2"].pk


def test_a_branch_cannot_lead_a_grid_outside_its_committees_community(world):
    tree = party_tree(world)
    with pytest.raises(ValidationError) as refused:
        services.set_led_grids(org=tree.branch, grids=[world.node("A/S1/C1/G2"), world.node("A/S1/C2/G1")])
    assert list(refused.value.message_dict) == ["grids"]
    assert list(tree.branch.led_grids.values_list("node_id", flat=True)) == [world.nodes["A/S1/C1/G1"].pk]
    with pytest.raises(NotFound):  # another tenant's grid is one that does not exist
        services.set_led_grids(org=tree.branch, grids=[world.node("B/S1/C1/G1")])


def test_a_building_group_covers_buildings_of_its_community_only(world):
    tree = party_tree(world)
    inside = registry.building(world.node("A/S1/C1/G2"), number="7")
    outside = registry.building(world.node("A/S1/C2/G1"), number="8")
    services.set_led_buildings(org=tree.group, buildings=[inside])
    with pytest.raises(ValidationError):
        services.set_led_buildings(org=tree.group, buildings=[inside, outside])
    assert list(tree.group.led_buildings.values_list("building_id", flat=True)) == [inside.pk]
    with pytest.raises(ValidationError):
        services.set_led_buildings(org=tree.branch, buildings=[inside])


@pytest.mark.parametrize(
    ("parent", "subkind", "node"),
    [
        ("root", "party_committee", "A/S1/C1"),  # a committee under the district committee
        ("working", "working_committee", "A/S2"),  # a working committee under a working committee
        ("c1", "building_group", None),  # a group straight under a committee
        ("working", "party_committee", "A/S2/C1"),  # a community of another street
        ("working", "party_committee", "A/S1/C1/G1"),  # a grid is no community
    ],
)
def test_misplaced_organisations_are_refused(world, parent, subkind, node):
    tree = party_tree(world)
    before = PartyOrg.objects.count()
    with pytest.raises(ValidationError):
        services.create_org(parent=getattr(tree, parent), subkind=subkind, name="新组织",
                            node=world.node(node) if node else None)
    assert PartyOrg.objects.count() == before


def test_one_root_per_tenant_and_unique_sibling_names(world):
    tree = party_tree(world)
    with pytest.raises(ValidationError):
        services.create_root(tenant=world.tenants["A"], name="第二个根")
    with pytest.raises(ValidationError):
        services.create_org(parent=tree.c1, subkind="branch", name="网格1党支部")


def test_moves_keep_branches_in_their_community_and_the_tree_whole(world):
    tree = party_tree(world)
    other = services.create_org(parent=tree.c1, subkind="grid_branch", name="网格2党支部")
    moved = services.move_org(org=tree.group, new_parent=other)
    assert moved.parent_id == other.pk and moved.code.startswith(other.code)
    with pytest.raises(ValidationError):  # C2's committee is another community: the branch leads grids of C1
        services.move_org(org=tree.branch, new_parent=tree.c2)
    working2 = services.create_org(parent=tree.root, subkind="working_committee", name="街道2党工委",
                                   node=world.node("A/S2"))
    with pytest.raises(ValidationError):  # a committee stays in its street
        services.move_org(org=tree.c1, new_parent=working2)
    assert check_tree(world.tenants["A"]) == []


def test_the_integrity_check_finds_and_the_rebuild_mends_a_broken_nested_set(world):
    tree = party_tree(world)
    PartyOrg.objects.filter(pk=tree.branch.pk).update(lft=999)
    assert any("MPTT" in str(p) for p in check_tree(world.tenants["A"]))
    rebuild_tree(world.tenants["A"])
    assert check_tree(world.tenants["A"]) == []


def test_the_integrity_check_finds_a_grid_led_outside_the_community(world):
    tree = party_tree(world)
    LedGrid.objects.filter(org=tree.branch).update(community_id=world.nodes["A/S1/C2"].pk)
    assert [p.node_id for p in check_tree(world.tenants["A"])] == [tree.branch.pk]


def test_writes_need_the_right_over_the_subtree(world):
    tree = party_tree(world)
    services.create_org(parent=tree.c1, subkind="branch", name="老干部支部", actor=world.user("A/S1/C1:grid_head"))
    with pytest.raises(NotAllowed):
        services.create_org(parent=tree.c2, subkind="branch", name="越权支部", actor=world.user("A/S1/C1:grid_head"))
    with pytest.raises(NotAllowed):  # a grid worker reads, does not keep the tree
        services.create_org(parent=tree.c1, subkind="branch", name="支部", actor=world.user("A/S1/C1/G1:grid_worker"))
    with pytest.raises(NotAllowed):
        services.create_org(parent=tree.c1, subkind="branch", name="支部", actor=world.user("B:admin"))


def test_visible_to_follows_the_anchor(world):
    tree = party_tree(world)
    seen = set(PartyOrg.objects.visible_to(world.user("A/S1/C1:grid_head")).values_list("pk", flat=True))
    assert {tree.c1.pk, tree.branch.pk, tree.group.pk} <= seen
    assert tree.c2.pk not in seen and tree.working.pk not in seen
    assert not PartyOrg.objects.visible_to(world.user("B:admin")).exists()


def test_a_new_secretary_ends_the_last_term(world):
    tree = party_tree(world)
    first = services.appoint_officer(org=tree.c1, role="secretary", start_date=dt.date(2024, 1, 1),
                                     user=world.user("A/S1/C1:grid_head"))
    person = registry.resident(world.node("A/S1/C1/G1"), name="王芳")
    services.appoint_officer(org=tree.c1, role="secretary", start_date=dt.date(2025, 1, 1), resident=person)
    services.appoint_officer(org=tree.c1, role="member", start_date=dt.date(2025, 1, 1), resident=person)
    first.refresh_from_db()
    assert first.end_date == dt.date(2024, 12, 31)
    assert Officer.objects.filter(org=tree.c1, end_date__isnull=True).count() == 2
    with pytest.raises(ValidationError):  # both a person and a user, or neither
        services.appoint_officer(org=tree.c1, role="member", start_date=dt.date(2025, 1, 1))
