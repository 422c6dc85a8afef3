"""Every admin URL of every registered model, walked by the other tenant's admin for an object of tenant A.

For each model in `admin.site._registry` a case (see below) makes one object of a given tenant. The walk then asks, as
B's admin, for every URL the model admin serves (changelist, add, change, history, a past version of
django-simple-history, delete, and any custom page), posts the change, delete and revert forms and every action,
and asks the autocomplete of every relation that points at the model. An object of A must answer 404 (or be absent
from lists and choices), nothing may change, and the admin's log must not grow. The same URLs must work for B's own
object, so the walk cannot pass by breaking the pages.

Each app contributes its cases in tests/<app>/admin_cases.py (as its scope cases in tests/<app>/scope_cases.py for
tests/test_scope.py): a module with three dicts SCOPED, PLATFORM_ONLY and SHARED, each mapping a model's class name
to a factory(world, tenant_key) that makes one object of that tenant ("A" or "B"); the walk merges them all.
tests/grids/admin_cases.py holds the cases of grids and of the third-party admins (groups, API tokens, axes) and the
helpers the other apps' cases use. A model registered without a case, or with an admin that is neither
tenant-scoped, shared reference data nor platform-only (grids.admin_scope), fails
`test_every_registered_model_has_a_case` or `test_every_admin_is_scoped_or_platform_only`.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.forms import ModelChoiceField
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, reverse

import tests
from grids.admin_scope import PlatformOnlyAdminMixin, SharedReferenceAdminMixin, TenantScopedAdminMixin
from tests.world import make_user

pytestmark = pytest.mark.django_db

VIEWER = "B:admin"
OWN, FOREIGN = "B", "A"


def _collect():
    """Merge the SCOPED, PLATFORM_ONLY and SHARED dicts of every tests/<app>/admin_cases.py; a model's case in two
    modules is an error, not a silent override."""
    merged = {"SCOPED": {}, "PLATFORM_ONLY": {}, "SHARED": {}}
    owner = {}
    for module in sorted(pkgutil.iter_modules(tests.__path__), key=lambda m: m.name):
        if not module.ispkg:
            continue
        try:
            cases = importlib.import_module(f"tests.{module.name}.admin_cases")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{module.name}.admin_cases":
                raise
            continue
        for kind, into in merged.items():
            for name, make in getattr(cases, kind).items():
                assert name not in owner, f"{name}: admin cases in both {owner[name]} and {cases.__name__}"
                owner[name] = cases.__name__
                into[name] = make
    return merged["SCOPED"], merged["PLATFORM_ONLY"], merged["SHARED"]


# object_name → factory(world, tenant_key) → one object of that tenant. Keyed by class name, not app label: the
# models move between apps (events.assessment → assessment, grids.exports → exports) without changing the walk.
# SCOPED: a tenant's records, reached by that tenant's admin only. PLATFORM_ONLY: records that are no tenant's, a
# tenant admin reaches none of them (403 or 404 everywhere), a superuser all. SHARED: reference data of no tenant,
# the same for all (the national working calendar): every tenant admin reads it, only a superuser changes it.
SCOPED, PLATFORM_ONLY, SHARED = _collect()

REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)


def _name(model):
    return model._meta.object_name


def test_every_registered_model_has_a_case():
    missing = [m._meta.label for m in REGISTERED if _name(m) not in {**SCOPED, **PLATFORM_ONLY, **SHARED}]
    assert not missing, f"admin models without a case in any tests/<app>/admin_cases.py: {missing}"
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
