import pytest
from django.core.exceptions import ValidationError

from grids import services
from grids.models import GridNode

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[117.30, 31.85], [117.36, 31.85], [117.36, 31.90], [117.30, 31.90], [117.30, 31.85]]]}


def test_world_shape(world):
    tenant = world.tenants["A"]
    counts = {k: GridNode.objects.filter(tenant=tenant, kind=k).count() for k in ("district", "street", "community", "grid")}
    assert counts == {"district": 1, "street": 2, "community": 4, "grid": 8}
    grid = world.node("A/S1/C2/G1")
    assert grid.code.startswith(world.node("A/S1/C2").code) and len(grid.code) == 15
    assert (grid.district_id, grid.street_id, grid.community_id, grid.grid_id) == (
        world.nodes["A"].pk, world.nodes["A/S1"].pk, world.nodes["A/S1/C2"].pk, grid.pk)


@pytest.mark.parametrize(
    "parent_path, subkind",
    [("A", "community"), ("A", "resident"), ("A/S1", "town"), ("A/S1/C1", "village"), ("A/S1/C1/G1", "resident")],
)
def test_wrong_parent_kind_is_refused_and_saves_nothing(world, parent_path, subkind):
    before = GridNode.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.create_node(parent=world.node(parent_path), subkind=subkind, name="新节点")
    assert "parent" in exc.value.message_dict
    assert GridNode.objects.count() == before


def test_duplicate_code_and_sibling_name_are_refused(world):
    community = world.node("A/S1/C1")
    taken = world.node("A/S1/C1/G1")
    with pytest.raises(ValidationError) as exc:
        services.create_node(parent=community, subkind="resident", name=taken.name, code=taken.code)
    assert set(exc.value.message_dict) == {"name", "code"}


def test_code_must_extend_parent_code(world):
    with pytest.raises(ValidationError) as exc:
        services.create_node(parent=world.node("A/S1/C1"), subkind="resident", name="X", code="340102999001001")
    assert "code" in exc.value.message_dict


@pytest.mark.parametrize(
    "boundary",
    [
        {"type": "Point", "coordinates": [117.3, 31.8]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},  # bow-tie
        {"type": "Polygon", "coordinates": "nonsense"},
        {"type": "Polygon", "coordinates": [[[500, 0], [501, 0], [501, 1], [500, 0]]]},
    ],
)
def test_invalid_geojson_is_refused(world, boundary):
    with pytest.raises(ValidationError) as exc:
        services.create_node(parent=world.node("A/S1/C1"), subkind="resident", name="新网格", boundary=boundary)
    assert "boundary" in exc.value.message_dict
    assert not GridNode.objects.filter(name="新网格").exists()


def test_boundary_must_lie_within_parent(world):
    community = services.update_node(node=world.node("A/S1/C1"), boundary=SQUARE)
    inside = {"type": "Polygon", "coordinates": [[[117.31, 31.86], [117.32, 31.86], [117.32, 31.87], [117.31, 31.86]]]}
    outside = {"type": "Polygon", "coordinates": [[[117.35, 31.86], [117.40, 31.86], [117.40, 31.87], [117.35, 31.86]]]}
    services.create_node(parent=community, subkind="resident", name="内", boundary=inside)
    with pytest.raises(ValidationError):
        services.create_node(parent=community, subkind="resident", name="外", boundary=outside)


def test_move_recodes_and_restamps(world):
    grid = services.update_node(node=world.node("A/S1/C1/G1"), name="迁入网格")
    target = world.node("A/S2/C1")
    moved = services.move_node(node=grid, new_parent=target)
    assert moved.parent_id == target.pk
    assert moved.code.startswith(target.code)
    assert (moved.street_id, moved.community_id) == (target.street_id, target.pk)
    assignment = moved.__class__.objects.get(pk=moved.pk)
    from grids.models import Assignment

    for a in Assignment.objects.filter(node=moved):
        assert (a.street_id, a.community_id, a.grid_id) == (target.street_id, target.pk, moved.pk)
    assert assignment.get_ancestors().count() == 3


def test_move_refuses_a_sibling_name_clash(world):
    with pytest.raises(ValidationError) as exc:
        services.move_node(node=world.node("A/S1/C1/G1"), new_parent=world.node("A/S2/C1"))
    assert "name" in exc.value.message_dict
    assert world.node("A/S1/C1/G1").parent_id == world.nodes["A/S1/C1"].pk


def test_cannot_move_into_own_subtree_or_wrong_kind(world):
    with pytest.raises(ValidationError):
        services.move_node(node=world.node("A/S1/C1"), new_parent=world.node("A/S1/C1/G1"))
    with pytest.raises(ValidationError):
        services.move_node(node=world.node("A/S1/C1"), new_parent=world.node("B/S1"))


def test_archive_hides_subtree_and_restore(world):
    community = world.node("A/S1/C1")
    assert services.archive_node(node=community) == 3
    assert GridNode.objects.filter(pk__in=[world.nodes["A/S1/C1/G1"].pk], is_archived=True).exists()
    services.restore_node(node=community)
    with pytest.raises(ValidationError):
        services.archive_node(node=world.node("A"))


def test_only_tenant_admins_write_the_tree(world):
    with pytest.raises(ValidationError):
        services.create_node(parent=world.node("A/S1"), subkind="community", name="X", actor=world.user("A/S1:grid_head"))
    with pytest.raises(ValidationError):
        services.create_node(parent=world.node("A/S1"), subkind="community", name="X", actor=world.user("B:admin"))
    node = services.create_node(parent=world.node("A/S1"), subkind="community", name="X", actor=world.user("A:admin"))
    assert node.history.first().history_user == world.user("A:admin")


def test_roster_changes_need_manage_roster_over_the_node(world):
    import datetime as dt

    post = world.posts["A"]["informant"]
    person = world.user("A/S1/C1/G1:police")
    grid = world.node("A/S1/C1/G1")
    with pytest.raises(ValidationError):
        services.assign(user=person, post=post, node=grid, start_date=dt.date(2025, 1, 1),
                        actor=world.user("A/S1/C2:grid_head"))
    a = services.assign(user=person, post=post, node=grid, start_date=dt.date(2025, 1, 1),
                        actor=world.user("A/S1/C1:grid_head"))
    assert (a.community_id, a.grid_id) == (grid.community_id, grid.pk)
    with pytest.raises(ValidationError):
        services.assign(user=person, post=post, node=grid, start_date=dt.date(2025, 6, 1))  # overlaps


def test_overlong_name_is_a_validation_error_not_a_database_error(world):
    with pytest.raises(ValidationError) as exc:
        services.create_node(parent=world.node("A/S1/C1"), subkind="resident", name="长" * 101)
    assert "name" in exc.value.message_dict
