"""The parties API: named actions through the services, drafts never served, bodies' ids read through the scope."""

import datetime as dt

from parties import services
from parties.models import Notice, Topic
from tests.parties.centres import centre
from tests.registry import factories as registry

GRID = "A/S1/C1/G1"


def _topic(world):
    return services.raise_topic(actor=None, node=world.node(GRID), title="楼道照明", source="grid_worker",
                                due_on=dt.date(2030, 1, 1))


def test_topic_steps_are_named_actions(world, client_for):
    topic = _topic(world)
    head, worker = client_for("A/S1/C1:grid_head"), client_for(f"{GRID}:grid_worker")
    assert worker.post(f"/api/v1/parties/topics/{topic.pk}/accept/", {}).status_code == 403
    answer = head.post(f"/api/v1/parties/topics/{topic.pk}/accept/", {})
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    assert head.post(f"/api/v1/parties/topics/{topic.pk}/accept/", {}).status_code == 409
    assert head.patch(f"/api/v1/parties/topics/{topic.pk}/", {"status": "closed"},
                      content_type="application/json").status_code == 405
    assert Topic.objects.get(pk=topic.pk).status == "accepted"


def test_sign_up_reads_the_person_through_the_scope(world, client_for):
    start = dt.datetime(2030, 6, 1, 9, tzinfo=dt.UTC)  # ahead of any clock the suite runs under
    event = services.plan_activity(centre=centre(world), section="culture", title="太极", starts_at=start,
                                   ends_at=start + dt.timedelta(hours=2), place="活动室", capacity=5,
                                   organiser=world.user("A/S1/C1:grid_head"))
    head = client_for("A/S1/C1:grid_head")
    mine = registry.resident(world.node(GRID), name="居民甲", id_number=registry.make_id(seq=1), phone="")
    foreign = registry.resident(world.node("B/S1/C1/G1"), name="居民乙", id_number=registry.make_id(seq=2), phone="")
    refused = head.post(f"/api/v1/parties/activities/{event.pk}/sign-up/", {"resident": foreign.pk})
    assert refused.status_code == 404  # out of scope answers like a missing id
    unknown = head.post(f"/api/v1/parties/activities/{event.pk}/sign-up/", {"resident": 999999})
    assert unknown.json() == refused.json()
    taken = head.post(f"/api/v1/parties/activities/{event.pk}/sign-up/", {"resident": mine.pk})
    assert taken.status_code == 200 and taken.json()["signed_up"] == 1


def test_the_api_serves_published_notices_only(world, client_for):
    topic = _topic(world)
    services.accept_topic(actor=None, topic=topic)
    meeting = services.schedule_meeting(actor=None, topic=topic, starts_at=dt.datetime(2029, 1, 1, tzinfo=dt.UTC),
                                        place="议事厅")
    services.record_meeting(actor=None, meeting=meeting, minutes="同意")
    services.resolve_topic(actor=None, topic=topic, resolution="更换灯泡", on_date=dt.date(2029, 1, 2))
    draft = services.draft_notice(actor=None, topic=topic, title="草稿公示", body="正文")
    head = client_for("A/S1/C1:grid_head")
    assert "草稿公示" not in head.get("/api/v1/parties/notices/").content.decode()
    assert head.get(f"/api/v1/parties/notices/{draft.pk}/").status_code == 404
    services.publish_notice(actor=None, notice=draft)
    assert "草稿公示" in head.get("/api/v1/parties/notices/").content.decode()
    assert Notice.objects.published().count() == 1
