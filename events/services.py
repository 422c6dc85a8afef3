"""Writes to events: filing, one service per workflow transition, and the deadline sweep with escalation.

Every transition locks the event row (read through the actor's scope: out of scope is Event.DoesNotExist, a 404),
checks the table in events.choices (an illegal step raises TransitionError, a 409; a step the actor may not take
raises NotAllowed, a 403), changes the fields, appends an EventLog row and writes the in-app notifications.

Notifications are rows written in the same transaction as the step they report, not in an on_commit hook: an
in-app notification is then never lost nor sent for a rolled-back step. Anything leaving the process (SMS, push)
must be enqueued with transaction.on_commit, ids only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.choices import LEVELS, Action, NodeKind, PostTier
from grids.models import Assignment, GridNode, User
from grids.scope import scope_for

from .calendar import add_working_time
from .choices import (
    CLOSE_REASONS_NAMING_A_PARTY,
    HANDLING_STATUSES,
    MAX_EXTENSION,
    NEAR_DEADLINE_HOURS,
    ON_SPOT_SAMPLE_PERCENT,
    OPEN_STATUSES,
    REOPEN_DAYS,
    TRANSITIONS,
    CloseReason,
    ExtensionStatus,
    LogAction,
    NotificationKind,
    PhotoKind,
    RejectReason,
    Rule,
    Source,
    Status,
    TimeUnit,
    Transition,
    UnitKind,
    Urgency,
    Who,
)
from .models import (
    Category,
    Event,
    EventLog,
    EventPhoto,
    EventSequence,
    ExtensionRequest,
    HandlingUnit,
    Notification,
)
from .querysets import unit_ids_of


class TransitionError(Exception):
    """A step the workflow table does not allow from the event's status: nothing changed (HTTP 409)."""

    status_code = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(TransitionError):
    """A step the table allows, but not to this user (HTTP 403)."""

    status_code = 403


def _pk(value):
    return getattr(value, "pk", value)


def _stage_due(start: dt.datetime, category: Category, stage: str) -> dt.datetime:
    """The deadline of a stage (accept, handle, verify) started now, from the subcategory's time limit."""
    return add_working_time(start, getattr(category, f"{stage}_limit"), getattr(category, f"{stage}_unit"))


def _set_due(event: Event, due: dt.datetime | None) -> None:
    """The current deadline; a new one clears the near/overdue flags (escalation history stays)."""
    event.due_at = due
    event.is_near_deadline = False
    event.is_overdue = False


def _log(event: Event, actor, action: str, from_status: str, note: str = "") -> EventLog:
    return EventLog.objects.create(
        event=event, actor=actor, action=action, from_status=from_status, to_status=event.status, note=note
    )


def _save_photos(event: Event, log: EventLog | None, actor, photos: Iterable[tuple[str, object]]) -> None:
    for kind, content in photos:
        photo = EventPhoto(event=event, log=log, kind=kind, uploaded_by=actor)
        photo.image.save(content.name, content, save=False)
        photo.save()


def _notify(user_ids: Iterable[int], event: Event, kind: str, *, skip: int | None = None) -> int:
    ids = sorted({pk for pk in user_ids if pk and pk != skip})
    Notification.objects.bulk_create([Notification(user_id=pk, event=event, kind=kind) for pk in ids])
    return len(ids)


def _current_holders(node_ids: Iterable[int], *, action: str | None = None, tier: str | None = None) -> set[int]:
    """Users holding, today, a post on these nodes that grants `action` (or is of `tier`)."""
    rows = Assignment.objects.current(timezone.localdate()).filter(node_id__in=[n for n in node_ids if n])
    if tier is not None:
        rows = rows.filter(post__tier=tier)
    found = set()
    for user_id, actions in rows.values_list("user_id", "post__actions"):
        if action is None or action in (actions or ()):
            found.add(user_id)
    return found


def _handlers_of(event: Event) -> set[int]:
    if event.current_handler_id:
        return {event.current_handler_id}
    if event.current_unit_id:
        return set(event.current_unit.members.values_list("id", flat=True))
    return set()


def _dispatchers_of(event: Event) -> set[int]:
    return _current_holders([event.grid_id, event.community_id], action=Action.DISPATCH)


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


# ---------------------------------------------------------------------------------------------------------
# Who may do what
# ---------------------------------------------------------------------------------------------------------


def actor_may(actor: User, event: Event, who: str, *, now: dt.datetime | None = None) -> bool:
    """Whether the actor fills the role the table asks for, on this event."""
    if who == Who.DISPATCHER:
        return scope_for(actor, Action.DISPATCH).covers(event)
    if who == Who.HANDLER:
        if event.current_handler_id is not None:
            return event.current_handler_id == actor.pk
        if event.current_unit_id is None:
            return False
        if event.current_unit_id in unit_ids_of(actor):
            return True
        return event.current_unit.kind == UnitKind.GRID_STAFF and scope_for(actor, Action.HANDLE).covers(event)
    if who == Who.VERIFIER:
        return actor.pk != event.handled_by_id and scope_for(actor, Action.VERIFY).covers(event)
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
    return [
        action
        for (status, action), rule in TRANSITIONS.items()
        if status == event.status
        and (not rule.only_if or getattr(event, rule.only_if))
        and actor_may(actor, event, rule.who, now=now)
    ]


def can_see_contact(*, actor: User, event: Event) -> bool:
    """The resident's contact is shown only to those who need it: reporter, dispatchers, current handlers."""
    return (
        actor.pk == event.reporter_id
        or actor.pk in _handlers_of(event)
        or scope_for(actor, Action.DISPATCH).covers(event)
    )


def _locked(actor: User, event) -> Event:
    """The event, row-locked, read through the actor's scope (Event.DoesNotExist when out of scope)."""
    return Event.objects.visible_to(actor).select_for_update().get(pk=_pk(event))


def _check(actor: User, event: Event, action: str, now: dt.datetime) -> Rule:
    rule = TRANSITIONS.get((event.status, action))
    if rule is None:
        raise TransitionError(
            _("An event that is “%(status)s” cannot be “%(action)s”.")
            % {"status": Status(event.status).label, "action": Transition(action).label}
        )
    if rule.only_if and not getattr(event, rule.only_if):
        raise TransitionError(_("This event was not sampled for a re-check."))
    if not actor_may(actor, event, rule.who, now=now):
        if rule.who == Who.REPORTER and actor.pk == event.reporter_id:
            raise NotAllowed(
                _("An event can be reopened only within %(days)d days of closing.") % {"days": REOPEN_DAYS}
            )
        raise NotAllowed(
            _("You may not “%(action)s” this event: that is for its %(who)s.")
            % {"action": Transition(action).label, "who": Who(rule.who).label}
        )
    return rule


def _next_reference(tenant_id: int, day: dt.date) -> str:
    """YH + date + a per-tenant, per-day sequence number; the counter row is locked until commit."""
    counter = EventSequence.objects.filter(tenant_id=tenant_id, day=day)
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                EventSequence.objects.create(tenant_id=tenant_id, day=day, last=1)
        except IntegrityError:
            counter.update(last=F("last") + 1)
    return f"YH{day:%Y%m%d}-{counter.values_list('last', flat=True).get():04d}"


# ---------------------------------------------------------------------------------------------------------
# Filing
# ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def report_event(
    *,
    actor: User,
    node: GridNode | int,
    category: Category | int,
    title: str,
    description: str = "",
    lon: float | None = None,
    lat: float | None = None,
    urgency: int = Urgency.NORMAL,
    source: str = Source.GRID_WORKER,
    resident_name: str = "",
    resident_phone: str = "",
    handled_on_spot: bool = False,
    photos: Iterable[tuple[str, object]] = (),
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """File an event in a grid the actor may report in; the same idempotency key returns the first event."""
    now = now or timezone.now()
    photos = list(photos)
    grid = (
        GridNode.objects.visible_to(actor, Action.REPORT)
        .filter(pk=_pk(node), kind=NodeKind.GRID, is_archived=False)
        .first()
    )
    if grid is None:
        raise ValidationError({"node": [_("You cannot file events in this grid.")]})
    key = (idempotency_key or "").strip()[:64] or None
    if key:
        first = Event.objects.filter(tenant_id=grid.tenant_id, idempotency_key=key).first()
        if first is not None:
            return _same_submission(first, actor)

    errors: dict[str, list[str]] = {}
    cat = (
        Category.objects.filter(pk=_pk(category), tenant_id=grid.tenant_id, parent__isnull=False, is_active=True)
        .select_related("parent")
        .first()
    )
    if cat is None:
        errors["category"] = [_("Choose a subcategory of your district's catalogue.")]
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("A title is required.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Unknown urgency.")]
    if source not in Source.values:
        errors["source"] = [_("Unknown source.")]
    if (lon is None) != (lat is None):
        errors["lon"] = [_("Give both longitude and latitude, or neither.")]
    elif lon is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        errors["lon"] = [_("The location is outside the valid range.")]
    if source != Source.GRID_WORKER and not (resident_name or resident_phone).strip():
        errors["resident_phone"] = [_("An event taken from a resident needs their name or phone.")]
    if len(photos) > 6:
        errors["photos"] = [_("At most %(n)d photos.") % {"n": 6}]
    if handled_on_spot and not any(kind == PhotoKind.AFTER for kind, _content in photos):
        errors["photos"] = [_("An event handled on the spot needs at least one photo taken after the fix.")]
    if errors:
        raise ValidationError(errors)

    event = Event(
        category=cat,
        title=title,
        description=(description or "").strip(),
        lon=lon,
        lat=lat,
        urgency=urgency,
        source=source,
        reporter=actor,
        resident_name=(resident_name or "").strip(),
        resident_phone=(resident_phone or "").strip(),
        handled_on_spot=handled_on_spot,
        idempotency_key=key,
        status=Status.REPORTED,
    )
    event.stamp_from(grid)
    event.node = grid
    if handled_on_spot:
        event.status, event.close_reason, event.handled_by, event.closed_at = (
            Status.CLOSED, CloseReason.FIXED, actor, now,
        )
    else:
        event.accept_due = _stage_due(now, cat, "accept")
        _set_due(event, event.accept_due)
    try:
        # One savepoint for the number and the row: a double submit that lost the race takes back its number.
        with transaction.atomic():
            event.reference = _next_reference(grid.tenant_id, timezone.localdate(now))
            event.needs_recheck = handled_on_spot and sampled_for_recheck(event.reference, grid.tenant_id)
            # The counter row is locked now, so a concurrent twin of this submission has committed or waits.
            if key and Event.objects.filter(tenant_id=grid.tenant_id, idempotency_key=key).exists():
                raise _AlreadyFiled
            event.save()
    except (IntegrityError, _AlreadyFiled):
        if key is None:
            raise
        return _same_submission(Event.objects.get(tenant_id=grid.tenant_id, idempotency_key=key), actor)

    if handled_on_spot:
        EventLog.objects.create(
            event=event, actor=actor, action=LogAction.REPORT, from_status="", to_status=Status.REPORTED
        )
        log = _log(event, actor, LogAction.HANDLE_ON_SPOT, Status.REPORTED)
    else:
        log = _log(event, actor, LogAction.REPORT, "")
        _notify(_dispatchers_of(event), event, NotificationKind.ASSIGNED, skip=actor.pk)
    _save_photos(event, log, actor, photos)
    return event


def sampled_for_recheck(reference: str, tenant_id: int) -> bool:
    """Whether a 自处置 event is picked for a re-check: a stable hash, so the share holds and cannot be gamed."""
    digest = hashlib.sha256(f"{tenant_id}:{reference}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < ON_SPOT_SAMPLE_PERCENT


class _AlreadyFiled(Exception):
    """A concurrent submission with the same idempotency key committed first."""


def _same_submission(first: Event, actor: User) -> Event:
    if first.reporter_id != actor.pk:
        raise ValidationError(_("This form was already submitted by someone else; reload the page."))
    return first


# ---------------------------------------------------------------------------------------------------------
# The transitions: one service each
# ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def accept(*, actor: User, event: Event | int, note: str = "", now: dt.datetime | None = None) -> Event:
    """受理: the dispatcher takes the event on; the handling clock starts."""
    now = now or timezone.now()
    event = _locked(actor, event)
    _check(actor, event, Transition.ACCEPT, now)
    before = event.status
    event.status = Status.ACCEPTED
    event.handle_due = _stage_due(now, event.category, "handle")
    _set_due(event, event.handle_due)
    event.save()
    _log(event, actor, LogAction.ACCEPT, before, note)
    return event


@transaction.atomic
def reject(
    *,
    actor: User,
    event: Event | int,
    reason: str,
    duplicate_of: Event | int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Event:
    """不予受理: a duplicate (of an event the actor can see), out of scope, or invalid."""
    now = now or timezone.now()
    event = _locked(actor, event)
    _check(actor, event, Transition.REJECT, now)
    if reason not in RejectReason.values:
        raise ValidationError({"reason": [_("Choose why the event is rejected.")]})
    original = None
    if reason == RejectReason.DUPLICATE:
        if duplicate_of in (None, ""):
            raise ValidationError({"duplicate_of": [_("Name the event this one duplicates.")]})
        # The second id is looked up through the same scope: no probing of other jurisdictions.
        original = Event.objects.visible_to(actor).filter(pk=_pk(duplicate_of)).exclude(pk=event.pk).first()
        if original is None:
            raise ValidationError({"duplicate_of": [_("No such other event in your jurisdiction.")]})
    elif not (note or "").strip():
        raise ValidationError({"note": [_("Say why the event is rejected.")]})
    before = event.status
    event.status, event.reject_reason, event.duplicate_of = Status.REJECTED, reason, original
    _set_due(event, None)
    event.save()
    _log(event, actor, LogAction.REJECT, before, note)
    _notify([event.reporter_id], event, NotificationKind.RETURNED, skip=actor.pk)
    return event


@transaction.atomic
def dispatch(
    *,
    actor: User,
    event: Event | int,
    unit: HandlingUnit | int | None = None,
    handler: User | int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Event:
    """派遣: to a handling unit of the event's tenant, to a person, or to a person of a unit."""
    now = now or timezone.now()
    event = _locked(actor, event)
    _check(actor, event, Transition.DISPATCH, now)
    errors: dict[str, list[str]] = {}
    unit_obj = person = None
    if unit not in (None, ""):
        unit_obj = HandlingUnit.objects.filter(pk=_pk(unit), tenant_id=event.tenant_id, is_active=True).first()
        if unit_obj is None:
            errors["unit"] = [_("No such handling unit in this district.")]
    if handler not in (None, ""):
        person = User.objects.filter(pk=_pk(handler), tenant_id=event.tenant_id, is_active=True).first()
        if person is None:
            errors["handler"] = [_("No such person in this district.")]
        elif unit_obj is not None and not unit_obj.members.filter(pk=person.pk).exists():
            errors["handler"] = [_("%(person)s is not a member of %(unit)s.") % {"person": person, "unit": unit_obj}]
    if unit_obj is None and person is None and not errors:
        errors["unit"] = [_("Choose a handling unit or a person.")]
    if errors:
        raise ValidationError(errors)
    before = event.status
    event.status, event.current_unit, event.current_handler = Status.DISPATCHED, unit_obj, person
    event.save()
    _log(event, actor, LogAction.DISPATCH, before, note)
    _notify(_handlers_of(event), event, NotificationKind.ASSIGNED, skip=actor.pk)
    return event


@transaction.atomic
def sign(*, actor: User, event: Event | int, note: str = "", now: dt.datetime | None = None) -> Event:
    """签收: the handler takes the event in hand; it becomes theirs."""
    now = now or timezone.now()
    event = _locked(actor, event)
    _check(actor, event, Transition.SIGN, now)
    before = event.status
    event.status, event.current_handler = Status.IN_PROGRESS, actor
    event.save()
    _log(event, actor, LogAction.SIGN, before, note)
    return event


@transaction.atomic
def return_event(*, actor: User, event: Event | int, note: str, now: dt.datetime | None = None) -> Event:
    """退回: the unit says the event is not theirs; it goes back to the dispatcher, the handling clock keeps running."""
    now = now or timezone.now()
    event = _locked(actor, event)
    _check(actor, event, Transition.RETURN, now)
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say why the event is returned.")]})
    before = event.status
    event.status, event.current_unit, event.current_handler = Status.ACCEPTED, None, None
    event.save()
    _log(event, actor, LogAction.RETURN, before, note)
    _notify([_last_actor(event, LogAction.DISPATCH)], event, NotificationKind.RETURNED, skip=actor.pk)
    return event


@transaction.atomic
def handle(
    *,
    actor: User,
    event: Event | int,
    note: str,
    photos: Iterable[object] = (),
    now: dt.datetime | None = None,
) -> Event:
    """处置: the handler reports what was done, with evidence photos; the check clock starts."""
    now = now or timezone.now()
    photos = list(photos)
    event = _locked(actor, event)
    _check(actor, event, Transition.HANDLE, now)
    if not (note or "").strip():
        raise ValidationError({"note": [_("Describe what was done.")]})
    if len(photos) > 6:
        raise ValidationError({"photos": [_("At most %(n)d photos.") % {"n": 6}]})
    before = event.status
    event.status, event.handled_by = Status.HANDLED, actor
    event.verify_due = _stage_due(now, event.category, "verify")
    _set_due(event, event.verify_due)
    event.save()
    log = _log(event, actor, LogAction.HANDLE, before, note)
    _save_photos(event, log, actor, [(PhotoKind.EVIDENCE, p) for p in photos])
    _notify([event.reporter_id], event, NotificationKind.TO_VERIFY, skip=actor.pk)
    return event


@transaction.atomic
def verify(
    *,
    actor: User,
    event: Event | int,
    passed: bool,
    close_reason: str = "",
    responsible_party: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> Event:
    """核查: someone other than the handler checks; passed closes with a typed reason, failed sends it to rework."""
    now = now or timezone.now()
    event = _locked(actor, event)
    _check(actor, event, Transition.VERIFY, now)
    before = event.status
    if passed:
        responsible_party = (responsible_party or "").strip()
        if close_reason not in CloseReason.values:
            raise ValidationError({"close_reason": [_("Choose how the event is closed.")]})
        if close_reason in CLOSE_REASONS_NAMING_A_PARTY and not responsible_party:
            raise ValidationError({"responsible_party": [_("Name the responsible party.")]})
        event.status, event.close_reason, event.closed_at = Status.CLOSED, close_reason, now
        event.responsible_party = responsible_party if close_reason in CLOSE_REASONS_NAMING_A_PARTY else ""
        _set_due(event, None)
        event.save()
        _log(event, actor, LogAction.VERIFY_PASS, before, note)
        return event
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say what is still wrong.")]})
    event.status = Status.REWORK
    event.handle_due = _stage_due(now, event.category, "handle")
    _set_due(event, event.handle_due)
    event.save()
    _log(event, actor, LogAction.VERIFY_FAIL, before, note)
    _notify(_handlers_of(event), event, NotificationKind.REWORK, skip=actor.pk)
    return event


@transaction.atomic
def reopen(*, actor: User, event: Event | int, note: str, now: dt.datetime | None = None) -> Event:
    """重新办理: the reporter finds the problem back within REOPEN_DAYS; the event returns to the dispatcher."""
    now = now or timezone.now()
    event = _locked(actor, event)
    _check(actor, event, Transition.REOPEN, now)
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say why the event is reopened.")]})
    before = event.status
    event.status, event.closed_at, event.close_reason, event.responsible_party = Status.ACCEPTED, None, "", ""
    event.current_unit = event.current_handler = event.handled_by = None
    event.handle_due = _stage_due(now, event.category, "handle")
    _set_due(event, event.handle_due)
    event.save()
    _log(event, actor, LogAction.REOPEN, before, note)
    _notify(_dispatchers_of(event), event, NotificationKind.REOPENED, skip=actor.pk)
    return event


@transaction.atomic
def recheck(
    *, actor: User, event: Event | int, passed: bool, note: str = "", now: dt.datetime | None = None
) -> Event:
    """抽查: someone other than the reporter checks a sampled 自处置 event; failed sends it to the dispatcher."""
    now = now or timezone.now()
    event = _locked(actor, event)
    _check(actor, event, Transition.RECHECK, now)
    before = event.status
    event.needs_recheck = False
    if passed:
        event.save()
        _log(event, actor, LogAction.RECHECK_PASS, before, note)
        return event
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say what is still wrong.")]})
    event.status, event.closed_at, event.close_reason, event.responsible_party = Status.ACCEPTED, None, "", ""
    event.handled_by = None
    event.handle_due = _stage_due(now, event.category, "handle")
    _set_due(event, event.handle_due)
    event.save()
    _log(event, actor, LogAction.RECHECK_FAIL, before, note)
    _notify(_dispatchers_of(event), event, NotificationKind.REOPENED, skip=actor.pk)
    return event


TRANSITION_SERVICES = {
    Transition.ACCEPT: accept,
    Transition.REJECT: reject,
    Transition.DISPATCH: dispatch,
    Transition.SIGN: sign,
    Transition.RETURN: return_event,
    Transition.HANDLE: handle,
    Transition.VERIFY: verify,
    Transition.REOPEN: reopen,
    Transition.RECHECK: recheck,
}


# ---------------------------------------------------------------------------------------------------------
# Extension requests (beside the table: they move the handling deadline, never the status)
# ---------------------------------------------------------------------------------------------------------


def pending_extension(event: Event) -> ExtensionRequest | None:
    return ExtensionRequest.objects.filter(event=event, status=ExtensionStatus.PENDING).first()


@transaction.atomic
def request_extension(
    *,
    actor: User,
    event: Event | int,
    amount: int,
    unit: str,
    reason: str,
    now: dt.datetime | None = None,
) -> ExtensionRequest:
    """申请延期: the handler asks for more time; one pending request per event."""
    now = now or timezone.now()
    event = _locked(actor, event)
    if event.status not in HANDLING_STATUSES:
        raise TransitionError(
            _("More time can be asked only while an event is being handled, not when it is “%(status)s”.")
            % {"status": Status(event.status).label}
        )
    if not actor_may(actor, event, Who.HANDLER, now=now):
        raise NotAllowed(_("Only the event's handler may ask for more time."))
    if pending_extension(event) is not None:
        raise TransitionError(_("A request for more time is already waiting for a decision."))
    errors = {}
    if unit not in TimeUnit.values:
        errors["unit"] = [_("Choose working hours or working days.")]
    elif not (0 < int(amount) <= MAX_EXTENSION[unit]):
        errors["amount"] = [_("Ask for between 1 and %(max)d.") % {"max": MAX_EXTENSION[unit]}]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why more time is needed.")]
    if errors:
        raise ValidationError(errors)
    request = ExtensionRequest.objects.create(
        event=event, requested_by=actor, amount=int(amount), unit=unit, reason=reason.strip()
    )
    _log(event, actor, LogAction.EXT_REQUEST, event.status,
         f"+{amount} {TimeUnit(unit).label}: {reason.strip()}")
    _notify(_dispatchers_of(event), event, NotificationKind.EXTENSION_REQUESTED, skip=actor.pk)
    return request


@transaction.atomic
def decide_extension(
    *, actor: User, event: Event | int, approve: bool, note: str = "", now: dt.datetime | None = None
) -> ExtensionRequest:
    """审批延期: a dispatcher approves (the handling deadline moves) or denies the pending request."""
    now = now or timezone.now()
    event = _locked(actor, event)
    request = (
        ExtensionRequest.objects.select_for_update().filter(event=event, status=ExtensionStatus.PENDING).first()
    )
    if request is None:
        raise TransitionError(_("No request for more time is waiting for a decision."))
    if not actor_may(actor, event, Who.DISPATCHER, now=now):
        raise NotAllowed(_("Only a dispatcher of this event may decide on more time."))
    if event.status not in HANDLING_STATUSES and approve:
        raise TransitionError(_("The event is no longer being handled; the request can only be denied."))
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.DENIED
    request.decided_by, request.decided_at, request.decision_note = actor, now, (note or "").strip()
    request.save()
    if approve:
        start = max(event.handle_due or now, now)
        event.handle_due = add_working_time(start, request.amount, request.unit)
        _set_due(event, event.handle_due)
        event.save()
    _log(event, actor, LogAction.EXT_APPROVED if approve else LogAction.EXT_DENIED, event.status, note)
    _notify([request.requested_by_id], event, NotificationKind.EXTENSION_DECIDED, skip=actor.pk)
    return request


# ---------------------------------------------------------------------------------------------------------
# Notifications
# ---------------------------------------------------------------------------------------------------------


def mark_notifications_read(*, actor: User, ids: Iterable[int] | None = None, now: dt.datetime | None = None) -> int:
    """Mark the actor's own notifications read (all of them, or these ids)."""
    rows = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=now or timezone.now())


# ---------------------------------------------------------------------------------------------------------
# The deadline sweep
# ---------------------------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    near: int = 0
    overdue: int = 0
    escalated: int = 0


def _escalation_chain(event: Event) -> list[int]:
    """The event's ancestors, nearest first (grid → community → street → district), from its stamps."""
    chain = [getattr(event, f"{level}_id") for level in reversed(LEVELS)]
    below = True
    result = []
    for pk in chain:
        if pk == event.node_id:
            below = False
            continue
        if pk and not below:
            result.append(pk)
    return result


def sweep_deadlines(*, now: dt.datetime | None = None, batch: int = 500) -> SweepResult:
    """Flag near-deadline and overdue events and escalate each overdue one one level up, once per deadline.

    A database sweep: it looks at every open event whose deadline is near or past, so a run missed while the
    broker was down is caught up by the next one, and a second run finds nothing left to do."""
    now = now or timezone.now()
    near_cut = now + dt.timedelta(hours=NEAR_DEADLINE_HOURS)
    result = SweepResult()
    candidates = Event.objects.filter(status__in=OPEN_STATUSES, due_at__isnull=False).filter(
        Q(due_at__lte=now, is_overdue=False)
        | Q(due_at__lte=now, escalated_deadline__isnull=True)
        | (Q(due_at__lte=now) & ~Q(escalated_deadline=F("due_at")))
        | Q(due_at__gt=now, due_at__lte=near_cut, is_near_deadline=False)
    )
    last_id = 0
    while True:
        ids = list(candidates.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return result
        for pk in ids:
            _sweep_one(pk, now, near_cut, result)
        last_id = ids[-1]


@transaction.atomic
def _sweep_one(pk: int, now: dt.datetime, near_cut: dt.datetime, result: SweepResult) -> None:
    """Re-check one event under its row lock: concurrent sweeps never act twice."""
    event = Event.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
    if event is None or event.status not in OPEN_STATUSES or event.due_at is None:
        return
    changed = []
    if now < event.due_at <= near_cut and not event.is_near_deadline:
        event.is_near_deadline = True
        changed.append("is_near_deadline")
        _notify(_waiting_on(event), event, NotificationKind.NEAR_DEADLINE)
        result.near += 1
    if event.due_at <= now:
        if not event.is_overdue:
            event.is_overdue = event.is_near_deadline = True
            changed += ["is_overdue", "is_near_deadline"]
            _notify(_waiting_on(event), event, NotificationKind.OVERDUE)
            result.overdue += 1
        if event.escalated_deadline != event.due_at:
            event.escalated_deadline = event.due_at
            changed.append("escalated_deadline")
            chain = _escalation_chain(event)
            if event.escalation_level < len(chain):
                target = chain[event.escalation_level]
                event.escalation_level += 1
                event.escalated_to_id = target
                changed += ["escalation_level", "escalated_to"]
                EventLog.objects.create(
                    event=event,
                    actor=None,
                    action=LogAction.ESCALATE,
                    from_status=event.status,
                    to_status=event.status,
                    note=_("Overdue: escalated one level up."),
                )
                _notify(_current_holders([target], tier=PostTier.HEAD), event, NotificationKind.ESCALATED)
                result.escalated += 1
    if changed:
        event.save(update_fields=[*dict.fromkeys(changed), "updated_at"])
