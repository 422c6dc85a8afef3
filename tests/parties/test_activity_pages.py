"""The activity pages: a member (a staff user) sees the coming activities of her community and signs up; the
organiser or an officer checks her in (the attendance signal follows the commit); her own page shows her
activities and service hours. Times are computed from the clock the services read (timezone.now)."""

import datetime as dt

import pytest
from django.utils import timezone

from parties import services
from parties.models import SignUp
from tests.parties.factories import party_tree

pytestmark = pytest.mark.django_db

HEAD = "A/S1/C1:grid_head"
WORKER = "A/S1/C1/G1:grid_worker"


def _activity(world, starts_in=dt.timedelta(minutes=30), capacity=2, community="A/S1/C1", name="社区1党群服务中心"):
    centre = services.open_centre(node=world.node(community), level="community", name=name, place="社区1路1号",
                                  hours="8:30-17:30", sections=[("culture", "文体活动室")])
    starts = timezone.now() + starts_in
    return services.plan_activity(centre=centre, section="culture", title="重阳节包饺子", starts_at=starts,
                                  ends_at=starts + dt.timedelta(hours=2), place="活动室", capacity=capacity,
                                  organiser=world.user(HEAD))


def test_a_member_signs_up_and_is_checked_in(world, client_for, django_capture_on_commit_callbacks):
    from parties.signals import attendance_recorded

    activity = _activity(world)
    worker = world.user(WORKER)
    me = client_for(WORKER)
    listed = me.get("/parties/activities/").content.decode()
    assert f'data-id="{activity.pk}"' in listed and "重阳节包饺子" in listed
    page = me.get(f"/parties/activities/{activity.pk}/").content.decode()
    assert 'data-testid="sign-up"' in page and 'data-testid="sign-ups"' not in page  # no check-in for her
    assert me.post(f"/parties/activities/{activity.pk}/sign-up/").status_code == 302
    row = SignUp.objects.get(activity=activity)
    assert row.user_id == worker.pk and row.checked_in_at is None
    activity.refresh_from_db()
    assert activity.signed_up == 1
    again = me.post(f"/parties/activities/{activity.pk}/sign-up/", follow=True).content.decode()
    assert "已经报过名了" in again  # "Signed up already." in her language, and nothing changed
    activity.refresh_from_db()
    assert activity.signed_up == 1
    assert me.post(f"/parties/sign-ups/{row.pk}/check-in/").status_code == 404  # she does not check herself in
    heard = []
    attendance_recorded.connect(lambda sender, **kw: heard.append(kw), weak=False, dispatch_uid="test-heard")
    try:
        head = client_for(HEAD)
        page = head.get(f"/parties/activities/{activity.pk}/").content.decode()
        assert f'data-id="{row.pk}"' in page and 'data-testid="do-check-in"' in page
        with django_capture_on_commit_callbacks(execute=True):
            assert head.post(f"/parties/sign-ups/{row.pk}/check-in/").status_code == 302
    finally:
        attendance_recorded.disconnect(dispatch_uid="test-heard")
    row.refresh_from_db()
    assert row.checked_in_at is not None
    assert [(h["activity_id"], h["user_id"]) for h in heard] == [(activity.pk, worker.pk)]
    twice = client_for(HEAD).post(f"/parties/sign-ups/{row.pk}/check-in/")
    assert twice.status_code == 409 and 'data-testid="error"' in twice.content.decode()
    mine = me.get("/parties/mine/").content.decode()
    assert "重阳节包饺子" in mine and 'data-testid="attended">1<' in mine and 'data-testid="activity-hours">2.0<' in mine


def test_check_in_opens_an_hour_before_and_places_never_overbook(world, client_for):
    activity = _activity(world, starts_in=dt.timedelta(days=2), capacity=1)
    first, second = client_for(WORKER), client_for("A/S1/C1/G2:grid_worker")
    assert first.post(f"/parties/activities/{activity.pk}/sign-up/").status_code == 302
    full = second.post(f"/parties/activities/{activity.pk}/sign-up/", follow=True).content.decode()
    assert "名额" in full  # "No places are left."
    assert SignUp.objects.filter(activity=activity).count() == 1
    row = SignUp.objects.get(activity=activity)
    early = client_for(HEAD).post(f"/parties/sign-ups/{row.pk}/check-in/")
    assert early.status_code == 409
    row.refresh_from_db()
    assert row.checked_in_at is None


def test_the_organiser_checks_in_at_her_own_activity_only(world, client_for):
    worker = world.user(WORKER)  # a grid worker keeps no party building; she organises this one
    centre = services.open_centre(node=world.node("A/S1/C1"), level="community", name="中心", place="路",
                                  hours="全天", sections=[("culture", "")])
    starts = timezone.now() + dt.timedelta(minutes=20)
    own = services.plan_activity(centre=centre, section="culture", title="太极拳", starts_at=starts,
                                 ends_at=starts + dt.timedelta(hours=1), place="广场", capacity=5, organiser=worker)
    other = services.plan_activity(centre=centre, section="culture", title="书法", starts_at=starts,
                                   ends_at=starts + dt.timedelta(hours=1), place="活动室", capacity=5,
                                   organiser=world.user(HEAD))
    guest = world.user("A/S1/C1/G2:grid_worker")
    mine_row = services.sign_up(activity=own, user=guest)
    theirs = services.sign_up(activity=other, user=guest)
    organiser = client_for(WORKER)
    assert 'data-testid="do-check-in"' in organiser.get(f"/parties/activities/{own.pk}/").content.decode()
    assert organiser.post(f"/parties/sign-ups/{mine_row.pk}/check-in/").status_code == 302
    assert organiser.post(f"/parties/sign-ups/{theirs.pk}/check-in/").status_code == 404
    mine_row.refresh_from_db()
    theirs.refresh_from_db()
    assert mine_row.checked_in_at is not None and theirs.checked_in_at is None
    from audit.models import Entry

    assert Entry.objects.filter(action="parties.activity.check_in").get().actor_id == worker.pk


def test_activities_of_another_community_are_not_hers(world, client_for):
    other = _activity(world, community="A/S1/C2", name="社区2党群服务中心")
    me = client_for(WORKER)
    assert f'data-id="{other.pk}"' not in me.get("/parties/activities/").content.decode()
    assert me.get(f"/parties/activities/{other.pk}/").status_code == 404
    assert me.post(f"/parties/activities/{other.pk}/sign-up/").status_code == 404
    assert not SignUp.objects.exists()
    # the consultation tab only for those who keep it
    assert 'href="/parties/topics/"' not in me.get("/parties/mine/").content.decode()
    assert 'href="/parties/topics/"' in client_for(HEAD).get("/parties/mine/").content.decode()


def test_her_own_page_shows_her_membership_and_service_hours(world, client_for):
    tree = party_tree(world)
    worker = world.user(WORKER)
    member = services.admit_member(org=tree.branch, user=worker, joined_on=dt.date(2015, 7, 1), in_service=True,
                                   work_unit="区医院")
    registration = services.register_at_home(member=member, community=world.node("A/S1/C1"),
                                             on_date=dt.date(2025, 3, 1))
    services.log_service_hours(registration=registration, on_date=dt.date(2025, 3, 8), hours="2.5", what="清理楼道")
    services.log_service_hours(registration=registration, on_date=dt.date(2025, 4, 8), hours=1, what="敬老院服务")
    page = client_for(WORKER).get("/parties/mine/").content.decode()
    assert "网格1党支部" in page and "清理楼道" in page and 'data-testid="service-hours">3.5<' in page
    other = client_for("A/S1/C1/G2:grid_worker").get("/parties/mine/").content.decode()
    assert "清理楼道" not in other and "网格1党支部" not in other
