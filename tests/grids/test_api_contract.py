"""The OpenAPI schema tells the truth: the roster is one array (it was documented as a cursor page with filters it
ignored), and every status an operation answers — 400, 403, 404, 409 — is declared for it (yaohai.core.schema)."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HEAD = "A/S1/C1:grid_head"
MISSING = 987654321


@pytest.fixture
def schema(world, client_for):
    response = client_for(HEAD).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def _declared(schema, path, method):
    return {int(code) for code in schema["paths"][path][method]["responses"]}


def test_the_roster_is_documented_as_the_array_it_is(schema, world, client_for):
    operation = schema["paths"]["/api/v1/nodes/{id}/roster/"]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    assert [p["name"] for p in operation["parameters"]] == ["id"]  # no cursor, no filters it would ignore
    response = client_for(HEAD).get(reverse("node-roster", args=[world.nodes["A/S1/C1"].pk]), {"kind": "grid"})
    assert response.status_code == 200 and isinstance(response.json(), list) and response.json()


def test_every_operation_declares_its_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = {int(c) for c in operation["responses"]}
            where = f"{method.upper()} {path}"
            if "{id}" in path:
                assert 404 in codes, where
            if "requestBody" in operation:
                assert 400 in codes, where
            if path.startswith("/api/v1/events/{id}/") and method == "post":
                # a workflow step; revealing the caller's phone is no step (403 only)
                assert ({403} if path.endswith("/reveal-phone/") else {403, 409}) <= codes, where


def _concrete(path, pk):
    return path.replace("{id}", str(pk))


def test_what_the_api_answers_is_what_the_schema_declares(schema, world, client_for):
    """Walk every operation with a missing id, an unreadable cursor, a bad filter and an empty body: each answer's
    status is one the schema declares for that operation."""
    client = client_for(HEAD)
    undeclared = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = _declared(schema, path, method)
            url = _concrete(path, MISSING)
            tries = []
            if method == "get":
                tries.append(client.get(url))
                params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
                for name in params:
                    tries.append(client.get(url, {name: "∅garbage"}))
            elif method == "post":
                tries.append(client.post(url, "{not json", content_type="application/json"))
                tries.append(client.post(url, {}, content_type="application/json"))
            for response in tries:
                if response.status_code not in declared:
                    undeclared.append((method.upper(), path, response.status_code, response.content[:120]))
    assert not undeclared, undeclared


def test_a_step_that_does_not_apply_is_a_declared_409(schema, world, client_for):
    from events.catalogue import install_event_catalogue
    from events.models import Category
    from events.services import report_event

    install_event_catalogue(world.tenants["A"])
    event = report_event(
        actor=world.user("A/S1/C1/G1:grid_worker"), node=world.nodes["A/S1/C1/G1"],
        category=Category.objects.filter(tenant=world.tenants["A"], parent__isnull=False).first(), title="楼道堆物",
    )
    client = client_for(HEAD)
    assert client.post(reverse("event-accept", args=[event.pk]), {}, content_type="application/json").status_code == 200
    again = client.post(reverse("event-accept", args=[event.pk]), {}, content_type="application/json")
    assert again.status_code == 409 and 409 in _declared(schema, "/api/v1/events/{id}/accept/", "post")
