"""Co-governance committees and consultation (协商议事): a topic raised by a resident, a committee member, a grid
worker or from an event, carried through TOPIC_WORKFLOW (each step locks, checks, logs); meetings with attendees,
minutes and votes; a resolution; follow-up tasks that may be filed as events; public notices (公示)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import services as event_services
from events.models import Event
from events.rights import REPORT
from grids.choices import NodeKind
from grids.models import GridNode
from grids.scope import scope_for
from yaohai.core.errors import NotFound
from yaohai.core.workflow import Runner, after_commit

from ..choices import Seat, TopicSource, TopicStatus, TopicStep
from ..models import Attendee, Committee, CommitteeSeat, FollowUp, Meeting, Notice, Topic, TopicLog, Vote
from ..rights import MANAGE
from ..signals import consultation_attended
from ..workflows import TOPIC_WORKFLOW
from .common import audit, check_manage, same_tenant

TOPIC_LEVELS = (NodeKind.STREET, NodeKind.COMMUNITY, NodeKind.GRID)


def _rows(actor):
    return Topic.objects.all() if actor is None else Topic.objects.visible_to(actor)


def _may(actor, obj, rule, now) -> bool:
    return actor is None or scope_for(actor, MANAGE).covers(obj)


TOPICS = Runner(TOPIC_WORKFLOW, rows=_rows, may=_may, log_model=TopicLog, log_subject="topic", not_found=True)


def _text(value: str, field: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]})
    if len(value) > max_length:
        raise ValidationError({field: [_("At most %(max)d characters.") % {"max": max_length}]})
    return value


def _within(record, node: GridNode) -> bool:
    """The record sits in the node's subtree (by its stamps)."""
    return record.tenant_id == node.tenant_id and getattr(record, f"{node.kind}_id") == node.pk


# --- committees --------------------------------------------------------------------------------------------------


@transaction.atomic
def set_up_committee(*, grid: GridNode, name: str, compound=None, actor=None) -> Committee:
    """The co-governance committee of a grid (or of one compound in it)."""
    if grid.kind != NodeKind.GRID or grid.is_archived:
        raise ValidationError({"grid": [_("Choose a grid in service.")]})
    same_tenant(compound, grid.tenant_id)
    if compound is not None and compound.grid_id != grid.pk:
        raise ValidationError({"compound": [_("The compound is not in this grid.")]})
    committee = Committee(name=_text(name, "name", 100), compound=compound, node=grid)
    committee.stamp_from(grid)
    check_manage(actor, committee)
    clash = Committee.objects.filter(compound=compound) if compound else Committee.objects.filter(
        node=grid, compound__isnull=True
    )
    if clash.exists():
        raise ValidationError({"name": [_("It has a co-governance committee already.")]})
    committee.save()
    audit.record("parties.committee.create", committee, after={"name": committee.name}, actor=actor)
    return committee


@transaction.atomic
def seat_member(
    *, committee: Committee, seat: str, term_start: dt.date, term_end: dt.date | None = None, resident=None,
    user=None, organisation=None, actor=None,
) -> CommitteeSeat:
    """Someone takes a seat of a committee for a term (a unit's seat names the unit too)."""
    check_manage(actor, committee)
    if seat not in Seat.values:
        raise ValidationError({"seat": [_("Choose one of the offered values.")]})
    if (resident is None) == (user is None):
        raise ValidationError({"person": [_("Choose a person of the registry or a staff user.")]})
    same_tenant(resident, committee.tenant_id)
    same_tenant(organisation, committee.tenant_id)
    if user is not None and user.tenant_id != committee.tenant_id:
        raise NotFound()
    if term_end is not None and term_end < term_start:
        raise ValidationError({"term_end": [_("The term ends after it starts.")]})
    row = CommitteeSeat(committee=committee, seat=seat, resident=resident, user=user, organisation=organisation,
                        term_start=term_start, term_end=term_end, node_id=committee.node_id)
    row.stamp_from(committee.node)
    row.save()
    audit.record("parties.committee.seat", row, after={"seat": seat}, actor=actor)
    return row


# --- topics ------------------------------------------------------------------------------------------------------


@transaction.atomic
def raise_topic(
    *, actor, node: GridNode, title: str, due_on: dt.date, source: str, description: str = "",
    committee: Committee | None = None, resident=None, event: Event | int | None = None,
    now: dt.datetime | None = None,
) -> Topic:
    """A topic raised at a street, community or grid: by a resident (recorded by staff), a committee member, a grid
    worker, or from an event the actor can see. A grid worker (events' `report`) or an officer may record one."""
    now = now or timezone.now()
    if node.kind not in TOPIC_LEVELS or node.is_archived:
        raise ValidationError({"node": [_("Choose a street, community or grid in service.")]})
    if source not in TopicSource.values:
        raise ValidationError({"source": [_("Choose one of the offered values.")]})
    if actor is not None and not (
        scope_for(actor, MANAGE).covers(node) or scope_for(actor, REPORT).covers(node)
    ):
        raise NotFound()
    same_tenant(committee, node.tenant_id)
    same_tenant(resident, node.tenant_id)
    if committee is not None and not _within(committee, node):
        raise ValidationError({"committee": [_("The committee is not within this place.")]})
    if source == TopicSource.EVENT:
        if event is None:
            raise ValidationError({"event": [_("Choose the event the topic comes from.")]})
        events = Event.objects.all() if actor is None else Event.objects.visible_to(actor)
        event = events.filter(pk=getattr(event, "pk", event), tenant_id=node.tenant_id).first()
        if event is None:
            raise NotFound()
    else:
        event = None
    if source == TopicSource.RESIDENT and resident is None:
        raise ValidationError({"resident": [_("Choose the resident who raised it.")]})
    if due_on < timezone.localtime(now).date():
        raise ValidationError({"due_on": [_("The date to resolve it by is in the past.")]})
    topic = Topic(
        title=_text(title, "title", 100), description=_text(description, "description", 4000, required=False),
        committee=committee, source=source, raised_by_resident=resident, raised_by=actor, event=event,
        due_on=due_on, node=node, created_at=now,
    )
    topic.stamp_from(node)
    topic.save()
    TOPICS.log(topic, actor=actor, action="raise", before="", note="")
    audit.record("parties.topic.raise", topic, after={"title": topic.title, "source": source}, actor=actor)
    return topic


def _step(actor, topic, step, to, *, note="", **fields):
    running = TOPICS.begin(actor=actor, obj=topic, step=step)
    for name, value in fields.items():
        setattr(running.obj, name, value)
    running.finish(to, note=note[:500])
    audit.record(f"parties.topic.{step}", running.obj, before={"status": running.before}, after={"status": to},
                 actor=actor)
    return running.obj


@transaction.atomic
def accept_topic(*, actor, topic: Topic | int, note: str = "") -> Topic:
    """The committee (or the community) takes the topic up."""
    return _step(actor, topic, TopicStep.ACCEPT, TopicStatus.ACCEPTED, note=note)


@transaction.atomic
def schedule_meeting(
    *, actor, topic: Topic | int, starts_at: dt.datetime, place: str, agenda: str = ""
) -> Meeting:
    """A meeting on the topic is called (议事会): when, where, what is on the agenda."""
    place = _text(place, "place", 100)
    topic = _step(actor, topic, TopicStep.SCHEDULE, TopicStatus.SCHEDULED)
    meeting = Meeting(topic=topic, starts_at=starts_at, place=place, agenda=_text(agenda, "agenda", 4000, False),
                      node_id=topic.node_id)
    meeting.stamp_from(topic.node)
    meeting.save()
    return meeting


@transaction.atomic
def record_meeting(
    *, actor, meeting: Meeting | int, minutes: str, residents: Iterable = (), users: Iterable = (),
    votes: Iterable[tuple[str, int, int, int]] = (),
) -> Meeting:
    """The meeting was held: its attendees signed in, its minutes and its votes; the topic is discussed."""
    rows = Meeting.objects.all() if actor is None else Meeting.objects.visible_to(actor)
    meeting = rows.select_for_update().filter(pk=getattr(meeting, "pk", meeting)).first()
    if meeting is None:
        raise NotFound()
    if meeting.held:
        raise ValidationError({"meeting": [_("This meeting's record is written already.")]})
    minutes = _text(minutes, "minutes", 20000)
    residents, users = list(residents), list(users)
    for person in residents:
        same_tenant(person, meeting.tenant_id)
    for user in users:
        if user.tenant_id != meeting.tenant_id:
            raise NotFound()
    clean_votes = []
    for motion, yes, no, abstain in votes:
        if min(yes, no, abstain) < 0:
            raise ValidationError({"votes": [_("Vote counts are not negative.")]})
        if max(yes, no, abstain) > 10000:
            raise ValidationError({"votes": [_("A vote counts at most 10000 people.")]})
        clean_votes.append(Vote(meeting=meeting, motion=_text(motion, "votes", 200), in_favour=yes, against=no,
                                abstaining=abstain))
    _step(actor, meeting.topic_id, TopicStep.DISCUSS, TopicStatus.DISCUSSED)
    meeting.minutes, meeting.held = minutes, True
    meeting.save(update_fields=["minutes", "held"])
    seats = {}
    if meeting.topic.committee_id:
        for seat in CommitteeSeat.objects.filter(committee_id=meeting.topic.committee_id, term_end__isnull=True):
            seats.setdefault(("r", seat.resident_id), seat)
            seats.setdefault(("u", seat.user_id), seat)
    residents, users = list({p.pk: p for p in residents}.values()), list({u.pk: u for u in users}.values())
    Attendee.objects.bulk_create(
        [Attendee(meeting=meeting, resident=p, seat=seats.get(("r", p.pk))) for p in residents]
        + [Attendee(meeting=meeting, user=u, seat=seats.get(("u", u.pk))) for u in users]
    )
    Vote.objects.bulk_create(clean_votes)
    for person_id, user_id in [(p.pk, None) for p in residents] + [(None, u.pk) for u in users]:
        after_commit(consultation_attended.send, sender=Meeting, meeting_id=meeting.pk, person_id=person_id,
                     user_id=user_id)  # the points passbook credits taking part (parties/signals.py)
    audit.record("parties.meeting.record", meeting, summary={"attendees": len(residents) + len(users)}, actor=actor)
    return meeting


@transaction.atomic
def resolve_topic(*, actor, topic: Topic | int, resolution: str, on_date: dt.date) -> Topic:
    """The resolution (决议) the meeting reached."""
    resolution = _text(resolution, "resolution", 4000)
    return _step(actor, topic, TopicStep.RESOLVE, TopicStatus.RESOLVED, resolution=resolution, resolved_on=on_date)


@transaction.atomic
def implement_topic(*, actor, topic: Topic | int, note: str = "") -> Topic:
    """The resolution was carried out: every follow-up task is done."""
    current = _rows(actor).filter(pk=getattr(topic, "pk", topic)).first()
    if current is not None and current.follow_ups.filter(done_on__isnull=True).exists():
        raise ValidationError({"follow_ups": [_("Some follow-up tasks are not done yet.")]})
    return _step(actor, topic, TopicStep.IMPLEMENT, TopicStatus.IMPLEMENTED, note=note)


@transaction.atomic
def close_topic(*, actor, topic: Topic | int, on_date: dt.date, note: str = "") -> Topic:
    """The topic's life ends (after its notice, where it had one)."""
    return _step(actor, topic, TopicStep.CLOSE, TopicStatus.CLOSED, note=note, closed_on=on_date)


@transaction.atomic
def withdraw_topic(*, actor, topic: Topic | int, note: str) -> Topic:
    """The topic is dropped before a resolution (the raiser withdrew it, or it was settled otherwise)."""
    note = _text(note, "note", 500)
    return _step(actor, topic, TopicStep.WITHDRAW, TopicStatus.WITHDRAWN, note=note)


# --- follow-ups and notices --------------------------------------------------------------------------------------


RESOLVED = (TopicStatus.RESOLVED, TopicStatus.IMPLEMENTED)


def _topic_for(actor, topic, statuses, message):
    topic = _rows(actor).select_for_update().filter(pk=getattr(topic, "pk", topic)).first()
    if topic is None:
        raise NotFound()
    check_manage(actor, topic)
    if topic.status not in statuses:
        raise ValidationError({"topic": [message]})
    return topic


@transaction.atomic
def add_follow_up(*, actor, topic: Topic | int, title: str, grid: GridNode | None = None, due_on=None) -> FollowUp:
    """A task that carries out the resolution, in a grid of the topic's place (by default the topic's own)."""
    topic = _topic_for(actor, topic, RESOLVED, _("Follow-up tasks carry out a resolution."))
    grid = grid or topic.node
    same_tenant(grid, topic.tenant_id)
    if not _within(grid, topic.node):
        raise ValidationError({"grid": [_("The grid is not within the topic's place.")]})
    task = FollowUp(topic=topic, title=_text(title, "title", 100), due_on=due_on, node=grid)
    task.stamp_from(grid)
    task.save()
    audit.record("parties.followup.add", task, after={"title": task.title}, actor=actor)
    return task


@transaction.atomic
def file_follow_up_as_event(*, actor, follow_up: FollowUp | int, category, description: str = "", now=None) -> Event:
    """File the task as an event through the events workflow (events.services.report_event); the task keeps the
    link to its event, and the event's description names the topic."""
    rows = FollowUp.objects.all() if actor is None else FollowUp.objects.visible_to(actor)
    task = rows.select_for_update().select_related("topic", "node").filter(pk=getattr(follow_up, "pk", follow_up)).first()
    if task is None:
        raise NotFound()
    check_manage(actor, task)
    if task.event_id is not None:
        raise ValidationError({"follow_up": [_("This task was filed as an event already.")]})
    if task.node.kind != NodeKind.GRID:
        raise ValidationError({"follow_up": [_("An event is filed in a grid: give the task a grid first.")]})
    text = _("Follow-up of consultation topic “%(topic)s”.") % {"topic": task.topic.title}
    event = event_services.report_event(
        actor=actor, node=task.node, category=category, title=task.title[:50],
        description=f"{text}\n{description}".strip(), idempotency_key=f"parties-followup-{task.pk}", now=now,
    )
    task.event = event
    task.save(update_fields=["event"])
    audit.record("parties.followup.event", task, after={"event": event.pk}, actor=actor)
    return event


@transaction.atomic
def finish_follow_up(*, actor, follow_up: FollowUp | int, on_date: dt.date) -> FollowUp:
    """A follow-up task is done."""
    rows = FollowUp.objects.all() if actor is None else FollowUp.objects.visible_to(actor)
    task = rows.select_for_update().filter(pk=getattr(follow_up, "pk", follow_up)).first()
    if task is None:
        raise NotFound()
    check_manage(actor, task)
    if task.done_on is not None:
        raise ValidationError({"follow_up": [_("This task is done already.")]})
    task.done_on = on_date
    task.save(update_fields=["done_on"])
    audit.record("parties.followup.done", task, after={"done_on": on_date}, actor=actor)
    return task


@transaction.atomic
def draft_notice(*, actor, topic: Topic | int, title: str, body: str, period_days: int = 7) -> Notice:
    """A public notice (公示) of the topic's resolution, as a draft nobody but its keepers sees."""
    topic = _topic_for(actor, topic, (*RESOLVED, TopicStatus.CLOSED), _("A notice publishes a resolution."))
    if not (1 <= int(period_days) <= 90):
        raise ValidationError({"period_days": [_("A notice period of 1 to 90 days.")]})
    notice = Notice(topic=topic, title=_text(title, "title", 100), body=_text(body, "body", 10000),
                    period_days=int(period_days), node_id=topic.node_id)
    notice.stamp_from(topic.node)
    notice.save()
    audit.record("parties.notice.draft", notice, after={"title": notice.title}, actor=actor)
    return notice


@transaction.atomic
def publish_notice(*, actor, notice: Notice | int, now: dt.datetime | None = None) -> Notice:
    """Publish a notice: shown from today for its notice period."""
    now = now or timezone.now()
    rows = Notice.objects.all() if actor is None else Notice.objects.visible_to(actor)
    notice = rows.select_for_update().filter(pk=getattr(notice, "pk", notice)).first()
    if notice is None:
        raise NotFound()
    check_manage(actor, notice)
    if notice.published_at is not None:
        raise ValidationError({"notice": [_("This notice is published already.")]})
    notice.published_at = now
    notice.ends_on = timezone.localtime(now).date() + dt.timedelta(days=notice.period_days - 1)
    notice.save(update_fields=["published_at", "ends_on"])
    audit.record("parties.notice.publish", notice, after={"ends_on": notice.ends_on}, actor=actor)
    return notice


__all__ = [
    "TOPICS",
    "accept_topic",
    "add_follow_up",
    "close_topic",
    "draft_notice",
    "file_follow_up_as_event",
    "finish_follow_up",
    "implement_topic",
    "publish_notice",
    "raise_topic",
    "record_meeting",
    "resolve_topic",
    "schedule_meeting",
    "seat_member",
    "set_up_committee",
    "withdraw_topic",
]
