"""The district's switch for staff names on residents' pages (default: roles, not names) and the grid worker's
回访 page (list the closed hotline and walk-in events, record the call's outcome)."""

import pytest

from events.choices import RatingSource, Satisfaction, Source, Status
from events.models import Event
from residents import reporting
from residents.models import ResidentSettings
from tests.events.conftest import EventWorld

from .helpers import signed_in_resident
from .test_reports import LAMP

HEAD = "A/S1/C1:grid_head"


@pytest.fixture
def ev(world):
    return EventWorld(world)


def _accepted_report(ev, world):
    client, account = signed_in_resident(world)
    event = reporting.file_report(account=account, category_id=ev.category(name=LAMP).pk, description="路灯坏了")
    ev.step(event, "accept")
    return client, event


def test_residents_see_roles_not_names_unless_the_district_shows_names(ev, world):
    client, event = _accepted_report(ev, world)
    head = world.user(HEAD)
    role = head.assignments.select_related("post").first().post.name
    page = client.get(f"/r/reports/{event.pk}/").content.decode()
    assert head.display_name and head.display_name not in page
    assert f"· {role}" in page
    assert "居民随手拍" not in page and "居民上报通道" not in page  # the intake account is named by no one
    ResidentSettings.objects.create(tenant=world.tenants["A"], show_staff_names=True)
    page = client.get(f"/r/reports/{event.pk}/").content.decode()
    assert f"· {head.display_name}" in page
    assert "居民随手拍" not in page


def _closed_hotline_event(ev, source=Source.HOTLINE):
    event = ev.report(source=source, resident_name="李四", resident_phone="13700001111")
    for step in ("accept", "dispatch", "sign", "handle", "verify"):
        ev.step(event, step)
    event.refresh_from_db()
    assert event.status == Status.CLOSED
    return event


def test_the_grid_worker_records_the_follow_up_call(ev, world, client_for):
    hotline = _closed_hotline_event(ev)
    walk_in = _closed_hotline_event(ev, Source.WALK_IN)
    staff = ev.report()
    worker = client_for("A/S1/C1/G1:grid_worker")
    page = worker.get("/residents/callbacks/").content.decode()
    assert f'value="{hotline.pk}"' in page and f'value="{walk_in.pk}"' in page
    assert f'value="{staff.pk}"' not in page
    assert "137****1111" in page and "13700001111" not in page
    response = worker.post("/residents/callbacks/", {"event": hotline.pk, "level": Satisfaction.BASIC,
                                                     "comment": "修得还行"})
    assert response.status_code == 302
    hotline.refresh_from_db()
    assert hotline.satisfaction == Satisfaction.BASIC and hotline.satisfaction_source == RatingSource.CALLBACK
    page = worker.get("/residents/callbacks/").content.decode()
    assert f'value="{hotline.pk}"' not in page and f'data-callback="{hotline.pk}"' in page
    # A second call, a bad level, a resident's own report: refused in words, nothing changed.
    assert worker.post("/residents/callbacks/", {"event": hotline.pk, "level": "dissatisfied"}).status_code == 400
    assert worker.post("/residents/callbacks/", {"event": walk_in.pk, "level": "meh"}).status_code == 400
    assert Event.objects.get(pk=walk_in.pk).satisfaction == ""
    # Out of scope or missing: 404.
    foreign = ev.report(path="B/S1/C1/G1", source=Source.HOTLINE, resident_phone="13700002222")
    Event.objects.filter(pk=foreign.pk).update(status=Status.CLOSED, close_reason="fixed")
    assert worker.post("/residents/callbacks/", {"event": foreign.pk, "level": "satisfied"}).status_code == 404
    assert worker.post("/residents/callbacks/", {"event": "x", "level": "satisfied"}).status_code == 404
    assert Event.objects.get(pk=foreign.pk).satisfaction == ""


def test_a_call_waiting_without_the_residents_name_or_phone_leaves_no_empty_separator(ev, world, client_for):
    """The demo's year of history, inserted in bulk, has hotline events with neither (filing asks for one)."""
    event = _closed_hotline_event(ev)
    Event.objects.filter(pk=event.pk).update(resident_name="", resident_phone_encrypted="", resident_phone_index="",
                                                resident_phone_masked="")
    page = client_for("A/S1/C1/G1:grid_worker").get("/residents/callbacks/").content.decode()
    assert f'value="{event.pk}"' in page
    assert "热线 · 结案时间" in page and "热线 ·  ·" not in page


def test_the_admin_names_the_reopen_requests_in_chinese():
    """The admin's index and the request's page showed 'Reopen requests', 'Event', 'Reason' on a zh-hans page."""
    from django.utils import translation

    from residents.models import ReopenRequest

    with translation.override("zh-hans"):
        assert str(ReopenRequest._meta.verbose_name_plural) == "重新办理申请"
        labels = [str(ReopenRequest._meta.get_field(name).verbose_name) for name in ("event", "reason", "answer")]
        assert labels == ["事件", "原因", "答复"]
