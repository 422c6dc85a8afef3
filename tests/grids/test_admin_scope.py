import pytest
from django.urls import reverse

from grids.models import Assignment

pytestmark = pytest.mark.django_db


def test_tenant_admin_sees_only_their_tenant_in_the_admin(world, client_for):
    client = client_for("A:admin")
    changelist = client.get(reverse("admin:grids_gridnode_changelist"), {"q": "网格1"})
    assert changelist.status_code == 200
    body = changelist.content.decode()
    assert world.nodes["A/S1/C1/G1"].code in body
    assert world.nodes["B/S1/C1/G1"].code not in body
    foreign = world.nodes["B/S1/C1/G1"]
    # Django's admin answers an object outside its queryset as it answers a missing one: a redirect to the
    # index saying it doesn't exist — the same for a foreign id as for an id nobody has, never a 403.
    foreign_page = client.get(reverse("admin:grids_gridnode_change", args=[foreign.pk]), follow=True)
    missing_page = client.get(reverse("admin:grids_gridnode_change", args=[10**9]), follow=True)
    assert foreign_page.redirect_chain[0][1] == 302
    assert foreign_page.redirect_chain[-1][0] == missing_page.redirect_chain[-1][0] == reverse("admin:index")
    assert foreign.code not in foreign_page.content.decode()
    for page in (foreign_page, missing_page):
        assert [str(m) for m in page.context["messages"]][0].endswith(("doesn’t exist. Perhaps it was deleted?", "不存在。可能已经被删除了？"))


def test_tenant_admin_cannot_pick_another_tenants_parent(world, client_for):
    client = client_for("A:admin")
    response = client.post(
        reverse("admin:grids_gridnode_add"),
        {"parent": world.nodes["B/S1/C1"].pk, "subkind": "resident", "name": "越界网格", "code": "", "boundary": "null"},
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert "parent" in response.context["adminform"].form.errors


def test_tenant_admin_creates_a_node_through_the_service(world, client_for):
    client = client_for("A:admin")
    community = world.node("A/S1/C1")
    response = client.post(
        reverse("admin:grids_gridnode_add"),
        {"parent": community.pk, "subkind": "resident", "name": "新建网格", "code": "", "boundary": "null"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    node = community.get_children().get(name="新建网格")
    assert node.code == f"{community.code}003"
    assert node.grid_id == node.pk and node.community_id == community.pk
    assert node.history.first().history_user == world.user("A:admin")


def test_staff_without_tenant_admin_sees_no_admin_models(world, client):
    user = world.user("A/S1:grid_head")
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(reverse("admin:grids_gridnode_changelist")).status_code == 403


def test_assignment_history_records_who_changed_what(world, client_for):
    assignment = Assignment.objects.filter(node_id=world.nodes["A/S1/C1/G1"].pk).first()
    client = client_for("A:admin")
    history = client.get(reverse("admin:grids_historicalassignment_changelist"))
    assert history.status_code == 200
    foreign_user = world.user("B/S1/C1/G1:grid_worker").username
    assert foreign_user not in history.content.decode()
    assert assignment.history.count() == 1
