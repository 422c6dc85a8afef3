"""Every admin URL of every registered model, walked by the other tenant's admin for an object of tenant A.

For each model in `admin.site._registry` a case below makes one object of a given tenant. The walk then asks, as
B's admin, for every URL the model admin serves (changelist, add, change, history, a past version of
django-simple-history, delete, and any custom page), posts the change, delete and revert forms and every action,
and asks the autocomplete of every relation that points at the model. An object of A must answer 404 (or be absent
from lists and choices), nothing may change, and the admin's log must not grow. The same URLs must work for B's own
object, so the walk cannot pass by breaking the pages.

A model registered without a case here, or with an admin that is neither tenant-scoped nor platform-only
(grids.admin_scope), fails `test_every_registered_model_has_a_case`.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.forms import ModelChoiceField
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from grids.admin_scope import PlatformOnlyAdminMixin, SharedReferenceAdminMixin, TenantScopedAdminMixin
from grids.models import Assignment
from tests.world import make_user

pytestmark = pytest.mark.django_db

VIEWER = "B:admin"
OWN, FOREIGN = "B", "A"


def _tenant(world, key):
    return world.tenants[key]


def _user(world, key):
    return world.user(f"{key}/S1/C1/G1:grid_worker")


def _node(world, key):
    return world.node(f"{key}/S1/C1/G1")


def _category(world, key):
    from events.catalogue import install_event_catalogue
    from events.models import Category

    tenant = _tenant(world, key)
    if not Category.objects.filter(tenant=tenant).exists():
        install_event_catalogue(tenant)
    return Category.objects.filter(tenant=tenant, parent__isnull=False).order_by("pk").first()


def _event(world, key):
    from events.services import report_event

    return report_event(
        actor=_user(world, key), node=_node(world, key), category=_category(world, key), title=f"{key}区楼道垃圾",
        now=dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC),
    )


def _model(name):
    return next(m for m in admin.site._registry if m._meta.object_name == name)


def _export_job(world, key):
    user = _user(world, key)
    return _model("ExportJob").objects.create(
        owner=user, tenant_id=user.tenant_id, kind="event_list", title=f"{key}事件", language="zh-hans",
        status="failed", error="x", expires_at=timezone.now() + dt.timedelta(hours=1),
    )


def _handling_unit(world, key):
    unit = _model("HandlingUnit").objects.create(tenant=_tenant(world, key), name=f"{key}城管中队", kind="department")
    unit.members.add(_user(world, key))
    return unit


def _scheme(world, key):
    return _model("AssessmentScheme").objects.get(tenant=_tenant(world, key))


def _run(world, key):
    scheme = _scheme(world, key)
    now = timezone.now()
    return _model("AssessmentRun").objects.create(
        tenant=scheme.tenant, scheme=[], month=dt.date(2026, 10, 1), version=1, reason="test",
        as_of=now, computed_at=now, status="draft",
    )


def _assignment(world, key):
    return Assignment.objects.filter(tenant=_tenant(world, key), node=_node(world, key)).order_by("pk").first()


def _history(of):
    return lambda world, key: of(world, key).history.order_by("history_id").first()


def _calendar_day(world, key):
    day = dt.date(2031, 1, 1) + dt.timedelta(days=0 if key == "A" else 1)
    return _model("CalendarDay").objects.create(date=day, is_workday=False, note=f"{key} 元旦")


def _group(world, key):
    return _model("Group").objects.create(name=f"{key} 组")


def _token(world, key):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=_user(world, key))
    return _model("TokenProxy").objects.get(pk=token.pk)


def _axes(name):
    def make(world, key):
        fields = {"username": _user(world, key).username, "ip_address": "10.0.0.1", "user_agent": "ua",
                  "http_accept": "*/*", "path_info": "/accounts/login/"}
        if name == "AccessAttempt":
            fields.update(get_data="", post_data="", failures_since_start=1)
        return _model(name).objects.create(**fields)

    return make


def _points(world, key):
    from tests.points.scope_cases import points_world

    which = {"A": "inside", "B": "foreign"}[key]
    found = points_world(world)
    return {kind: rows[which] for kind, rows in found.items()}


# object_name → how to make one object of a tenant. Keyed by class name, not app label: the models move between
# apps (events.assessment → assessment, grids.exports → exports) without changing what the walk checks.
SCOPED = {
    "Tenant": _tenant,
    "GridNode": _node,
    "Post": lambda world, key: world.posts[key]["grid_head"],
    "Assignment": _assignment,
    "User": _user,
    "ExportJob": _export_job,
    "HistoricalGridNode": _history(_node),
    "HistoricalPost": _history(lambda world, key: world.posts[key]["grid_head"]),
    "HistoricalAssignment": _history(_assignment),
    "Category": _category,
    "HandlingUnit": _handling_unit,
    "Event": _event,
    "AssessmentScheme": _scheme,
    "AssessmentRun": _run,
    # points (tests/points/scope_cases.py makes a passbook, a service record and a redemption in each grid)
    "Account": lambda world, key: _points(world, key)["account"],
    "Entry": lambda world, key: _points(world, key)["account"].entries.first(),
    "ServiceRecord": lambda world, key: _points(world, key)["record"],
    "Reward": lambda world, key: _points(world, key)["redemption"].reward,
    "Redemption": lambda world, key: _points(world, key)["redemption"],
}
# Records that are no tenant's: a tenant admin reaches none of them (403 or 404 everywhere), a superuser all.
PLATFORM_ONLY = {
    "Group": _group,
    "TokenProxy": _token,
    "AccessAttempt": _axes("AccessAttempt"),
    "AccessLog": _axes("AccessLog"),
    "AccessFailureLog": _axes("AccessFailureLog"),
}

# Reference data of no tenant, the same for all (the national working calendar): every tenant admin reads it, only
# a superuser changes it.
SHARED = {
    "CalendarDay": _calendar_day,
}

REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)


def _name(model):
    return model._meta.object_name


def test_every_registered_model_has_a_case():
    missing = [m._meta.label for m in REGISTERED if _name(m) not in {**SCOPED, **PLATFORM_ONLY, **SHARED}]
    assert not missing, f"admin models without a case in {__name__}: {missing}"
    stale = [n for n in (*SCOPED, *PLATFORM_ONLY, *SHARED) if n not in {_name(m) for m in REGISTERED}]
    assert not stale, f"cases for models no longer registered: {stale}"


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_admin_is_scoped_or_platform_only(model):
    model_admin = admin.site._registry[model]
    wanted = (
        TenantScopedAdminMixin if _name(model) in SCOPED
        else SharedReferenceAdminMixin if _name(model) in SHARED
        else PlatformOnlyAdminMixin
    )
    assert isinstance(model_admin, wanted), f"{model._meta.label}: {type(model_admin).__name__} is not {wanted.__name__}"


# -- the walk ------------------------------------------------------------------------------------------------


def _routes(model_admin):
    """(url name, number of arguments) of every named URL the model admin serves."""
    routes = []
    for pattern in model_admin.urls:
        if isinstance(pattern, URLPattern) and pattern.name:
            regex = pattern.pattern.regex
            routes.append((pattern.name, regex.groups))
    return routes


def _args(route, obj):
    name, count = route
    if count == 0:
        return []
    if name.endswith("_simple_history"):
        history = getattr(type(obj), obj._meta.simple_history_manager_attribute)
        of_obj = {type(obj)._meta.pk.attname: obj.pk}  # the historical model's own pk is history_id
        return [obj.pk, history.filter(**of_obj).order_by("history_id").first().history_id]
    if name.endswith("_tree_import_preview"):
        return ["nosuchtoken"]
    return [obj.pk]


def _state(obj):
    """What must not change: the row's fields (and its history's length)."""
    fresh = type(obj)._base_manager.filter(pk=obj.pk).first()
    if fresh is None:
        return None
    history = getattr(fresh, "history", None)
    count = history.count() if history is not None and hasattr(history, "count") else None
    return model_to_dict(fresh), count


def _choices_tenants(form):
    """The tenants of every choice a form offers in a relation field."""
    from grids.models import Tenant

    tenants = set()
    for field in form.fields.values():
        if isinstance(field, ModelChoiceField):
            for choice in field.queryset:
                tenants.add(choice.pk if isinstance(choice, Tenant) else getattr(choice, "tenant_id", None))
    return tenants


def _search_term(model_admin, request_factory_user, obj):
    fields = model_admin.search_fields
    if not fields:
        return None
    value = obj
    for part in fields[0].lstrip("^=@").split("__"):
        value = getattr(value, part, None)
    return str(value) if value is not None else None


@pytest.fixture
def superuser(world):
    return make_user("root", None, is_superuser=True, is_staff=True)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_the_other_tenants_admin_reaches_nothing_of_tenant_a(model, world, superuser):
    name = _name(model)
    if name in SHARED:
        pytest.skip("shared reference data: tests/grids/test_admin_walk.py::test_shared_reference_data_is_read_only")
    platform_only = name in PLATFORM_ONLY
    make = PLATFORM_ONLY.get(name) or SCOPED[name]
    foreign, own = make(world, FOREIGN), make(world, OWN)
    model_admin = admin.site._registry[model]
    viewer = _client(world.user(VIEWER))
    allowed = {404} if not platform_only else {403, 404}
    info = model._meta.app_label, model._meta.model_name
    change_url = reverse("admin:{}_{}_change".format(*info), args=[foreign.pk])
    before, logged = _state(foreign), LogEntry.objects.count()

    # The positive control: the same URLs answer the object's own admin (a superuser for platform records).
    control = _client(superuser if platform_only else world.user(VIEWER))
    for route in _routes(model_admin):
        url = reverse(f"admin:{route[0]}", args=_args(route, own))
        response = control.get(url)
        assert response.status_code not in (404, 500), (url, response.status_code)

    for route in _routes(model_admin):
        url = reverse(f"admin:{route[0]}", args=_args(route, foreign))
        response = viewer.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if route[1]:
            if not route[0].endswith("_tree_import_preview"):
                assert response.status_code in allowed, (url, response.status_code)
        elif response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            body = response.content.decode()
            assert change_url not in body, f"{url} links to tenant A's object"
            form = getattr(response, "context", None) and response.context.get("adminform")
            if form is not None:
                assert _choices_tenants(form.form) <= {world.tenants[OWN].pk, None}, f"{url} offers A's records"
        else:
            assert response.status_code in (200, 302, 403), (url, response.status_code)  # 403: no right to add

        if route[1] and not route[0].endswith(("_tree_import_preview", "_history")):
            # Posting the change, delete or revert form of A's object: 404, nothing saved, nothing logged.
            response = viewer.post(url, {"post": "yes", "name": "改名", "duties": "越权", "is_active": "on"})
            assert response.status_code in allowed, ("POST", url, response.status_code)

    # The changelist searched for the object, and every action posted with it selected.
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    term = _search_term(model_admin, None, foreign)
    response = viewer.get(changelist, {"q": term} if term else {})
    assert response.status_code in ({200} if not platform_only else {403}), response.status_code
    assert change_url not in response.content.decode()
    for action in model_admin.actions or []:
        name_ = action if isinstance(action, str) else action.__name__
        response = viewer.post(changelist, {"action": name_, "_selected_action": [foreign.pk], "post": "yes"})
        assert response.status_code in (200, 302, 403), (name_, response.status_code)
    response = viewer.post(changelist, {"action": "delete_selected", "_selected_action": [foreign.pk], "post": "yes"})
    assert response.status_code in (200, 302, 403)

    assert _state(foreign) == before, "tenant A's object changed"
    assert LogEntry.objects.count() == logged, "the admin logged a change it did not make"


def _relations_to(model):
    """(source model, field name) of every relation from a registered model to `model`."""
    found = []
    for source in REGISTERED:
        for field in source._meta.get_fields():
            if getattr(field, "concrete", False) and field.is_relation and field.related_model is model:
                if field.many_to_one or field.many_to_many or field.one_to_one:
                    found.append((source, field.name))
    return found


AUTOCOMPLETE = [
    (target, source, field)
    for target in REGISTERED
    if admin.site._registry[target].search_fields
    for source, field in _relations_to(target)
]


@pytest.mark.parametrize(
    ("target", "source", "field"),
    AUTOCOMPLETE,
    ids=[f"{s._meta.label}.{f}->{t._meta.label}" for t, s, f in AUTOCOMPLETE],
)
def test_autocomplete_offers_only_the_viewers_tenant(target, source, field, world):
    name = _name(target)
    make = PLATFORM_ONLY.get(name) or SHARED.get(name) or SCOPED[name]
    foreign, own = make(world, FOREIGN), make(world, OWN)
    model_admin = admin.site._registry[target]
    viewer = _client(world.user(VIEWER))
    url = reverse("admin:autocomplete")
    query = {"app_label": source._meta.app_label, "model_name": source._meta.model_name, "field_name": field}
    response = viewer.get(url, {**query, "term": _search_term(model_admin, None, foreign)})
    assert response.status_code in (200, 403, 404), response.status_code
    if response.status_code == 200:
        ids = {str(r["id"]) for r in response.json()["results"]}
        assert str(foreign.pk) not in ids
        if name in SCOPED and target._meta.get_field(source._meta.get_field(field).target_field.name).primary_key:
            own_answer = viewer.get(url, {**query, "term": _search_term(model_admin, None, own)})
            assert str(own.pk) in {str(r["id"]) for r in own_answer.json()["results"]}
    else:
        assert name in PLATFORM_ONLY


def test_the_admin_index_lists_no_platform_records_for_a_tenant_admin(world):
    body = _client(world.user(VIEWER)).get(reverse("admin:index")).content.decode()
    for model in REGISTERED:
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert (changelist in body) == (_name(model) in SCOPED or _name(model) in SHARED), model._meta.label


@pytest.mark.parametrize("name", sorted(SHARED))
def test_shared_reference_data_is_read_only(name, world, superuser):
    """A tenant admin reads shared reference data and changes none of it (403, nothing saved, nothing logged)."""
    model = next(m for m in REGISTERED if _name(m) == name)
    row = SHARED[name](world, OWN)
    info = model._meta.app_label, model._meta.model_name
    viewer = _client(world.user(VIEWER))
    assert viewer.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert viewer.get(reverse("admin:{}_{}_change".format(*info), args=[row.pk])).status_code == 200
    before, logged = _state(row), LogEntry.objects.count()
    for url_name in ("change", "delete"):
        url = reverse(f"admin:{info[0]}_{info[1]}_{url_name}", args=[row.pk])
        assert viewer.post(url, {"post": "yes", "note": "改", "is_workday": "on"}).status_code == 403
    assert viewer.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403
    assert _state(row) == before and LogEntry.objects.count() == logged
    assert _client(superuser).get(reverse("admin:{}_{}_change".format(*info), args=[row.pk])).status_code == 200
