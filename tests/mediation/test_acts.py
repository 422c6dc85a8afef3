"""The acts beside the table on the case page and in the API: sessions (typed or photographed record), evidence,
the extension, the application for judicial confirmation and its refusal; the agreement as a PDF; the mediator
chosen by the parties. Bad input 400 with a message in the user's language and nothing changed; an act the case's
status refuses 409; another's case 404."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import Entry
from mediation import services
from mediation.models import Agreement, Case, CaseLog, Evidence, Session
from tests.events.images import jpeg_bytes

from .conftest import HEAD
from .test_handling import SEPT_5, TZ, in_mediation


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mediator(med, client):
    client.force_login(med.inside_user)
    return client


def _jpeg(name="sheet.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(size=(120, 90)), content_type="image/jpeg")


def test_a_session_with_the_photo_of_the_signed_record_from_the_case_page(med, mediator):
    case = in_mediation(med)
    page = mediator.get(f"/mediation/{case.pk}/").content.decode()
    assert 'data-testid="act-session"' in page and 'enctype="multipart/form-data"' in page
    response = mediator.post(f"/mediation/{case.pk}/act/session/", {
        "session-held_at": "2026-09-08T14:30", "session-place": "社区调解室", "session-participants": "张三、李四",
        "session-photo": _jpeg(),
    })
    assert response.status_code == 302
    session = Session.objects.get(case=case)
    assert session.photo and session.held_at == dt.datetime(2026, 9, 8, 14, 30, tzinfo=TZ)
    assert CaseLog.objects.filter(case=case, action="session").exists()
    photo = mediator.get(f"/mediation/{case.pk}/photo/session/{session.pk}/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content)[:2] == b"\xff\xd8"
    assert f"/mediation/{case.pk}/photo/session/{session.pk}/" in mediator.get(f"/mediation/{case.pk}/").content.decode()


def test_a_bad_photo_or_a_missing_record_is_400_in_the_users_language_and_nothing_changes(med, mediator):
    case = in_mediation(med)
    not_an_image = SimpleUploadedFile("sheet.jpg", b"not an image at all", content_type="image/jpeg")
    base = {"session-held_at": "2026-09-08T14:30", "session-place": "社区调解室", "session-participants": "张三"}
    response = mediator.post(f"/mediation/{case.pk}/act/session/", {**base, "session-photo": not_an_image},
                             HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and "不是可读取的图片" in response.content.decode()
    response = mediator.post(f"/mediation/{case.pk}/act/session/", base, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and "笔录" in response.content.decode()
    response = mediator.post(f"/mediation/{case.pk}/act/session/", {**base, "session-held_at": "昨天"})
    assert response.status_code == 400
    assert not Session.objects.exists() and not CaseLog.objects.filter(action="session").exists()
    assert mediator.post(f"/mediation/{case.pk}/act/nothing/").status_code == 404


def test_evidence_and_the_extension_from_the_page_and_409_once_the_status_refuses_them(med, mediator):
    case = in_mediation(med)
    assert mediator.post(f"/mediation/{case.pk}/act/evidence/", {
        "evidence-description": "维修收据", "evidence-photo": _jpeg("receipt.png")}).status_code == 302
    assert Evidence.objects.get(case=case).photo
    refused = mediator.post(f"/mediation/{case.pk}/act/extend/", {"extend-days": "10"})
    assert refused.status_code == 400 and Case.objects.get(pk=case.pk).extended_days == 0
    assert mediator.post(f"/mediation/{case.pk}/act/extend/", {
        "extend-days": "10", "extend-parties_agreed": "on", "extend-note": "双方同意"}).status_code == 302
    case.refresh_from_db()
    assert (case.extended_days, case.due_on) == (10, dt.date(2026, 10, 15))
    services.terminate(actor=med.inside_user, case=case.pk, reason="分歧过大")
    for name, data in (("extend", {"extend-days": "5", "extend-parties_agreed": "on"}),
                       ("evidence", {"evidence-description": "又一份"}),
                       ("session", {"session-held_at": "2026-09-09T09:00", "session-place": "x",
                                    "session-participants": "y", "session-record": "z"})):
        response = mediator.post(f"/mediation/{case.pk}/act/{name}/", data)
        assert response.status_code == 409, name
    assert Evidence.objects.count() == 1 and Case.objects.get(pk=case.pk).extended_days == 10


def test_the_api_acts_scoped_409_400_and_their_photo(med, client):
    case = in_mediation(med)
    other = med.register(path="A/S1/C2/G1", actor="A/S1/C2:grid_head", body=False)
    client.force_login(med.inside_user)
    api = f"/api/v1/mediation/cases/{case.pk}"
    made = client.post(f"{api}/session/", {"held_at": "2026-09-08T14:30:00+08:00", "place": "调解室",
                                           "participants": "张三、李四", "record": "双方陈述"},
                       content_type="application/json")
    assert made.status_code == 200, made.content
    assert made.json()["sessions"][0]["record"] == "双方陈述"
    evidence = client.post(f"{api}/evidence/", {"description": "照片", "photo": _jpeg()})
    assert evidence.status_code == 200, evidence.content
    link = evidence.json()["evidence"][0]["photo"]
    assert re.fullmatch(rf"/mediation/{case.pk}/photo/evidence/\d+/", link) and client.get(link).status_code == 200
    bad = client.post(f"{api}/evidence/", {"description": "坏图", "photo": SimpleUploadedFile("x.png", b"junk")},
                      HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400 and "不是可读取的图片" in bad.json()["detail"] and Evidence.objects.count() == 1
    unagreed = client.post(f"{api}/extend/", {"days": 5, "parties_agreed": False}, content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert unagreed.status_code == 400 and "当事人" in unagreed.json()["detail"]
    assert client.post(f"{api}/extend/", {"days": 31, "parties_agreed": True},
                       content_type="application/json").status_code == 400
    assert client.post(f"{api}/extend/", {"days": 5, "parties_agreed": True},
                       content_type="application/json").json()["extended_days"] == 5
    early = client.post(f"{api}/apply-confirmation/", {"applied_on": "2026-09-10"}, content_type="application/json")
    assert early.status_code == 409  # no agreement yet: the table's message
    services.agree(actor=med.inside_user, case=case.pk, terms="赔偿1200元", perform_by=dt.date(2026, 9, 30),
                   now=SEPT_5)
    late = client.post(f"{api}/apply-confirmation/", {"applied_on": "2026-10-30"}, content_type="application/json")
    assert late.status_code == 400 and Agreement.objects.get(case=case).confirmation_applied_on is None
    applied = client.post(f"{api}/apply-confirmation/", {"applied_on": "2026-09-10"}, content_type="application/json")
    assert applied.json()["agreement"]["confirmation_applied_on"] == "2026-09-10"
    refused = client.post(f"{api}/not-confirmed/", {"note": "法院不予确认"}, content_type="application/json")
    assert refused.status_code == 200 and refused.json()["agreement"]["confirmation"] == "refused"
    for name in ("session", "evidence", "extend", "apply-confirmation", "not-confirmed"):
        assert client.post(f"/api/v1/mediation/cases/{other.pk}/{name}/", {}).status_code == 404, name
        assert client.post(f"/api/v1/mediation/cases/10000000/{name}/", {}).status_code == 404, name
    assert client.get(f"/mediation/{other.pk}/photo/evidence/{Evidence.objects.get().pk}/").status_code == 404


def test_the_agreement_is_an_a4_pdf_in_a_chinese_font_and_reading_it_is_audited(med, mediator):
    case = in_mediation(med)
    assert mediator.get(f"/mediation/{case.pk}/agreement.pdf").status_code == 404  # no agreement yet
    services.agree(actor=med.inside_user, case=case.pk, terms="李四赔偿张三1200元\n于月底前付清" * 3,
                   performance_method="转账", perform_by=dt.date(2026, 9, 30), now=SEPT_5)
    response = mediator.get(f"/mediation/{case.pk}/agreement.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    # A4 is 595.28 × 841.89 points; the CJK font is embedded (a subset of WenQuanYi Micro Hei)
    assert re.search(rb"/MediaBox \[0 0 595\.28 841\.89\]", data)
    assert b"/FontFile2" in data and b"WenQuanYi" in data
    assert Entry.objects.filter(action="mediation.read_agreement", kind="read").count() == 1
    assert 'data-testid="agreement-pdf"' in mediator.get(f"/mediation/{case.pk}/").content.decode()


def test_the_parties_choose_the_mediator_and_it_is_recorded(med, client):
    case = med.register()
    head = med.user(HEAD)
    services.accept(actor=head, case=case.pk, now=SEPT_5)
    client.force_login(head)
    response = client.post(f"/mediation/{case.pk}/step/assign/", {"mediator": med.lawyer.pk,
                                                                  "chosen_by_parties": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.mediator_id == med.lawyer.pk and case.chosen_by_parties
    assert "当事人选定" in case.logs.get(action="assign").note  # written in the actor's language (zh-hans)
    # reassigned by the head: no longer the parties' choice
    api = client.post(f"/api/v1/mediation/cases/{case.pk}/step/", {"step": "assign", "mediator": med.inside.pk},
                      content_type="application/json")
    assert api.status_code == 200 and api.json()["chosen_by_parties"] is False
