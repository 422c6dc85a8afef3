"""Rights are declared by the apps that own them; posts grant their codes; the scope is computed per right asked."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grids import services as grid_services
from grids.catalogue import DEFAULT_POSTS
from grids.scope import forget_scope, held_kinds, scope_for
from tests.world import make_user
from yaohai.core import rights

pytestmark = pytest.mark.django_db



def test_each_app_declares_its_own_rights_with_labels():
    owners = {right.code: right.app for right in rights.registered()}
    assert owners.items() >= {
        "view": "grids", "manage_roster": "grids", "mediate": "mediation",
        "report": "events", "dispatch": "events", "handle": "events", "verify": "events",
        "assess": "assessment",
    }.items()
    assert all(label for _code, label in rights.choices())
    with pytest.raises(ValueError):
        rights.register("parties", "dispatch", "派遣")  # a code belongs to one app


def test_the_default_catalogue_grants_only_declared_codes():
    granted = {code for post in DEFAULT_POSTS for code in post[4]}
    assert granted <= set(rights.codes())


def test_a_post_granting_an_undeclared_code_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        grid_services.save_post(tenant=world.tenants["A"], code="x", name="某岗位", tier="support", rights=["fly"])
    assert "rights" in refused.value.message_dict


def test_asking_for_an_undeclared_right_is_a_programming_error(world):
    with pytest.raises(ValueError):
        scope_for(world.user("A/S1/C1:grid_head"), "fly")


def test_a_right_a_new_app_declares_is_granted_and_scoped_without_touching_grids(world):
    code = rights.register("tests", "tests_probe", "Probe")
    tenant = world.tenants["A"]
    post = grid_services.save_post(tenant=tenant, code="prober", name="探查员", tier="support", rights=[code])
    user = make_user("prober", tenant)
    node = world.nodes["A/S1/C1"]
    grid_services.assign(user=user, post=post, node=node, start_date=timezone.localdate() - dt.timedelta(days=1))
    forget_scope(user)
    scope = scope_for(user, code)
    assert scope.node_ids == {"community": frozenset({node.pk})}
    assert scope_for(user, "view").is_empty  # the post grants nothing else


def test_one_query_whatever_the_number_of_rights_asked(world):
    user = world.user("A/S1/C1:grid_head")
    forget_scope(user)
    with CaptureQueriesContext(connection) as queries:
        for code in ("view", "report", "dispatch", "verify", "assess", "manage_roster", "handle"):
            scope_for(user, code)
        held_kinds(user)
    assert len(queries) == 1
    assert not scope_for(user, "handle").node_ids.get("community")
    assert scope_for(user, "dispatch").node_ids["community"] == {world.nodes["A/S1/C1"].pk}


def test_the_post_admin_grants_rights_by_their_labels(world, client_for):
    from django.urls import reverse

    from grids.models import Post

    post = Post.objects.get(tenant=world.tenants["A"], code="informant")
    client = client_for("A:admin")
    page = client.get(reverse("admin:grids_post_change", args=[post.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'value="dispatch"' in body and "受理和派遣事件" in body
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(rights=["view", "report", "handle"], required_on="[]")
    response = client.post(reverse("admin:grids_post_change", args=[post.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    post.refresh_from_db()
    assert post.rights == ["view", "report", "handle"]
