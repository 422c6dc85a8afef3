"""Pages and API: intake, the case page and its steps, the outside mediator's reach, the audit of reads."""

import pytest

from audit.models import Entry
from mediation import services
from mediation.models import Case

from .conftest import HEAD, NOW


@pytest.fixture
def as_user(world, client):
    def sign_in(key):
        client.force_login(world.user(key))
        return client

    return sign_in


def test_a_walk_in_case_is_registered_from_the_form_and_stepped_on_its_page(med, as_user):
    client = as_user(HEAD)
    form = client.get("/mediation/new/")
    assert form.status_code == 200
    response = client.post("/mediation/new/", {
        "node": med.world.nodes["A/S1/C1/G1"].pk, "channel": "walk_in", "dispute_type": med.dispute_type().pk,
        "body": med.body.pk, "risk": "low", "facts": "楼上漏水", "amount": "300",
        "applicant_name": "张三", "applicant_phone": "13905518230", "respondent_name": "李四",
    })
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mediation/{case.pk}/"
    page = client.get(f"/mediation/{case.pk}/")
    assert b"139****8230" in page.content and b"13905518230" not in page.content
    assert Entry.objects.filter(action="mediation.read", kind="read").count() == 1
    assert client.post(f"/mediation/{case.pk}/step/accept/").status_code == 302
    again = client.post(f"/mediation/{case.pk}/step/accept/")
    assert again.status_code == 409
    assert client.post(f"/mediation/{case.pk}/step/assign/", {"mediator": med.inside.pk}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == "assigned"
    assert client.get("/mediation/").status_code == 200


def test_the_form_refuses_a_node_out_of_scope_and_changes_nothing(med, as_user):
    client = as_user(HEAD)
    response = client.post("/mediation/new/", {
        "node": med.world.nodes["A/S1/C2/G1"].pk, "channel": "walk_in", "dispute_type": med.dispute_type().pk,
        "risk": "low", "facts": "x", "applicant_name": "张三",
    })
    assert response.status_code == 400 and not Case.objects.exists()


def test_the_outside_mediator_sees_their_case_and_404_on_every_other_on_pages_and_api(med, as_user):
    given, other = med.register(), med.register()
    sibling = med.register(path="A/S1/C2/G1", actor="A/S1/C2:grid_head", body=False)
    services.accept(actor=med.user(HEAD), case=given.pk, now=NOW)
    services.assign(actor=med.user(HEAD), case=given.pk, mediator=med.lawyer, now=NOW)
    client = as_user("lawyer")
    assert client.get(f"/mediation/{given.pk}/").status_code == 200
    assert client.get(f"/api/v1/mediation/cases/{given.pk}/").status_code == 200
    for case in (other, sibling):
        assert client.get(f"/mediation/{case.pk}/").status_code == 404
        assert client.get(f"/api/v1/mediation/cases/{case.pk}/").status_code == 404
        assert client.post(f"/api/v1/mediation/cases/{case.pk}/step/", {"step": "begin"}).status_code == 404
    listed = client.get("/api/v1/mediation/cases/").json()["results"]
    assert [row["id"] for row in listed] == [given.pk]
    assert client.post(f"/api/v1/mediation/cases/{given.pk}/step/", {"step": "begin"}).status_code == 200
    # the lawyer may not archive (that is the head's) nor see the case once it has ended
    client.post(f"/api/v1/mediation/cases/{given.pk}/step/", {"step": "terminate", "reason": "分歧过大"})
    assert client.post(f"/api/v1/mediation/cases/{given.pk}/step/", {"step": "archive"}).status_code == 403
    services.archive(actor=med.user(HEAD), case=given.pk, now=NOW)
    assert client.get(f"/mediation/{given.pk}/").status_code == 404


def test_the_api_registers_with_ids_from_elsewhere_answered_as_unknown(med, as_user):
    client = as_user(HEAD)
    body = {"node": med.world.nodes["A/S1/C1/G1"].pk, "channel": "phone", "dispute_type": med.dispute_type().pk,
            "facts": "噪音", "parties": [{"role": "applicant", "kind": "person", "name": "张三"}]}
    created = client.post("/api/v1/mediation/cases/register/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    elsewhere = client.post("/api/v1/mediation/cases/register/", {**body, "node": med.world.nodes["B/S1/C1/G1"].pk},
                            content_type="application/json")
    missing = client.post("/api/v1/mediation/cases/register/", {**body, "node": 10**8},
                          content_type="application/json")
    assert elsewhere.status_code == missing.status_code == 404
    foreign_type = client.post("/api/v1/mediation/cases/register/",
                               {**body, "dispute_type": med.dispute_type(tenant="B").pk}, content_type="application/json")
    assert foreign_type.status_code == 400 and Case.objects.count() == 1
