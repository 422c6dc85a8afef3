"""No existence oracle in the API: every id a caller sends — in a path, a filter or a body — is looked up through
the caller's scope, and an id of another district gets exactly the answer of an id nobody has (status and body).

Before: `/api/v1/assignments/?user=`, `?node=`, `?post=` and `/api/v1/nodes/?parent=` answered 200 (an empty list)
for another tenant's id and 400 for a missing one.
"""

import json

import pytest
from django.urls import reverse

from events.exports import EVENT_LIST
from events.models import Category, HandlingUnit
from exports.models import ExportJob
from grids.models import Assignment
from tests.events.conftest import GRID, HEAD, WORKER

MISSING = 987654321

# (case id, caller, method, url(ev, id), data(ev, id) or None, foreign id(ev))
CASES = []


def case(name, who, method, url, foreign, data=None):
    CASES.append(pytest.param(who, method, url, data, foreign, id=name))


def _b_node(ev):
    return ev.world.nodes["B/S1/C1/G1"].pk


def _b_user(ev):
    return ev.world.users["B/S1/C1/G1:grid_worker"].pk


def _b_post(ev):
    return ev.world.posts["B"]["grid_worker"].pk


def _b_category(ev):
    return ev.category("B").pk


def _b_event(ev):
    return ev.report(path="B/S1/C1/G1").pk


def _b_assignment(ev):
    return Assignment.objects.filter(tenant=ev.world.tenants["B"]).first().pk


# Filters.
case("assignments?user", HEAD, "get", lambda ev, i: f"{reverse('assignment-list')}?user={i}", _b_user)
case("assignments?node", HEAD, "get", lambda ev, i: f"{reverse('assignment-list')}?node={i}", _b_node)
case("assignments?post", HEAD, "get", lambda ev, i: f"{reverse('assignment-list')}?post={i}", _b_post)
case("nodes?parent", HEAD, "get", lambda ev, i: f"{reverse('node-list')}?parent={i}", _b_node)
case("events?node", HEAD, "get", lambda ev, i: f"{reverse('event-list')}?node={i}", _b_node)
case("events?category", HEAD, "get", lambda ev, i: f"{reverse('event-list')}?category={i}", _b_category)
# Paths.
for name, route, foreign in [
    ("nodes/id", "node-detail", _b_node), ("nodes/id/roster", "node-roster", _b_node),
    ("posts/id", "post-detail", _b_post), ("assignments/id", "assignment-detail", _b_assignment),
    ("events/id", "event-detail", _b_event), ("event-categories/id", "event-category-detail", _b_category),
    ("handling-units/id", "handling-unit-detail", lambda ev: ev.foreign_unit.pk),
]:
    case(name, HEAD, "get", lambda ev, i, route=route: reverse(route, args=[i]), foreign)
case("events/id/accept", HEAD, "post", lambda ev, i: reverse("event-accept", args=[i]), _b_event, lambda ev, i: {})
# Bodies.
case("POST events node", WORKER, "post", lambda ev, i: reverse("event-list"), _b_node,
     lambda ev, i: {"node": i, "category": ev.category().pk, "title": "楼道堆物"})
case("POST events category", WORKER, "post", lambda ev, i: reverse("event-list"), _b_category,
     lambda ev, i: {"node": ev.world.nodes[GRID].pk, "category": i, "title": "楼道堆物"})
case("dispatch unit", HEAD, "post", lambda ev, i: reverse("event-dispatch", args=[ev.event_in("accepted").pk]),
     lambda ev: ev.foreign_unit.pk, lambda ev, i: {"unit": i})
case("dispatch handler", HEAD, "post", lambda ev, i: reverse("event-dispatch", args=[ev.event_in("accepted").pk]),
     _b_user, lambda ev, i: {"handler": i})
case("reject duplicate_of", HEAD, "post", lambda ev, i: reverse("event-reject", args=[ev.event_in("reported").pk]),
     _b_event, lambda ev, i: {"reason": "duplicate", "duplicate_of": i})
case("POST exports node", HEAD, "post", lambda ev, i: reverse("export-list"), _b_node,
     lambda ev, i: {"kind": EVENT_LIST, "parameters": {"node": str(i)}})
case("POST exports category", HEAD, "post", lambda ev, i: reverse("export-list"), _b_category,
     lambda ev, i: {"kind": EVENT_LIST, "parameters": {"category": str(i)}})


def _ask(client, method, url, data):
    if method == "get":
        return client.get(url)
    return client.post(url, json.dumps(data), content_type="application/json")


def _answer(response, the_id):
    body = response.content.decode().replace(str(the_id), "<id>")
    return response.status_code, body


@pytest.mark.parametrize(("who", "method", "url", "data", "foreign"), CASES)
def test_a_foreign_id_answers_as_a_missing_one(who, method, url, data, foreign, ev, client_for):
    foreign_id = foreign(ev)
    client = client_for(who)
    jobs_before = ExportJob.objects.count()
    answers = []
    for the_id in (foreign_id, MISSING):
        response = _ask(client, method, url(ev, the_id), data(ev, the_id) if data else None)
        assert response.status_code < 500
        answers.append(_answer(response, the_id))
    assert answers[0] == answers[1], f"foreign: {answers[0]}\nmissing: {answers[1]}"
    assert answers[0][0] in (400, 404, 409), answers[0]
    assert ExportJob.objects.count() == jobs_before


def test_the_filters_still_filter_by_an_id_in_scope(ev, client_for):
    client = client_for(HEAD)
    node = ev.world.nodes[GRID]
    response = client.get(reverse("assignment-list"), {"node": node.pk})
    assert response.status_code == 200
    assert {row["node"] for row in response.json()["results"]} == {node.pk}
    worker = ev.world.users[WORKER]
    response = client.get(reverse("assignment-list"), {"user": worker.pk})
    assert [row["user"] for row in response.json()["results"]] == [worker.pk]
    response = client.get(reverse("node-list"), {"parent": ev.world.nodes["A/S1/C1"].pk})
    assert response.status_code == 200 and len(response.json()["results"]) == 2
    assert HandlingUnit.objects.exists() and Category.objects.exists()
