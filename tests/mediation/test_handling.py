"""Handling: sessions (typed or photographed record), evidence, the extension with the parties' agreement, the
agreement and its judicial confirmation, follow-ups, the sweep of time limits, the printable pages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.notifications import about
from mediation import handling, services
from mediation.models import Agreement, Case, FollowUp
from tests.events.images import jpeg_bytes
from yaohai.core.errors import Invalid, NotFound

from .conftest import HEAD

TZ = dt.timezone(dt.timedelta(hours=8))
SEPT_5 = dt.datetime(2026, 9, 5, 10, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def in_mediation(med, now=SEPT_5):
    case = med.register()
    head = med.user(HEAD)
    services.accept(actor=head, case=case.pk, now=now)
    services.assign(actor=head, case=case.pk, mediator=med.inside, now=now)
    services.begin(actor=med.inside_user, case=case.pk, now=now)
    return Case.objects.get(pk=case.pk)


def test_a_session_keeps_a_typed_record_or_a_reencoded_photo_of_the_signed_sheet(med):
    case = in_mediation(med)
    typed = handling.hold_session(actor=med.inside_user, case=case.pk, held_at=SEPT_5, place="社区调解室",
                                  participants="张三、李四、王调解", record="双方陈述意见")
    assert typed.record and not typed.photo
    upload = SimpleUploadedFile("sheet.png", jpeg_bytes(fmt="PNG"), content_type="image/png")
    photographed = handling.hold_session(actor=med.inside_user, case=case.pk, held_at=SEPT_5, place="社区调解室",
                                         participants="张三、李四", photo=upload)
    assert photographed.photo.name.endswith(".jpg")
    with pytest.raises(Invalid):
        handling.hold_session(actor=med.inside_user, case=case.pk, held_at=SEPT_5, place="x", participants="y")
    bad = SimpleUploadedFile("sheet.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(Invalid):
        handling.hold_session(actor=med.inside_user, case=case.pk, held_at=SEPT_5, place="x", participants="y",
                              photo=bad)
    assert case.sessions.count() == 2
    with pytest.raises(NotFound):  # the grid worker may not read the case at all
        handling.add_evidence(actor=med.user("A/S1/C1/G1:grid_worker"), case=case.pk, description="照片")
    assert handling.add_evidence(actor=med.inside_user, case=case.pk, description="漏水照片").pk


def test_the_time_limit_is_extended_only_with_the_parties_agreement(med):
    case = in_mediation(med)
    assert case.due_on == dt.date(2026, 10, 8)
    with pytest.raises(Invalid):
        handling.extend(actor=med.inside_user, case=case.pk, days=10, parties_agreed=False)
    extended = handling.extend(actor=med.inside_user, case=case.pk, days=10, parties_agreed=True, note="双方同意")
    assert extended.due_on == dt.date(2026, 10, 15) and extended.extended_days == 10
    assert case.logs.filter(action="extend").count() == 1


def test_the_sweep_warns_before_the_time_limit_and_flags_it_passed_once(med):
    case = in_mediation(med)
    handling.sweep(now=dt.datetime(2026, 9, 20, 9, tzinfo=TZ))
    assert not about(case).filter(kind__in=("near_deadline", "overdue")).exists()
    # 5 October falls in the National Day holiday: the limit is 8 October; warned from the 5th, overdue on the 9th.
    result = handling.sweep(now=dt.datetime(2026, 10, 5, 9, tzinfo=TZ))
    assert (result.due_soon, result.overdue) == (1, 0)
    assert handling.sweep(now=dt.datetime(2026, 10, 8, 9, tzinfo=TZ)).overdue == 0
    result = handling.sweep(now=dt.datetime(2026, 10, 9, 9, tzinfo=TZ))
    assert result.overdue == 1
    told = set(about(case).filter(kind="overdue").values_list("user_id", flat=True))
    assert told == {med.user(HEAD).pk, med.inside_user.pk}
    handling.sweep(now=dt.datetime(2026, 10, 10, 9, tzinfo=TZ))
    assert about(case).filter(kind="overdue").count() == 2


def test_agreement_confirmation_within_30_days_follow_up_and_performance(med):
    case = in_mediation(med)
    services.agree(actor=med.inside_user, case=case.pk, terms="李四赔偿张三1200元", performance_method="现金",
                   perform_by=dt.date(2026, 9, 30), now=SEPT_5)
    agreement = Agreement.objects.get(case=case)
    assert agreement.signed_on == dt.date(2026, 9, 5)
    assert FollowUp.objects.get(case=case).due_on == dt.date(2026, 10, 7)
    with pytest.raises(Invalid):
        handling.apply_for_confirmation(actor=med.inside_user, case=case.pk, applied_on=dt.date(2026, 10, 6))
    handling.apply_for_confirmation(actor=med.inside_user, case=case.pk, applied_on=dt.date(2026, 10, 5))
    services.confirm(actor=med.inside_user, case=case.pk, result="瑶海区人民法院裁定有效", now=SEPT_5)
    services.follow_up(actor=med.inside_user, case=case.pk, performance="partial", note="已付600元",
                       now=dt.datetime(2026, 10, 8, 9, tzinfo=TZ))
    agreement.refresh_from_db()
    assert (agreement.confirmation, agreement.performance) == ("confirmed", "partial")
    assert FollowUp.objects.get(case=case).visited_on == dt.date(2026, 10, 8)


def test_an_agreement_needs_terms_and_a_performance_date(med):
    case = in_mediation(med)
    with pytest.raises(Invalid):
        services.agree(actor=med.inside_user, case=case.pk, terms="", perform_by=dt.date(2026, 9, 30), now=SEPT_5)
    with pytest.raises(Invalid):
        services.agree(actor=med.inside_user, case=case.pk, terms="x", perform_by=dt.date(2026, 9, 1), now=SEPT_5)
    assert Case.objects.get(pk=case.pk).status == "in_mediation" and not Agreement.objects.exists()


def test_the_agreement_prints_on_a4_and_the_case_file_is_audited(med, client):
    from audit.models import Entry

    case = in_mediation(med)
    client.force_login(med.inside_user)
    assert client.get(f"/mediation/{case.pk}/agreement/").status_code == 404
    response = client.post(f"/mediation/{case.pk}/step/agree/", {
        "form": "written", "terms": "李四赔偿张三1200元", "perform_by": "2030-01-31", "performance_method": "转账",
    })
    assert response.status_code == 302
    page = client.get(f"/mediation/{case.pk}/agreement/")
    html = page.content.decode()
    assert "人民调解协议书" in html and "李四赔偿张三1200元" in html and "size: A4" in html and "（印章）" in html
    assert "13905518230" not in html and "139****8230" in html
    assert client.get(f"/mediation/{case.pk}/file/").status_code == 200
    assert Entry.objects.filter(action__in=("mediation.read_agreement", "mediation.read_file"), kind="read").count() == 2
