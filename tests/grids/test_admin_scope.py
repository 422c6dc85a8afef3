import pytest
from django.urls import reverse

from grids.models import Assignment

pytestmark = pytest.mark.django_db


def _same_page(response, pk) -> str:
    import re

    body = response.content.decode().replace(f"/{pk}/", "/ID/")
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", body)


def test_tenant_admin_sees_only_their_tenant_in_the_admin(world, client_for):
    client = client_for("A:admin")
    changelist = client.get(reverse("admin:grids_gridnode_changelist"), {"q": "网格1"})
    assert changelist.status_code == 200
    body = changelist.content.decode()
    assert world.nodes["A/S1/C1/G1"].code in body
    assert world.nodes["B/S1/C1/G1"].code not in body
    foreign = world.nodes["B/S1/C1/G1"]
    # An object outside the admin's queryset answers as a missing one: 404, the same for a foreign id as for an
    # id nobody has, never a 403 (grids.admin_scope; tests/grids/test_admin_walk.py walks every admin URL).
    for url_name in ("change", "delete", "history"):
        foreign_page = client.get(reverse(f"admin:grids_gridnode_{url_name}", args=[foreign.pk]))
        missing_page = client.get(reverse(f"admin:grids_gridnode_{url_name}", args=[10**9]))
        assert foreign_page.status_code == missing_page.status_code == 404
        # The same page but for the address itself (the language switcher sends the user back to it) and the
        # CSRF token (masked anew on every page).
        assert _same_page(foreign_page, foreign.pk) == _same_page(missing_page, 10**9)
        assert foreign.code not in foreign_page.content.decode()


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


def test_a_refused_change_is_neither_saved_nor_logged(world, client_for):
    from django.contrib.admin.models import LogEntry

    post = world.posts["A"]["grid_head"]
    client = client_for("A:admin")
    url = reverse("admin:grids_post_change", args=[post.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(tenant=post.tenant_id, rights=["no_such_action"], required_on="[]", name="改过的名字", duties="")
    logged = LogEntry.objects.count()
    response = client.post(url, {k: ("" if v is None else v) for k, v in data.items()}, follow=True)
    assert response.status_code == 200
    # Refused by the rights' form field or by the service (grids.admin_scope): either way the page says why.
    messages = [str(m) for m in response.context["messages"]]
    assert "no_such_action" in response.content.decode() or any("no_such_action" in m for m in messages)
    post.refresh_from_db()
    assert post.name != "改过的名字"
    assert LogEntry.objects.count() == logged


def test_reverting_ones_own_node_goes_through_the_services(world, client_for):
    from grids import services

    node = world.node("A/S1/C1/G1")
    first = node.history.order_by("history_id").first()
    services.update_node(node=node, name="改名网格", subkind=node.subkind, code=node.code, boundary=None,
                         actor=world.user("A:admin"))
    client = client_for("A:admin")
    url = reverse("admin:grids_gridnode_simple_history", args=[node.pk, first.history_id])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(boundary="null", parent=node.parent_id)
    response = client.post(url, {k: ("" if v is None else v) for k, v in data.items()})
    assert response.status_code == 302
    node.refresh_from_db()
    assert node.name == first.name
    # Another tenant's admin gets 404 for the same page, posted or not, and changes nothing.
    other = client_for("B:admin")
    assert other.get(url).status_code == 404
    assert other.post(url, {k: ("" if v is None else v) for k, v in data.items()}).status_code == 404
    assert client.get(reverse("admin:grids_gridnode_simple_history", args=[node.pk, "x"])).status_code == 404
    other_version = world.node("A/S1/C1/G2").history.order_by("history_id").first().history_id
    assert client.get(reverse("admin:grids_gridnode_simple_history", args=[node.pk, other_version])).status_code == 404
