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


def test_a_bulk_delete_in_the_admin_leaves_a_row_per_object(world, client_for):
    """Django logs a delete of two or more objects with bulk_create (no signal): each still reaches the trail."""
    from django.urls import reverse

    from events.models import HandlingUnit
    from tests.audit.trail import new_rows

    tenant = world.tenants["A"]
    units = [HandlingUnit.objects.create(tenant=tenant, name=f"待删单位{n}", kind="department") for n in range(2)]
    from tests.world import make_user

    world.users["root"] = make_user("root_bulk", None, is_superuser=True, is_staff=True)
    client = client_for("root")
    with new_rows() as rows:
        response = client.post(
            reverse("admin:events_handlingunit_changelist"),
            {"action": "delete_selected", "_selected_action": [u.pk for u in units], "post": "yes"},
        )
    assert response.status_code == 302
    assert not HandlingUnit.objects.filter(pk__in=[u.pk for u in units]).exists()
    deletes = [r for r in rows if r.action == "admin.delete"]
    assert sorted(r.object_id for r in deletes) == sorted(str(u.pk) for u in units)
