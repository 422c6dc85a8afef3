"""Edits in the admin that answered 500 or were dropped (issue 11): moving a node, changing an assignment's duties."""

import pytest
from django.urls import reverse

from grids.models import Assignment, GridNode

pytestmark = pytest.mark.django_db


def node_form(node, parent, name=None):
    return {"parent": parent.pk, "subkind": node.subkind, "name": name or node.name, "code": node.code,
            "boundary": "null"}


@pytest.mark.parametrize("target", ["A/S1/C2", "A/S2/C1"], ids=["same street", "across streets"])
def test_moving_a_node_in_the_admin_recodes_it_under_its_new_parent(world, client_for, target):
    """The form read whether the node moves after Django had copied the new parent onto the instance: the new
    code was checked against the old parent (ValidationError, 500)."""
    grid, parent = world.node("A/S1/C1/G2"), world.node(target)
    response = client_for("A:admin").post(reverse("admin:grids_gridnode_change", args=[grid.pk]),
                                          node_form(grid, parent, name="迁入网格"))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    moved = GridNode.objects.get(pk=grid.pk)
    assert moved.parent_id == parent.pk
    assert moved.code.startswith(parent.code) and moved.community_id == parent.pk
    assert moved.street_id == parent.parent_id


def test_renaming_without_moving_keeps_the_parent_and_code(world, client_for):
    grid = world.node("A/S1/C1/G2")
    data = {**node_form(grid, grid.parent), "name": "新名字"}
    response = client_for("A:admin").post(reverse("admin:grids_gridnode_change", args=[grid.pk]), data)
    assert response.status_code == 302
    renamed = GridNode.objects.get(pk=grid.pk)
    assert (renamed.name, renamed.code, renamed.parent_id) == ("新名字", grid.code, grid.parent_id)


def test_editing_an_assignments_duties_in_the_admin_keeps_the_edit(world, client_for):
    """save_model handled only an end date: the page said 成功修改 and the duties were dropped."""
    assignment = Assignment.objects.filter(node_id=world.nodes["A/S1/C1/G1"].pk, post__code="grid_worker").get()
    url = reverse("admin:grids_assignment_change", args=[assignment.pk])
    response = client_for("A:admin").post(url, {"duties": "负责1号楼至5号楼的巡查", "end_date": ""})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.duties == "负责1号楼至5号楼的巡查"
    assert assignment.end_date is None
    assert assignment.history.first().history_user == world.user("A:admin")
