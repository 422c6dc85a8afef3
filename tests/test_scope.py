"""Every route is scoped: a sibling's or another tenant's record is invisible (404 on detail, absent from lists).

The test walks the URL resolver, so a route added without a scope case fails `test_every_route_has_a_case`.
Each app contributes its cases in tests/<app>/scope_cases.py (see tests/scope_cases.py for the shape).
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.scope_cases import SCOPE_CASES as GRIDS_CASES
from tests.scope_cases import listed

VIEWER = "A/S1/C1:grid_head"
IGNORED_NAMESPACES = {"admin"}  # the admin has its own scope tests (tests/grids/test_admin_scope.py)


def all_cases():
    cases = dict(GRIDS_CASES)
    for module in pkgutil.iter_modules(tests.__path__):
        if module.ispkg:
            try:
                found = importlib.import_module(f"tests.{module.name}.scope_cases")
            except ModuleNotFoundError:
                continue
            cases.update(found.SCOPE_CASES)
    return cases


def route_names(patterns=None, namespace=""):
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in IGNORED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= route_names(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                # DRF's format-suffix twins and static serving; every real route is named.
                if "format" in entry.pattern.regex.groupindex or "path" in entry.pattern.regex.groupindex:
                    continue
                names.add(f"{namespace}<unnamed {entry.pattern}>")
            else:
                names.add(f"{namespace}{entry.name}")
    return names


CASES = all_cases()
ROUTES = sorted(route_names())


def test_every_route_has_a_case():
    missing = [name for name in ROUTES if name not in CASES]
    assert not missing, f"routes without a scope case: {missing}"


def test_no_stale_cases():
    stale = [name for name in CASES if name not in ROUTES]
    assert not stale, f"scope cases for routes that no longer exist: {stale}"


def _kwargs(case, obj):
    return case.get("kwargs", lambda o: {"pk": o.pk})(obj)


def _request(client, case, url):
    if case.get("method", "get") == "post":
        return client.post(url, case.get("data", {}))
    return client.get(url, case.get("query", {}))


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in ROUTES if CASES.get(n, {}).get("kind") == "object"])
def test_detail_routes_hide_siblings_and_other_tenants(name, world, client_for):
    case = CASES[name]
    objects = case["objects"](world)  # first: it may make the case's viewer (tests/cities/scope_cases.py)
    client = client_for(case.get("viewer", VIEWER))
    inside = _request(client, case, reverse(name, kwargs=_kwargs(case, objects["inside"])))
    assert inside.status_code != 404, f"{name}: a record inside the viewer's subtree is not found"
    assert inside.status_code < 500
    for which in ("sibling", "foreign"):
        obj = objects.get(which)
        if obj is None:
            continue
        response = _request(client, case, reverse(name, kwargs=_kwargs(case, obj)))
        assert response.status_code == 404, f"{name}: the {which} record answers {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in ROUTES if CASES.get(n, {}).get("kind") == "list"])
def test_lists_hide_siblings_and_other_tenants(name, world, client_for):
    case = CASES[name]
    objects = case["objects"](world)
    client = client_for(case.get("viewer", VIEWER))
    kwargs = case.get("kwargs", lambda w: {})(world)
    response = client.get(reverse(name, kwargs=kwargs), case.get("query", {}))
    assert response.status_code == 200
    marker = case["marker"]
    body = listed(marker, response)
    assert marker(objects["inside"]) in body, f"{name}: the inside record is missing"
    for which in ("sibling", "foreign"):
        obj = objects.get(which)
        if obj is not None:
            assert marker(obj) not in body, f"{name}: the {which} record is listed"


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in ROUTES if CASES.get(n, {}).get("kind") == "self"])
def test_own_pages_answer_the_viewer(name, world, client_for):
    case = CASES[name]
    case.get("prepare", lambda w: None)(world)  # makes a viewer the world does not hold (a city officer)
    url = reverse(name, kwargs=case.get("kwargs", lambda w: {})(world))
    response = client_for(case.get("viewer", VIEWER)).get(url, case.get("query", {}))
    assert response.status_code in (200, 400), f"{name}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [n for n in ROUTES if CASES.get(n, {}).get("kind") in ("object", "list", "self")]
)
def test_scoped_routes_need_sign_in(name, world, client):
    case = CASES[name]
    if case["kind"] == "object":
        kwargs = _kwargs(case, case["objects"](world)["inside"])
    else:
        kwargs = case.get("kwargs", lambda w: {})(world)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code in (302, 401, 403), f"{name}: anonymous got {response.status_code}"
