"""What an administrator changes in the Django admin leaves an audit row (besides the service's own row); a change
the admin refuses (another tenant's object) leaves none."""

import pytest
from django.urls import reverse

from audit.models import Kind
from tests.audit.trail import new_rows

pytestmark = pytest.mark.django_db


def _form(node, name):
    return {"parent": node.parent_id, "subkind": node.subkind, "name": name, "code": node.code, "boundary": "null"}


def test_an_admin_edit_leaves_the_services_row_and_the_admins_row(world, client_for):
    grid, admin = world.node("A/S1/C1/G2"), world.user("A:admin")
    client = client_for("A:admin")
    with new_rows() as rows:
        response = client.post(reverse("admin:grids_gridnode_change", args=[grid.pk]),
                                              _form(grid, "新名字"))
    assert response.status_code == 302
    assert [r.action for r in rows] == ["grids.node.update", "admin.change"]
    service_row, admin_row = rows
    assert service_row.summary["name"] == [grid.name, "新名字"] and service_row.address == "127.0.0.1"
    assert (admin_row.actor_id, admin_row.kind, admin_row.object_type, admin_row.object_id) == (
        admin.pk, Kind.WRITE, "grids.gridnode", str(grid.pk))
    assert admin_row.address == "127.0.0.1" and admin_row.tenant_id == world.tenants["A"].pk
    assert admin_row.summary["message"]


def test_another_tenants_admin_leaves_no_row(world, client_for):
    grid = world.node("A/S1/C1/G2")
    client = client_for("B:admin")
    with new_rows() as rows:
        response = client.post(reverse("admin:grids_gridnode_change", args=[grid.pk]),
                                              _form(grid, "越权"))
    assert response.status_code == 404 and rows == []
