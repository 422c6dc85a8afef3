"""Service centres and activities: places never overbooked, check-in and its signal after commit, summary."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from parties import services
from parties.models import Activity, SignUp
from parties.signals import attendance_recorded
from tests.parties.centres import NOW, STARTS, activity
from tests.registry import factories as registry
from yaohai.core.errors import Conflict, NotFound


def people(world, count, path="A/S1/C1/G1", start=1):
    return [registry.resident(world.node(path), name=f"居民{n}", id_number=registry.make_id(seq=n), phone="")
            for n in range(start, start + count)]


def test_centres_sit_at_their_level_and_activities_in_their_sections(world):
    with pytest.raises(ValidationError):
        services.open_centre(node=world.node("A/S1/C1/G1"), level="community", name="x", place="y", hours="z")
    station = services.open_centre(node=world.node("A/S1/C1/G1"), level="station", name="家门口服务站", place="y",
                                   hours="z", sections=[("charity", "")])
    with pytest.raises(ValidationError):
        activity(world, centre=station)  # the station has no 文体活动 section


def test_never_more_sign_ups_than_places(world):
    event = activity(world, capacity=2)
    a, b, c = people(world, 3)
    services.sign_up(activity=event, resident=a, now=NOW)
    with pytest.raises(Conflict):
        services.sign_up(activity=event, resident=a, now=NOW)
    services.sign_up(activity=event, user=world.user("A/S1/C1/G1:grid_worker"), now=NOW)
    with pytest.raises(Conflict):
        services.sign_up(activity=event, resident=c, now=NOW)
    event.refresh_from_db()
    assert event.signed_up == 2 == SignUp.objects.filter(activity=event).count()
    services.cancel_sign_up(sign_up=SignUp.objects.get(activity=event, resident=a), now=NOW)
    services.sign_up(activity=event, resident=c, now=NOW)
    with pytest.raises(Conflict):
        services.sign_up(activity=event, resident=b, now=STARTS)  # closed once it starts
    with pytest.raises(NotFound):
        services.sign_up(activity=event, resident=people(world, 1, "B/S1/C1/G1", start=9)[0], now=NOW)


def test_check_in_sends_the_attendance_after_commit(world, django_capture_on_commit_callbacks):
    event = activity(world)
    person = people(world, 1)[0]
    row = services.sign_up(activity=event, resident=person, now=NOW)
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    attendance_recorded.connect(receiver)
    try:
        with pytest.raises(Conflict):  # a day early
            services.check_in(sign_up=row, now=NOW)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.check_in(sign_up=row, now=STARTS + dt.timedelta(minutes=5))
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert heard == [{"signal": attendance_recorded, "activity_id": event.pk, "person_id": person.pk,
                          "user_id": None, "hours": Decimal("2.0")}]
        with pytest.raises(Conflict):
            services.check_in(sign_up=row, now=STARTS + dt.timedelta(minutes=6))
    finally:
        attendance_recorded.disconnect(receiver)


def test_an_activity_is_summarised_after_it_ends(world):
    event = activity(world)
    with pytest.raises(ValidationError):
        services.summarise_activity(activity=event, summary="很好", now=NOW)
    services.summarise_activity(activity=event, summary="二十人参加", now=STARTS + dt.timedelta(hours=3))
    assert Activity.objects.get(pk=event.pk).summary == "二十人参加"
    with pytest.raises(NotFound):
        services.summarise_activity(activity=event, summary="x", actor=world.user("B:admin"),
                                    now=STARTS + dt.timedelta(hours=3))
