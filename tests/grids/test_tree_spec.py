"""The generic tree machinery (grids.trees) is driven by its spec alone: the grid tree is one spec over GridNode,
and a second spec over the same table — no stamps, no records, a lock of its own, a sheet without a boundary
column — works through the same code, as the party-organisation tree will over its own model."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from grids import services
from grids.choices import CODE_LENGTH, LEVELS, PARENT_KIND, SUBKINDS, NodeKind, NodeSubkind
from grids.models import Assignment, GridNode
from grids.tree_spec import GRID_TREE
from grids.trees import TreeSpec, integrity, moves, rules, sheets

pytestmark = pytest.mark.django_db

# The grid table seen as a plain tree: no ancestor stamps, no records, another advisory-lock namespace.
BARE = TreeSpec(
    model_label="grids.GridNode",
    lock_namespace=0x59480FFF,
    levels=LEVELS,
    parent_kind=PARENT_KIND,
    subkinds=SUBKINDS,
    kind_choices=NodeKind,
    code_length=CODE_LENGTH,
)


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def test_the_grid_spec_describes_gridnode():
    assert GRID_TREE.model is GridNode
    assert GRID_TREE.root_kinds() == (NodeKind.DISTRICT,)
    assert GRID_TREE.kind_of_subkind[NodeSubkind.VILLAGE] == NodeKind.COMMUNITY
    assert GRID_TREE.stamp_fields == ("district_id", "street_id", "community_id", "grid_id")
    assert Assignment in list(GRID_TREE.records())
    assert services.LOCK_NAMESPACE == GRID_TREE.lock_namespace


def test_the_rules_come_from_the_spec(world):
    community, grid = world.node("A/S1/C1"), world.node("A/S1/C1/G1")
    errors = {}
    assert rules.check_placement(GRID_TREE, errors, parent=community, subkind="town") == NodeKind.STREET
    assert "parent" in errors  # a street under a community
    errors = {}
    code = rules.check_code(
        GRID_TREE, errors, parent=community, kind=NodeKind.GRID, code="", tenant_id=community.tenant_id
    )
    assert not errors and code == rules.next_child_code(GRID_TREE, community) and code.startswith(community.code)
    errors = {}
    rules.check_code(GRID_TREE, errors, parent=community, kind=NodeKind.GRID, code=grid.code,
                     tenant_id=community.tenant_id)
    assert "already used" in errors["code"][0]


def test_a_spec_without_stamps_moves_and_checks_without_touching_them(world):
    tenant = world.tenants["A"]
    grid = services.update_node(node=world.node("A/S1/C1/G1"), name="无戳网格")
    target = world.node("A/S2/C1")
    before = GridNode.objects.filter(pk=grid.pk).values_list("street_id", "community_id").get()

    def validate(node, new_parent, code):
        errors = {}
        rules.check_placement(BARE, errors, parent=new_parent, subkind=node.subkind, node=node)
        if errors:
            raise ValidationError(errors)

    with pytest.raises(ValidationError):
        moves.move_subtree(BARE, node=grid, new_parent=world.node("A/S2"), validate=validate)
    moved = moves.move_subtree(BARE, node=grid, new_parent=target, validate=validate)
    assert moved.parent_id == target.pk and moved.code.startswith(target.code)
    # The bare spec knows no stamps: they stay as they were, which the bare check does not look at …
    assert GridNode.objects.filter(pk=grid.pk).values_list("street_id", "community_id").get() == before
    assert integrity.check_tree(BARE, tenant) == []
    # … and the grid spec, which does, finds them wrong and its rebuild puts them right.
    assert any("stamps" in p.message for p in integrity.check_tree(GRID_TREE, tenant))
    integrity.rebuild_tree(GRID_TREE, tenant)
    assert integrity.check_tree(GRID_TREE, tenant) == []
    assert GridNode.objects.get(pk=grid.pk).community_id == target.pk


def test_a_sheet_without_extra_columns_round_trips(world):
    tenant = world.tenants["A"]
    sheet = sheets.TreeSheet(
        spec=BARE,
        writer=sheets.TreeWriter(
            create=lambda **kw: services.create_node(**kw),
            update=lambda **kw: services.update_node(**kw),
            archive=lambda **kw: services.archive_node(**kw),
            restore=lambda **kw: services.restore_node(**kw),
        ),
        kind_names={NodeKind.DISTRICT: "区", NodeKind.STREET: "街道", NodeKind.COMMUNITY: "社区", NodeKind.GRID: "网格"},
        subkind_names={},
        subkind_choices=NodeSubkind,
        title=lambda t: t.name,
        filename=lambda t: f"{t.code}.xlsx",
    )
    assert sheet.columns == ("层级", "类型", "名称", "代码", "上级代码", "已归档")
    rows, errors = sheet.parse(sheet.export(tenant))
    assert errors == [] and len(rows) == GridNode.objects.filter(tenant=tenant).count()
    plan = sheet.preview(tenant, rows)
    assert plan.ok and plan.unchanged == len(rows)
    rows[-1].name = "改名网格"
    with transaction.atomic():
        plan = sheet.apply(tenant, rows)
    assert plan.updated == 1 and GridNode.objects.filter(tenant=tenant, name="改名网格").exists()
