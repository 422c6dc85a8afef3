"""Co-governance committees and consultation: the topic's table (every allowed step works and logs, every other is
refused and changes nothing), meetings, follow-ups filed as events, notices shown only once published."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from events.catalogue import install_event_catalogue
from events.models import Category, Event
from parties import services
from parties.models import Meeting, Notice, Topic, TopicLog
from parties.workflows import TOPIC_WORKFLOW
from tests import workflows
from tests.registry import factories as registry
from yaohai.core.errors import NotFound
from yaohai.core.workflow import IllegalStep

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=TZ)
GRID = "A/S1/C1/G1"
ADMIN = "A:admin"

# How to walk a fresh topic up to each status, step by step (the withdrawn one withdraws at once).
PATH = ["raised", "accepted", "scheduled", "discussed", "resolved", "implemented", "closed"]


def _raise(world, **extra):
    extra.setdefault("source", "grid_worker")
    return services.raise_topic(actor=world.user(f"{GRID}:grid_worker"), node=world.node(GRID), title="活动场地不足",
                                due_on=dt.date(2026, 12, 31), now=NOW, **extra)


def _take(world, topic, step, actor=None):
    actor = actor or world.user(ADMIN)
    if step == "accept":
        return services.accept_topic(actor=actor, topic=topic)
    if step == "schedule":
        return services.schedule_meeting(actor=actor, topic=topic, starts_at=NOW + dt.timedelta(days=3), place="议事厅")
    if step == "discuss":
        meeting = Meeting.objects.filter(topic=topic, held=False).last()
        if meeting is None:  # a refused step: a meeting the table should not let anyone record
            meeting = Meeting.objects.create(topic_id=topic.pk, starts_at=NOW, place="议事厅", node=topic.node,
                                             tenant_id=topic.tenant_id, community_id=topic.community_id,
                                             street_id=topic.street_id, district_id=topic.district_id,
                                             grid_id=topic.grid_id)
        return services.record_meeting(actor=actor, meeting=meeting, minutes="与会人员一致同意", users=[actor],
                                       votes=[("利用架空层作为活动室", 9, 1, 0)])
    if step == "resolve":
        return services.resolve_topic(actor=actor, topic=topic, resolution="改造架空层为活动室", on_date=NOW.date())
    if step == "implement":
        return services.implement_topic(actor=actor, topic=topic)
    if step == "close":
        return services.close_topic(actor=actor, topic=topic, on_date=NOW.date())
    if step == "withdraw":
        return services.withdraw_topic(actor=actor, topic=topic, note="居民撤回")
    raise AssertionError(step)


STEP_TO = {"accepted": "accept", "scheduled": "schedule", "discussed": "discuss", "resolved": "resolve",
           "implemented": "implement", "closed": "close"}


def _make(world, status, step=None):
    topic = _raise(world)
    if status == "withdrawn":
        _take(world, topic, "withdraw")
    else:
        for reached in PATH[1:PATH.index(status) + 1]:
            _take(world, topic, STEP_TO[reached])
    return Topic.objects.get(pk=topic.pk)


def test_the_topic_table(world):
    def state(topic):
        return Topic.objects.filter(pk=topic.pk).values().get()

    def logs(topic):
        return list(TopicLog.objects.filter(topic_id=topic.pk).order_by("id").values_list("from_status", "to_status",
                                                                                        "actor_id"))

    def take(topic, step, to, refused):
        _take(world, topic, step)

    workflows.check_table(TOPIC_WORKFLOW, make=lambda status, step: _make(world, status, step), take=take,
                          state=state, logs=logs)


def test_a_discussed_topic_may_meet_again(world):
    topic = _make(world, "discussed")
    _take(world, topic, "schedule")
    _take(world, topic, "discuss")
    assert Topic.objects.get(pk=topic.pk).status == "discussed"
    assert Meeting.objects.filter(topic=topic, held=True).count() == 2


def test_steps_are_for_officers_of_the_topics_place(world):
    topic = _raise(world)
    with pytest.raises(NotFound):  # another community's head does not see it at all
        _take(world, topic, "accept", actor=world.user("A/S1/C2:grid_head"))
    from yaohai.core.errors import NotAllowed

    with pytest.raises(NotAllowed):  # the grid worker sees it, and records topics, but does not take steps
        _take(world, topic, "accept", actor=world.user(f"{GRID}:grid_worker"))
    _take(world, topic, "accept", actor=world.user("A/S1/C1:grid_head"))
    assert Topic.objects.get(pk=topic.pk).status == "accepted"


def test_a_meeting_records_attendees_minutes_and_votes(world):
    committee = services.set_up_committee(grid=world.node(GRID), name="宝文国际花园共治委员会")
    owner = registry.resident(world.node(GRID), name="业主甲", id_number=registry.make_id(seq=1), phone="")
    services.seat_member(committee=committee, seat="owner", resident=owner, term_start=dt.date(2026, 1, 1))
    topic = _raise(world, committee=committee, source="committee")
    _take(world, topic, "accept")
    meeting = _take(world, topic, "schedule")
    services.record_meeting(actor=world.user(ADMIN), meeting=meeting, minutes="同意", residents=[owner, owner],
                            users=[world.user(f"{GRID}:grid_worker")], votes=[("同意改造", 12, 2, 1)])
    meeting.refresh_from_db()
    assert meeting.held and meeting.attendees.count() == 2
    assert meeting.attendees.get(resident=owner).seat.seat == "owner"
    assert meeting.votes.get().carried
    with pytest.raises(ValidationError):
        services.record_meeting(actor=world.user(ADMIN), meeting=meeting, minutes="再记一次")


def test_topics_from_events_and_from_residents(world):
    install_event_catalogue(world.tenants["A"])
    install_event_catalogue(world.tenants["B"])
    category = Category.objects.filter(tenant=world.tenants["A"], parent__isnull=False).first()
    worker = world.user(f"{GRID}:grid_worker")
    event = services.consultation.event_services.report_event(actor=worker, node=world.node(GRID), category=category,
                                                               title="毁绿种菜", now=NOW)
    topic = _raise(world, source="event", event=event)
    assert topic.event_id == event.pk
    with pytest.raises(ValidationError):
        _raise(world, source="resident")  # a resident's topic names the resident
    b_worker = world.user("B/S1/C1/G1:grid_worker")
    b_category = Category.objects.filter(tenant=world.tenants["B"], parent__isnull=False).first()
    foreign = services.consultation.event_services.report_event(actor=b_worker, node=world.node("B/S1/C1/G1"),
                                                                 category=b_category, title="乙区事件", now=NOW)
    with pytest.raises(NotFound):
        _raise(world, source="event", event=foreign.pk)
    with pytest.raises(NotFound):  # a worker of another grid records no topic here
        services.raise_topic(actor=world.user("A/S1/C1/G2:grid_worker"), node=world.node(GRID), title="x",
                             due_on=dt.date(2026, 12, 31), source="grid_worker", now=NOW)


def test_a_follow_up_is_filed_as_an_event_and_links_back(world):
    install_event_catalogue(world.tenants["A"])
    category = Category.objects.filter(tenant=world.tenants["A"], parent__isnull=False).first()
    topic = _make(world, "resolved")
    head = world.user("A/S1/C1:grid_head")
    task = services.add_follow_up(actor=head, topic=topic, title="恢复绿地", due_on=dt.date(2026, 12, 15))
    with pytest.raises(ValidationError):  # not before the resolution is carried out
        services.implement_topic(actor=head, topic=topic)
    event = services.file_follow_up_as_event(actor=head, follow_up=task, category=category, now=NOW)
    task.refresh_from_db()
    assert task.event_id == event.pk and Event.objects.get(pk=event.pk).grid_id == world.nodes[GRID].pk
    assert "活动场地不足" in event.description
    with pytest.raises(ValidationError):
        services.file_follow_up_as_event(actor=head, follow_up=task, category=category, now=NOW)
    with pytest.raises(ValidationError):  # another community's grid is not the topic's place
        services.add_follow_up(actor=world.user(ADMIN), topic=topic, title="x", grid=world.node("A/S1/C2/G1"))
    services.finish_follow_up(actor=head, follow_up=task, on_date=dt.date(2026, 12, 10))
    services.implement_topic(actor=head, topic=topic)
    assert Topic.objects.get(pk=topic.pk).status == "implemented"


def test_a_notice_is_visible_only_once_published(world):
    topic = _make(world, "resolved")
    head = world.user("A/S1/C1:grid_head")
    with pytest.raises(ValidationError):
        services.draft_notice(actor=head, topic=_raise(world), title="公示", body="正文")
    notice = services.draft_notice(actor=head, topic=topic, title="关于活动场地的公示", body="经议事会表决……", period_days=7)
    assert not Notice.objects.published().filter(pk=notice.pk).exists()
    assert not Notice.objects.showing(NOW.date()).exists()
    services.publish_notice(actor=head, notice=notice, now=NOW)
    notice.refresh_from_db()
    assert notice.ends_on == NOW.date() + dt.timedelta(days=6)
    assert list(Notice.objects.showing(NOW.date())) == [notice]
    assert not Notice.objects.showing(NOW.date() + dt.timedelta(days=7)).exists()
    assert not Notice.objects.showing(NOW.date() - dt.timedelta(days=1)).exists()
    with pytest.raises(ValidationError):
        services.publish_notice(actor=head, notice=notice, now=NOW)
    with pytest.raises(NotFound):
        services.publish_notice(actor=world.user("B:admin"), notice=notice, now=NOW)


def test_an_illegal_step_is_a_409_in_the_users_language(world):
    topic = _raise(world)
    with pytest.raises(IllegalStep) as refused:
        _take(world, topic, "resolve")
    assert refused.value.status == 409
