"""随手拍: filed through the events services by the district's intake account, source "resident"; the resident
follows her own reports only, sees their public steps only, hears of acceptance, dispatch and closure; duplicates
offered nearby and joined; abuse refused (blocked accounts, rate limits, bad photos, places outside the district)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from events import duplicates
from events.choices import Source, Status
from events.models import Event, Notification
from grids.services import update_node
from residents import reporting, services
from residents.choices import LinkRole, NoticeKind
from residents.models import ReportLink, ResidentNotice
from tests.events.conftest import EventWorld
from tests.events.images import jpeg_bytes
from yaohai.core.errors import Invalid, NotAllowed

from .helpers import signed_in_resident

LAMP = "路灯不亮"
GRID = "A/S1/C1/G1"


@pytest.fixture
def ev(world):
    return EventWorld(world)


def square(west, south, east, north):
    return {"type": "Polygon",
            "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]}


def test_a_report_is_filed_as_an_event_of_her_grid_and_reaches_its_dispatchers(ev, world):
    client, account = signed_in_resident(world)
    photo = SimpleUploadedFile("lamp.jpg", jpeg_bytes(exif=True), content_type="image/jpeg")
    response = client.post("/r/report/", {
        "category": ev.category(name=LAMP).pk, "description": "小区门口路灯不亮", "key": "k1", "photos": photo,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert event.source == Source.RESIDENT and event.status == Status.REPORTED
    assert event.node_id == world.nodes[GRID].pk  # her community's first grid
    assert event.reporter.username == "intake-340102" and not event.reporter.has_usable_password()
    assert "13800001111" not in event.resident_name and "138****1111" in event.resident_name
    assert ReportLink.objects.get(event=event).account == account
    assert event.photos.count() == 1
    head = world.user("A/S1/C1:grid_head")
    assert Notification.objects.filter(user=head, event=event).exists()
    # The same form sent twice files one event.
    client.post("/r/report/", {"category": ev.category(name=LAMP).pk, "description": "小区门口路灯不亮", "key": "k1"})
    assert Event.objects.count() == 1


def test_she_sees_only_her_own_reports_and_only_their_public_steps(ev, world):
    client, account = signed_in_resident(world)
    other_client, _other = signed_in_resident(world, phone="13800002222")
    event = reporting.file_report(account=account, category_id=ev.category(name=LAMP).pk, description="路灯坏了")
    ev.step(event, "accept", note="内部备注：先别处理")
    ev.step(event, "dispatch")
    page = client.get(f"/r/reports/{event.pk}/").content.decode()
    assert "内部备注" not in page and "城管队员" not in page and "城管中队" not in page
    assert world.user("A/S1/C1:grid_head").display_name not in page
    assert page.count("<li>") >= 3  # reported, accepted, sent
    assert other_client.get(f"/r/reports/{event.pk}/").status_code == 404
    assert str(event.reference) not in other_client.get("/r/reports/").content.decode()
    staff_event = ev.report()
    assert client.get(f"/r/reports/{staff_event.pk}/").status_code == 404
    assert client.get("/r/reports/99999999/").status_code == 404


def test_followers_hear_of_acceptance_dispatch_and_closure(ev, world):
    _c, account = signed_in_resident(world)
    _c2, supporter = signed_in_resident(world, phone="13800003333")
    event = reporting.file_report(account=account, category_id=ev.category(name=LAMP).pk, description="路灯坏了")
    reporting.join_event(account=supporter, event_id=event.pk)
    for step in ("accept", "dispatch", "sign", "handle", "verify"):
        ev.step(event, step)
    assert Event.objects.get(pk=event.pk).status == Status.CLOSED
    for who in (account, supporter):
        kinds = list(ResidentNotice.objects.filter(account=who).order_by("id").values_list("kind", flat=True))
        assert kinds == [NoticeKind.ACCEPTED, NoticeKind.DISPATCHED, NoticeKind.CLOSED]


def test_duplicates_are_ranked_by_distance_then_time(ev, world):
    lamp = ev.category(name=LAMP)
    base_lon, base_lat = 117.3000, 31.8600
    now = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    far = ev.report(category=lamp, lon=base_lon + 0.0004, lat=base_lat, now=now)  # ≈ 38 m
    near_old = ev.report(category=lamp, lon=base_lon + 0.0001, lat=base_lat, now=now - dt.timedelta(days=2))
    near_new = ev.report(category=lamp, lon=base_lon, lat=base_lat + 0.00009, now=now - dt.timedelta(days=1))
    ev.report(category=lamp, lon=base_lon + 0.001, lat=base_lat, now=now)  # ≈ 95 m: outside 50 m
    ev.report(category=ev.category(), lon=base_lon, lat=base_lat, now=now)  # another kind
    Event.objects.filter(pk=near_old.pk).update(created_at=now - dt.timedelta(days=2))
    Event.objects.filter(pk=near_new.pk).update(created_at=now - dt.timedelta(days=1))
    Event.objects.filter(pk=far.pk).update(created_at=now)
    old = ev.report(category=lamp, lon=base_lon, lat=base_lat, now=now)
    Event.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=8))  # outside the window
    found = duplicates.candidates(tenant_id=world.tenants["A"].pk, category=lamp, lon=base_lon, lat=base_lat, now=now)
    ids = [event.pk for event, _m in found]
    # near_new (10.0 m) and near_old (9.5 m) share the 10 m band: the newer first; then the far one (38 m).
    assert ids == [near_new.pk, near_old.pk, far.pk]
    assert [round(m) for _e, m in found] == [10, 9, 38]


def test_the_report_page_offers_a_nearby_report_and_she_joins_it(ev, world):
    client, account = signed_in_resident(world)
    lamp = ev.category(name=LAMP)
    existing = ev.report(category=lamp, lon=117.3, lat=31.86)
    response = client.post("/r/report/", {"category": lamp.pk, "description": "路灯不亮", "lon": "117.30002",
                                          "lat": "31.86001", "key": "k2"})
    page = response.content.decode()
    assert response.status_code == 200 and existing.reference in page
    assert Event.objects.count() == 1
    client.post(f"/r/reports/{existing.pk}/join/")
    link = ReportLink.objects.get(account=account)
    assert link.event_id == existing.pk and link.role == LinkRole.SUPPORTER
    assert client.get(f"/r/reports/{existing.pk}/").status_code == 200
    # Filing anyway makes a new event.
    client.post("/r/report/", {"category": lamp.pk, "description": "另一盏", "lon": "117.30002", "lat": "31.86001",
                               "key": "k3", "file_anyway": "1"})
    assert Event.objects.count() == 2


def test_a_closed_or_foreign_event_cannot_be_joined(ev, world):
    client, _account = signed_in_resident(world)
    closed = ev.event_in("closed")
    foreign = ev.report(path="B/S1/C1/G1")
    for event in (closed, foreign):
        assert client.post(f"/r/reports/{event.pk}/join/").status_code == 404
    assert not ReportLink.objects.exists()


def test_places_outside_the_district_are_refused_in_plain_words(ev, world):
    update_node(node=world.nodes["A"], boundary=square(117.0, 31.5, 117.5, 32.0))
    _c, account = signed_in_resident(world)
    with pytest.raises(Invalid, match="outside|不在"):
        reporting.file_report(account=account, category_id=ev.category(name=LAMP).pk, description="x",
                              lon=118.5, lat=31.8)
    assert not Event.objects.exists()


def test_abuse_blocked_accounts_rate_limits_and_bad_photos(ev, world, settings):
    _c, account = signed_in_resident(world)
    lamp = ev.category(name=LAMP).pk
    with pytest.raises(Invalid):
        reporting.file_report(account=account, category_id=lamp, description="x",
                              uploads=[SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")])
    settings.RESIDENT_RATE_LIMITS = {"report_account": (2, 86400)}
    reporting.file_report(account=account, category_id=lamp, description="一")
    reporting.file_report(account=account, category_id=lamp, description="二")
    with pytest.raises(Invalid):
        reporting.file_report(account=account, category_id=lamp, description="三")
    assert Event.objects.count() == 2
    services.block_account(actor=world.user("A/S1/C1:grid_head"), account_id=account.pk, reason="刷单")
    account.refresh_from_db()
    with pytest.raises(NotAllowed):
        reporting.file_report(account=account, category_id=lamp, description="四")


def test_an_unconfirmed_resident_without_a_community_must_say_where(ev, world):
    _c, account = signed_in_resident(world, community=None)
    with pytest.raises(Invalid):
        reporting.file_report(account=account, category_id=ev.category(name=LAMP).pk, description="x")
    event = reporting.file_report(account=account, category_id=ev.category(name=LAMP).pk, description="x",
                                  grid_id=world.nodes["A/S2/C1/G2"].pk)
    assert event.node_id == world.nodes["A/S2/C1/G2"].pk
    foreign_grid = world.nodes["B/S1/C1/G1"].pk
    with pytest.raises(Invalid):
        reporting.file_report(account=account, category_id=ev.category(name=LAMP).pk, description="x",
                              grid_id=foreign_grid)


def test_every_resident_page_answers_her(ev, world):
    client = Client()
    assert client.get("/r/report/").status_code == 302  # not signed in
    client, _account = signed_in_resident(world)
    for path in ("/r/", "/r/report/", "/r/reports/", "/r/notices/", "/r/community/"):
        assert client.get(path).status_code == 200, path


def test_the_dispatcher_sees_the_candidates_and_merging_keeps_every_reporter_informed(ev, world, client_for):
    lamp = ev.category(name=LAMP)
    _c, first = signed_in_resident(world)
    _c2, second = signed_in_resident(world, phone="13800004444")
    original = reporting.file_report(account=first, category_id=lamp.pk, description="路灯不亮", lon=117.3, lat=31.86)
    twin = reporting.file_report(account=second, category_id=lamp.pk, description="这盏灯坏了", lon=117.30003,
                                 lat=31.86002)
    head = client_for("A/S1/C1:grid_head")
    page = head.get(f"/events/{twin.pk}/").content.decode()
    assert 'data-testid="duplicate-candidates"' in page and original.reference in page
    sibling_head = client_for("A/S1/C2:grid_head")  # sees neither: no candidates leak across jurisdictions
    assert sibling_head.get(f"/events/{twin.pk}/").status_code == 404
    ev.step(twin, "reject", reason="duplicate", duplicate_of=original.pk, note="")
    assert ReportLink.objects.filter(event=original, account=second, role=LinkRole.SUPPORTER).exists()
    assert ResidentNotice.objects.filter(account=second, event=twin, kind=NoticeKind.MERGED).exists()
    for step in ("accept", "dispatch", "sign", "handle", "verify"):
        ev.step(original, step)
    for who in (first, second):
        assert ResidentNotice.objects.filter(account=who, event=original, kind=NoticeKind.CLOSED).exists()
