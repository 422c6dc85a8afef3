"""Admin walk cases of grids and of the third-party admins it re-registers (auth groups, API tokens, axes), and the
helpers every app's cases use. Shape: see tests/grids/test_admin_walk.py."""

from __future__ import annotations

from django.contrib import admin

from grids.models import Assignment


def tenant_of(world, key):
    return world.tenants[key]


def user_of(world, key):
    """The tenant's first grid worker: the owner, reporter or member of the objects the cases make."""
    return world.user(f"{key}/S1/C1/G1:grid_worker")


def grid_of(world, key):
    return world.node(f"{key}/S1/C1/G1")


def registered(name):
    """The registered model of that class name (the cases are keyed by class name, not app label: models move
    between apps without changing what the walk checks)."""
    return next(m for m in admin.site._registry if m._meta.object_name == name)


def history_of(make):
    """The first django-simple-history record of the object `make` returns."""
    return lambda world, key: make(world, key).history.order_by("history_id").first()


def _post(world, key):
    return world.posts[key]["grid_head"]


def _assignment(world, key):
    return Assignment.objects.filter(tenant=tenant_of(world, key), node=grid_of(world, key)).order_by("pk").first()


def _group(world, key):
    return registered("Group").objects.create(name=f"{key} 组")


def _token(world, key):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=user_of(world, key))
    return registered("TokenProxy").objects.get(pk=token.pk)


def _axes(name):
    def make(world, key):
        fields = {"username": user_of(world, key).username, "ip_address": "10.0.0.1", "user_agent": "ua",
                  "http_accept": "*/*", "path_info": "/accounts/login/"}
        if name == "AccessAttempt":
            fields.update(get_data="", post_data="", failures_since_start=1)
        return registered(name).objects.create(**fields)

    return make


def _device(world, key):
    """A confirmed authenticator of the tenant's grid worker (grids.accounts: two factors)."""
    return registered("TOTPDevice").objects.create(user=user_of(world, key), name="default", confirmed=True)


SCOPED = {
    "Tenant": tenant_of,
    "GridNode": grid_of,
    "Post": _post,
    "Assignment": _assignment,
    "User": user_of,
    "HistoricalGridNode": history_of(grid_of),
    "HistoricalPost": history_of(_post),
    "HistoricalAssignment": history_of(_assignment),
    "TOTPDevice": _device,
}

PLATFORM_ONLY = {
    "Group": _group,
    "TokenProxy": _token,
    "AccessAttempt": _axes("AccessAttempt"),
    "AccessLog": _axes("AccessLog"),
    "AccessFailureLog": _axes("AccessFailureLog"),
}

SHARED = {}
