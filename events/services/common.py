"""What every event service shares: the errors, who may do what, the row lock and table check, logs and notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from grids.models import User
from grids.scope import scope_for
from grids.selectors import holders
from yaohai.core.errors import NotAllowed as CoreNotAllowed
from yaohai.core.workflow import IllegalStep, Runner, after_commit

from ..calendar import add_working_duration, add_working_time
from ..choices import (
    EVENT_WORKFLOW,
    REOPEN_DAYS,
    Rule,
    Status,
    UnitKind,
    Who,
)
from ..models import (
    Category,
    Event,
    EventLog,
    EventPhoto,
    EventSequence,
    Notification,
)
from ..querysets import unit_ids_of
from ..rights import DISPATCH, HANDLE, VERIFY
from ..signals import notifications_created
from .writes import save_event

# A step the workflow table does not allow from the event's status: nothing changed (HTTP 409). The kit's class.
TransitionError = IllegalStep
# A step the table allows, but not to this user (HTTP 403): the one refusal class of every app.
NotAllowed = CoreNotAllowed


def _pk(value):
    return getattr(value, "pk", value)


def _stage_due(start: dt.datetime, category: Category, stage: str) -> dt.datetime:
    """The deadline of a stage (accept, handle, verify) started now, from the subcategory's time limit."""
    return add_working_time(start, getattr(category, f"{stage}_limit"), getattr(category, f"{stage}_time_unit"))


def _set_due(event: Event, due: dt.datetime | None) -> None:
    """The current deadline; a new one clears the near/overdue flags (escalation history stays)."""
    event.due_at = due
    event.is_near_deadline = False
    event.is_overdue = False


def _unpause(event: Event, now: dt.datetime) -> bool:
    """Restart a paused handling clock: the new deadline is the working time that was left, counted from now."""
    if event.paused_at is None:
        return False
    event.handle_due = add_working_duration(now, event.paused_remaining or dt.timedelta(0))
    event.paused_at = event.paused_remaining = None
    _set_due(event, event.handle_due)
    return True


def _log(event: Event, actor, action: str, from_status: str, note: str = "") -> EventLog:
    """A log row for a step beside the table (filing, more time, a pause): the kit writes it like a step's."""
    return EVENTS.log(event, actor=actor, action=action, before=from_status, note=note)


def _save_photos(
    event: Event, log: EventLog | None, actor, photos: Iterable[tuple[str, object]]
) -> list[EventPhoto]:
    saved = []
    for kind, content in photos:
        photo = EventPhoto(event=event, log=log, kind=kind, uploaded_by=actor)
        photo.image.save(content.name, content, save=False)
        photo.save()
        saved.append(photo)
    return saved


def _notify(user_ids: Iterable[int], event: Event, kind: str, *, skip: int | None = None) -> int:
    """Write in-app notifications in the step's transaction; announce their ids once it has committed."""
    users = sorted({pk for pk in user_ids if pk and pk != skip})
    if not users:
        return 0
    rows = Notification.objects.bulk_create([Notification(user_id=pk, event=event, kind=kind) for pk in users])
    ids = [row.pk for row in rows if row.pk is not None]
    after_commit(notifications_created.send, sender=Notification, ids=ids)
    return len(users)


def _current_holders(
    node_ids: Iterable[int], *, tenant_id: int, right: str | None = None, tier: str | None = None
) -> set[int]:
    """Users holding, today, a post on these nodes (of the tenant) that grants `right` (or is of `tier`)."""
    return holders(node_ids, on=timezone.localdate(), tenant_id=tenant_id, right=right, tier=tier)


def _handlers_of(event: Event) -> set[int]:
    if event.current_handler_id:
        return {event.current_handler_id}
    if event.current_unit_id:
        return set(event.current_unit.members.values_list("id", flat=True))
    return set()


def _dispatchers_of(event: Event) -> set[int]:
    return _current_holders([event.grid_id, event.community_id], tenant_id=event.tenant_id, right=DISPATCH)


def _waiting_on(event: Event) -> set[int]:
    """Who the event is waiting for in its current status."""
    if event.status in (Status.REPORTED, Status.ACCEPTED):
        return _dispatchers_of(event)
    if event.status in (Status.DISPATCHED, Status.IN_PROGRESS, Status.REWORK):
        return _handlers_of(event)
    if event.status == Status.HANDLED:
        return {event.reporter_id}
    return set()


def _last_actor(event: Event, action: str) -> int | None:
    return (
        EventLog.objects.filter(event=event, action=action).order_by("-id").values_list("actor_id", flat=True).first()
    )





def actor_may(actor: User, event: Event, who: str, *, now: dt.datetime | None = None) -> bool:
    """Whether the actor fills the role the table asks for, on this event."""
    if who == Who.DISPATCHER:
        return scope_for(actor, DISPATCH).covers(event)
    if who == Who.HANDLER:
        if event.current_handler_id is not None:
            return event.current_handler_id == actor.pk
        if event.current_unit_id is None:
            return False
        if event.current_unit_id in unit_ids_of(actor):
            return True
        return event.current_unit.kind == UnitKind.GRID_STAFF and scope_for(actor, HANDLE).covers(event)
    if who == Who.VERIFIER:
        return actor.pk != event.handled_by_id and scope_for(actor, VERIFY).covers(event)
    if who == Who.REPORTER:
        now = now or timezone.now()
        return (
            actor.pk == event.reporter_id
            and event.closed_at is not None
            and now - event.closed_at <= dt.timedelta(days=REOPEN_DAYS)
        )
    return False


def allowed_transitions(*, actor: User, event: Event, now: dt.datetime | None = None) -> list[str]:
    """The transitions this actor may take on this event now (for the buttons and the API)."""
    return EVENTS.allowed(actor=actor, obj=event, now=now)


def can_see_contact(*, actor: User, event: Event) -> bool:
    """The resident's contact is shown only to those who need it: reporter, dispatchers, current handlers."""
    return (
        actor.pk == event.reporter_id
        or actor.pk in _handlers_of(event)
        or scope_for(actor, DISPATCH).covers(event)
    )


def _refusal(actor: User, event: Event, step: str, rule: Rule) -> str | None:
    """A more telling 403 than the table's: the reporter who is too late to reopen."""
    if rule.who == Who.REPORTER and actor.pk == event.reporter_id:
        return _("An event can be reopened only within %(days)d days of closing.") % {"days": REOPEN_DAYS}
    return None


def _audit_step(event: Event, *, actor, action: str, before: str, after: str, note: str) -> None:
    """Every logged step or act on an event leaves one audit row: who, the event, the status before and after."""
    audit.record(
        f"events.{action}",
        event,
        actor=actor,
        before={"status": before},
        after={"status": after},
        summary={"note": note} if note else None,
    )


# The event workflow bound to its model: read through the actor's scope and locked, checked, logged in EventLog.
EVENTS = Runner(
    EVENT_WORKFLOW,
    rows=lambda actor: Event.objects.visible_to(actor),
    may=lambda actor, event, rule, now: actor_may(actor, event, rule.who, now=now),
    refusal=_refusal,
    log_model=EventLog,
    log_subject="event",
    save=save_event,  # the write seam: rollups and the dashboards' cache move with every step
    on_step=_audit_step,  # the audit trail: one row per logged step
)


def _locked(actor: User, event) -> Event:
    """The event, row-locked, read through the actor's scope (Event.DoesNotExist when out of scope)."""
    return EVENTS.lock(actor, event)


def _next_reference(tenant_id: int, day: dt.date, prefix: str) -> str:
    """The district's code + date + a per-tenant, per-day sequence number (340102-20261126-0001): unambiguous
    across districts; the counter row is locked until commit.

    One statement in the steady state (UPDATE … RETURNING); the day's first number creates the row."""
    number = _bump_counter(tenant_id, day)
    if number is None:
        try:
            with transaction.atomic():
                EventSequence.objects.create(tenant_id=tenant_id, day=day, last=1)
            number = 1
        except IntegrityError:  # a concurrent filing created it first: its row is ours to bump now
            number = _bump_counter(tenant_id, day)
    return f"{prefix}-{day:%Y%m%d}-{number:04d}"


def _bump_counter(tenant_id: int, day: dt.date) -> int | None:
    """The day's counter plus one (the row stays locked until commit); None when the day has no row yet."""
    connection = connections[router.db_for_write(EventSequence)]
    table = connection.ops.quote_name(EventSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE tenant_id = %s AND day = %s RETURNING last",
            [tenant_id, day],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]
