"""Open311 GeoReport v2, checked against the spec's examples (wiki.open311.org/GeoReport_v2): every endpoint in
JSON and XML, its status codes and the spec's error list; requests filed through the events services by the
district's intake account; the public projection carries no personal data and no other district's events; bad
input of any shape is a 4xx in the spec's format, never a 500 (a hypothesis fuzz)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.choices import Source, Status
from events.models import Event
from grids.services import update_node
from residents import open311
from residents.models import Open311Request, ResidentSettings
from tests.events.conftest import EventWorld
from yaohai.core.personal import crypto

from .test_reports import LAMP, square

GRID = "A/S1/C1/G1"
INSIDE = {"lat": "31.8605", "long": "117.3005"}
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]


@pytest.fixture
def ev(world):
    ev = EventWorld(world)
    update_node(node=world.nodes[GRID], boundary=square(117.30, 31.86, 117.31, 31.87))
    return ev


@pytest.fixture
def key(world):
    _client, key = open311.new_client(tenant=world.tenants["A"], name="市民App")
    return key


def api():
    return Client(enforce_csrf_checks=True)  # as an outside client: no session, no CSRF token


def a_code(world):
    return world.tenants["A"].code


def post(ev, world, key, fmt="json", **extra):
    data = {"jurisdiction_id": a_code(world), "service_code": ev.category(name=LAMP).pk, "api_key": key,
            "description": "路灯不亮，张三 13912345678 反映", "first_name": "三", "last_name": "张",
            "phone": "13912345678", "email": "zs@example.cn", **INSIDE, **extra}
    return api().post(f"/open311/v2/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def test_services_list_in_json_and_xml(ev, world):
    response = api().get("/open311/v2/services.json", {"jurisdiction_id": a_code(world)})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    services = response.json()
    lamp = next(s for s in services if s["service_name"] == LAMP)
    assert list(lamp) == SERVICE_FIELDS
    assert lamp["service_code"] == str(ev.category(name=LAMP).pk) and lamp["metadata"] is False
    assert lamp["type"] == "realtime" and lamp["group"] == ev.category(name=LAMP).parent.name
    assert str(ev.category("B", name=LAMP).pk) not in {s["service_code"] for s in services}

    response = api().get("/open311/v2/services.xml", {"jurisdiction_id": a_code(world)})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "services" and len(root) == len(services)
    first = root.find("service")
    assert [child.tag for child in first] == SERVICE_FIELDS and first.findtext("metadata") == "false"


def test_a_service_definition(ev, world):
    code = ev.category(name=LAMP).pk
    response = api().get(f"/open311/v2/services/{code}.json", {"jurisdiction_id": a_code(world)})
    assert response.status_code == 200 and response.json() == {"service_code": str(code), "attributes": []}
    root = ET.fromstring(api().get(f"/open311/v2/services/{code}.xml", {"jurisdiction_id": a_code(world)}).content)
    assert root.tag == "service_definition" and root.findtext("service_code") == str(code)
    assert root.find("attributes") is not None
    foreign = ev.category("B", name=LAMP).pk
    for bad in (foreign, 99999999, "abc"):
        response = api().get(f"/open311/v2/services/{bad}.json", {"jurisdiction_id": a_code(world)})
        assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_the_jurisdiction_is_required_and_must_exist(ev, world):
    response = api().get("/open311/v2/services.json")
    assert response.status_code == 400
    assert list(response.json()[0]) == ["code", "description"] and response.json()[0]["code"] == 400
    response = api().get("/open311/v2/services.xml", {"jurisdiction_id": "999999"})
    assert response.status_code == 404
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and root.find("error").findtext("code") == "404"
    assert root.find("error").findtext("description")


def test_posting_a_request_files_an_event_by_the_intake_account(ev, world, key):
    response = post(ev, world, key)
    assert response.status_code == 200, response.content
    [answer] = response.json()
    assert set(answer) == {"service_request_id", "token", "service_notice", "account_id"}
    event = Event.objects.get(reference=answer["service_request_id"])
    assert event.source == Source.RESIDENT and event.status == Status.REPORTED
    assert event.node_id == world.nodes[GRID].pk and event.reporter.username == f"intake-{a_code(world)}"
    assert "13912345678" not in event.resident_name and "139****5678" in event.resident_name
    row = Open311Request.objects.get(event=event)
    assert row.token == answer["token"] and row.client.name == "市民App"
    assert "13912345678" not in row.contact_encrypted
    assert json.loads(crypto.decrypt(row.contact_encrypted, open311.CONTACT_PURPOSE))["phone"] == "13912345678"
    # The dispatchers of the grid hear of it like any event.
    from events.models import Notification
    assert Notification.objects.filter(user=world.user("A/S1/C1:grid_head"), event=event).exists()
    # The XML answer of the same.
    root = ET.fromstring(post(ev, world, key, fmt="xml", description="另一盏").content)
    assert root.tag == "service_requests" and root.find("request").findtext("service_request_id")


def test_posting_needs_a_valid_key_of_the_district_unless_it_accepts_anonymous(ev, world, key):
    _b, key_of_b = open311.new_client(tenant=world.tenants["B"], name="乙区App")
    for bad_key in (None, "nonsense", key_of_b):
        response = post(ev, world, bad_key)
        assert response.status_code == 403 and response.json()[0]["code"] == 403
    assert not Event.objects.exists()
    ResidentSettings.objects.create(tenant=world.tenants["A"], open311_anonymous=True)
    assert post(ev, world, None).status_code == 200
    assert Open311Request.objects.get().client is None
    assert post(ev, world, "nonsense").status_code == 403  # a key given must still be valid


def test_bad_posts_are_refused_with_the_reason_and_change_nothing(ev, world, key, settings):
    update_node(node=world.nodes["A"], boundary=square(117.0, 31.5, 117.5, 32.0))
    cases = [
        ({"service_code": ""}, 400), ({"service_code": "abc"}, 404),
        ({"service_code": ev.category("B", name=LAMP).pk}, 404),
        ({"lat": None, "long": None, "address_string": "合肥市瑶海区"}, 400),
        ({"lat": "91", "long": "117.3"}, 400), ({"lat": "31.8", "long": "118.5"}, 400),  # outside the district
        ({"lat": "31.6", "long": "117.1"}, 400),  # inside the district, in no grid
        ({"description": "a\x00b"}, 400), ({"jurisdiction_id": ""}, 400), ({"jurisdiction_id": "000000"}, 404),
    ]
    for extra, status in cases:
        response = post(ev, world, key, **extra)
        assert response.status_code == status, (extra, response.content)
        assert response.json()[0]["code"] == status and response.json()[0]["description"]
    assert not Event.objects.exists()
    settings.RESIDENT_RATE_LIMITS = {"open311_client": (1, 86400)}
    assert post(ev, world, key).status_code == 200
    response = post(ev, world, key)
    assert response.status_code == 429 and response.json()[0]["code"] == 429
    assert Event.objects.count() == 1


def test_the_public_projection_carries_no_personal_data(ev, world, key):
    reference = post(ev, world, key).json()[0]["service_request_id"]
    staff = ev.report(title="家暴警情", description="王五家", lon=117.3011, lat=31.8611, resident_phone="13700000000")
    response = api().get("/open311/v2/requests.json", {"jurisdiction_id": a_code(world)})
    assert response.status_code == 200
    rows = response.json()
    assert [r["service_request_id"] for r in rows] == [reference]  # staff-filed events are not public
    row = rows[0]
    assert list(row) == REQUEST_FIELDS
    assert row["status"] == "open" and row["service_name"] == LAMP and row["status_notes"]
    assert row["description"] is None and row["media_url"] is None
    assert row["lat"] == 31.8605 and row["long"] == 117.3005
    assert row["requested_datetime"].endswith("+08:00")
    body = response.content.decode()
    for secret in ("13912345678", "139****5678", "张三", "zs@example.cn", "intake-", staff.reference):
        assert secret not in body
    one = api().get(f"/open311/v2/requests/{reference}.xml", {"jurisdiction_id": a_code(world)})
    assert one.status_code == 200
    request = ET.fromstring(one.content).find("request")
    assert [child.tag for child in request] == REQUEST_FIELDS and request.findtext("status") == "open"
    # Another district's jurisdiction, a staff event, nonsense: the same 404.
    for jurisdiction, ref in ((world.tenants["B"].code, reference), (a_code(world), staff.reference),
                              (a_code(world), "E000")):
        response = api().get(f"/open311/v2/requests/{ref}.json", {"jurisdiction_id": jurisdiction})
        assert response.status_code == 404 and response.json()[0]["code"] == 404
    assert api().get("/open311/v2/requests.json", {"jurisdiction_id": world.tenants["B"].code}).json() == []


def test_get_requests_filters_as_the_spec_says(ev, world, key):
    first = post(ev, world, key).json()[0]["service_request_id"]
    second = post(ev, world, key, description="又一盏").json()[0]["service_request_id"]
    event = Event.objects.get(reference=first)
    for step in ("accept", "dispatch", "sign", "handle", "verify"):
        ev.step(event, step)

    def ids(**params):
        response = api().get("/open311/v2/requests.json", {"jurisdiction_id": a_code(world), **params})
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    assert ids() == [second, first]
    assert ids(status="closed") == [first] and ids(status="open") == [second]
    assert ids(status="open,closed") == [second, first]
    assert ids(service_request_id=f"{first},{second}", status="open") == [second, first]  # the others ignored
    assert ids(service_code=str(ev.category().pk)) == []
    assert ids(start_date="2000-01-01T00:00:00Z", end_date="2000-01-02T00:00:00Z") == []
    assert ids(end_date="0001-01-02T00:00:00Z") == []  # 90 days before it is no date: from the first one
    assert ids(start_date="0001-01-01T00:00:00", end_date="9999-12-31T23:59:59-12:00") == [second, first]
    closed = api().get(f"/open311/v2/requests/{first}.json", {"jurisdiction_id": a_code(world),
                                                                "extensions": "true"}).json()[0]
    assert closed["status"] == "closed" and closed["expected_datetime"] is None
    assert closed["extended_attributes"]["status_detail"] == "closed"
    for params in ({"status": "nonsense"}, {"start_date": "yesterday"}, {"end_date": "2026-13-45T00:00:00Z"},
                   {"start_date": "2026-11-02T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"},
                   {"service_request_id": ",".join(["x"] * 51)}, {"service_code": "1;drop"}):
        response = api().get("/open311/v2/requests.json", {"jurisdiction_id": a_code(world), **params})
        assert response.status_code == 400 and response.json()[0]["code"] == 400, params


def test_tokens(ev, world, key):
    answer = post(ev, world, key).json()[0]
    response = api().get(f"/open311/v2/tokens/{answer['token']}.json", {"jurisdiction_id": a_code(world)})
    assert response.status_code == 200
    assert response.json() == [{"service_request_id": answer["service_request_id"], "token": answer["token"]}]
    root = ET.fromstring(api().get(f"/open311/v2/tokens/{answer['token']}.xml",
                                   {"jurisdiction_id": a_code(world)}).content)
    assert root.find("request").findtext("token") == answer["token"]
    for jurisdiction, token in ((world.tenants["B"].code, answer["token"]), (a_code(world), "nope")):
        response = api().get(f"/open311/v2/tokens/{token}.json", {"jurisdiction_id": jurisdiction})
        assert response.status_code == 404


def test_formats_and_methods(ev, world):
    response = api().get("/open311/v2/services.csv", {"jurisdiction_id": a_code(world)})
    assert response.status_code == 404 and response.json()[0]["code"] == 404
    response = api().post("/open311/v2/services.json", {"jurisdiction_id": a_code(world)})
    assert response.status_code == 405 and response["Allow"] == "GET" and response.json()[0]["code"] == 405
    response = api().delete("/open311/v2/requests.xml")
    assert response.status_code == 405 and ET.fromstring(response.content).tag == "errors"


PARAMS = ["jurisdiction_id", "service_code", "lat", "long", "api_key", "description", "status", "start_date",
          "end_date", "service_request_id", "extensions", "phone", "first_name"]
WORDS = st.one_of(st.text(max_size=40), st.sampled_from(["340102", "340103", "open", "closed", "true", "117.3",
                                                          "31.86", "2026-11-25T09:00:00+08:00", "-1", "1e309"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["services", "services/1", "requests", "requests/E1", "tokens/x"]),
       fmt=st.sampled_from(["json", "xml", "html"]), method=st.sampled_from(["get", "post"]),
       params=st.dictionaries(st.sampled_from(PARAMS), WORDS, max_size=6))
def test_any_input_is_an_answer_or_the_specs_error_never_a_500(ev, world, path, fmt, method, params):
    response = getattr(api(), method)(f"/open311/v2/{path}.{fmt}", params)
    assert response.status_code < 500, (path, fmt, method, params, response.content[:300])
    if response.status_code >= 400:
        body = response.content
        if fmt == "xml":
            assert ET.fromstring(body).tag == "errors"
        else:
            assert json.loads(body)[0]["code"] == response.status_code
