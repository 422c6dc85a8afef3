from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import translation

from grids import integrity, services
from grids.models import Assignment, GridNode


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read the messages' wording: compare against the English msgids (zh-hans is the default)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("check_tree", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue() + err.getvalue() + str(exc)
    return True, out.getvalue() + err.getvalue()


def test_a_clean_world_passes(world):
    assert all(problems == [] for problems in integrity.check_all().values())
    ok, output = run()
    assert ok, output
    assert "340102" in output and "340103" in output


def test_clean_after_moves_renames_and_archives(world):
    services.move_node(node=world.node("A/S1/C2"), new_parent=world.node("A/S2"))
    services.update_node(node=world.node("A/S2/C1"), code=world.node("A/S2").code + "099")
    services.archive_node(node=world.node("A/S1/C1/G2"))
    services.create_node(parent=world.node("B/S1/C1"), subkind="resident", name="新网格")
    assert integrity.check_tree(world.tenants["A"]) == []
    assert integrity.check_tree(world.tenants["B"]) == []


def test_corrupted_lft_rght_is_found_and_rebuilt(world):
    tenant = world.tenants["A"]
    grid = world.node("A/S1/C1/G2")
    GridNode.objects.filter(pk=grid.pk).update(lft=F("lft") + 100, rght=F("rght") + 100)
    street = world.node("A/S2")
    GridNode.objects.filter(pk=street.pk).update(rght=3)
    problems = integrity.check_tree(tenant)
    assert {p.node_id for p in problems} >= {grid.pk, street.pk}
    assert integrity.check_tree(world.tenants["B"]) == []

    ok, output = run("--tenant", tenant.code)
    assert not ok
    assert grid.code in output and "MPTT" in output

    ok, output = run("--tenant", tenant.code, "--rebuild")
    assert ok, output
    assert integrity.check_tree(tenant) == []
    repaired = world.node("A/S1/C1/G2")
    assert repaired.get_ancestors().count() == 3
    assert set(world.node("A/S1/C1").get_children().values_list("pk", flat=True)) == {
        world.nodes["A/S1/C1/G1"].pk, grid.pk
    }
    ok, _ = run()
    assert ok


def test_wrong_stamps_kinds_codes_and_trees_are_found(world):
    tenant = world.tenants["A"]
    grid = world.node("A/S1/C1/G1")
    GridNode.objects.filter(pk=grid.pk).update(street_id=world.nodes["A/S2"].pk)
    Assignment.objects.filter(node=grid).update(community_id=world.nodes["A/S2/C1"].pk)
    community = world.node("A/S1/C2")
    GridNode.objects.filter(pk=community.pk).update(code="340102999001")
    problems = [str(p) for p in integrity.check_tree(tenant)]
    assert any("street_id" in p and grid.code in p for p in problems)
    assert any("340102999001" in p and "parent's code" in p for p in problems)
    assert any("records" in p for p in problems)

    ok, output = run("--tenant", tenant.code, "--rebuild")
    assert not ok  # the stamps are repaired; a wrong code needs a person
    remaining = [str(p) for p in integrity.check_tree(tenant)]
    assert remaining and all("parent's code" in p for p in remaining)  # the community's, and its grids'
    assert any(f"#{community.pk} 340102999001" in p for p in remaining)
    assert world.node("A/S1/C1/G1").street_id == world.nodes["A/S1"].pk
    assert set(Assignment.objects.filter(node=grid).values_list("community_id", flat=True)) == {world.nodes["A/S1/C1"].pk}


def test_a_node_in_another_tree_or_under_the_wrong_kind(world):
    tenant = world.tenants["A"]
    grid = world.node("A/S2/C2/G2")
    other_tree = world.node("B").tree_id
    GridNode.objects.filter(pk=grid.pk).update(tree_id=other_tree)
    problems = [str(p) for p in integrity.check_tree(tenant)]
    assert any("shared with another tenant" in p for p in problems)
    assert any("spread over 2 trees" in p for p in problems)
    assert integrity.check_tree(world.tenants["B"])  # B sees the intruder in its tree too
    integrity.rebuild_tree(tenant)
    assert integrity.check_tree(tenant) == []
    integrity.rebuild_tree(world.tenants["B"])
    assert integrity.check_tree(world.tenants["B"]) == []

    # A grid hung straight under a street (only a raw update can do that) is reported, not silently rebuilt.
    GridNode.objects.filter(pk=grid.pk).update(parent_id=world.nodes["A/S1"].pk)
    integrity.rebuild_tree(tenant)
    problems = [str(p) for p in integrity.check_tree(tenant)]
    assert any("must sit under a community" in p for p in problems)


def test_unknown_tenant_code():
    with pytest.raises(CommandError):
        call_command("check_tree", "--tenant", "999999", stdout=StringIO())
