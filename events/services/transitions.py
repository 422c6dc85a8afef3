"""The workflow transitions: one service each, as the table in events.choices allows.

Each begins with EVENTS.begin (yaohai.core.workflow: the row locked through the actor's scope, the table and the
person checked), changes the event's fields, and ends with step.finish (the new status, saved and logged)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import User

from ..choices import (
    CLOSE_REASONS_NAMING_A_PARTY,
    CloseReason,
    LogAction,
    NotificationKind,
    PhotoKind,
    RejectReason,
    Status,
    Transition,
)
from ..models import (
    Event,
    HandlingUnit,
)
from ..signals import report_verified
from .common import (
    EVENTS,
    _dispatchers_of,
    _handlers_of,
    _last_actor,
    _notify,
    _pk,
    _save_photos,
    _set_due,
    _stage_due,
    _unpause,
)


@transaction.atomic
def accept(*, actor: User, event: Event | int, note: str = "", now: dt.datetime | None = None) -> Event:
    """受理: the dispatcher takes the event on; the handling clock starts."""
    now = now or timezone.now()
    step = EVENTS.begin(actor=actor, obj=event, step=Transition.ACCEPT, now=now)
    event = step.obj
    event.answered_at = event.answered_at or now  # the first answer: the assessment's on-time acceptance
    event.handle_due = _stage_due(now, event.category, "handle")
    _set_due(event, event.handle_due)
    step.finish(Status.ACCEPTED, log_action=LogAction.ACCEPT, note=note)
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
    step = EVENTS.begin(actor=actor, obj=event, step=Transition.REJECT, now=now)
    event = step.obj
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
    event.reject_reason, event.duplicate_of = reason, original
    event.answered_at = event.answered_at or now
    _set_due(event, None)
    step.finish(Status.REJECTED, log_action=LogAction.REJECT, note=note)
    _notify([event.reporter_id], event, NotificationKind.REJECTED, skip=actor.pk)
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
    step = EVENTS.begin(actor=actor, obj=event, step=Transition.DISPATCH, now=now)
    event = step.obj
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
    event.current_unit, event.current_handler = unit_obj, person
    step.finish(Status.DISPATCHED, log_action=LogAction.DISPATCH, note=note)
    _notify(_handlers_of(event), event, NotificationKind.ASSIGNED, skip=actor.pk)
    return event


@transaction.atomic
def sign(*, actor: User, event: Event | int, note: str = "", now: dt.datetime | None = None) -> Event:
    """签收: the handler takes the event in hand; it becomes theirs."""
    now = now or timezone.now()
    step = EVENTS.begin(actor=actor, obj=event, step=Transition.SIGN, now=now)
    event = step.obj
    event.current_handler = actor
    step.finish(Status.IN_PROGRESS, log_action=LogAction.SIGN, note=note)
    return event


@transaction.atomic
def return_event(*, actor: User, event: Event | int, note: str, now: dt.datetime | None = None) -> Event:
    """退回: the unit says the event is not theirs; it goes back to the dispatcher, the handling clock keeps running."""
    now = now or timezone.now()
    step = EVENTS.begin(actor=actor, obj=event, step=Transition.RETURN, now=now)
    event = step.obj
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say why the event is returned.")]})
    _unpause(event, now)
    event.current_unit, event.current_handler = None, None
    step.finish(Status.ACCEPTED, log_action=LogAction.RETURN, note=note)
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
    step = EVENTS.begin(actor=actor, obj=event, step=Transition.HANDLE, now=now)
    event = step.obj
    if not (note or "").strip():
        raise ValidationError({"note": [_("Describe what was done.")]})
    if len(photos) > 6:
        raise ValidationError({"photos": [_("At most %(n)d photos.") % {"n": 6}]})
    _unpause(event, now)
    event.handled_by = actor
    event.verify_due = _stage_due(now, event.category, "verify")
    _set_due(event, event.verify_due)
    log = step.finish(Status.HANDLED, log_action=LogAction.HANDLE, note=note)
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
    step = EVENTS.begin(actor=actor, obj=event, step=Transition.VERIFY, now=now)
    event = step.obj
    if passed:
        responsible_party = (responsible_party or "").strip()
        if close_reason not in CloseReason.values:
            raise ValidationError({"close_reason": [_("Choose how the event is closed.")]})
        if close_reason in CLOSE_REASONS_NAMING_A_PARTY and not responsible_party:
            raise ValidationError({"responsible_party": [_("Name the responsible party.")]})
        event.close_reason, event.closed_at = close_reason, now
        event.responsible_party = responsible_party if close_reason in CLOSE_REASONS_NAMING_A_PARTY else ""
        _set_due(event, None)
        step.finish(Status.CLOSED, log_action=LogAction.VERIFY_PASS, note=note)
        _notify([event.reporter_id], event, NotificationKind.CLOSED, skip=actor.pk)
        step.after_commit(
            report_verified.send, sender=Event, event_id=event.pk, reporter_id=event.reporter_id,
            tenant_id=event.tenant_id, close_reason=close_reason, closed_at=now,
        )
        return event
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say what is still wrong.")]})
    event.rework_count += 1
    event.handle_due = _stage_due(now, event.category, "handle")
    _set_due(event, event.handle_due)
    step.finish(Status.REWORK, log_action=LogAction.VERIFY_FAIL, note=note)
    _notify(_handlers_of(event), event, NotificationKind.REWORK, skip=actor.pk)
    return event


@transaction.atomic
def reopen(*, actor: User, event: Event | int, note: str, now: dt.datetime | None = None) -> Event:
    """重新办理: the reporter finds the problem back within REOPEN_DAYS; the event returns to the dispatcher."""
    now = now or timezone.now()
    step = EVENTS.begin(actor=actor, obj=event, step=Transition.REOPEN, now=now)
    event = step.obj
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say why the event is reopened.")]})
    event.closed_at, event.close_reason, event.responsible_party = None, "", ""
    event.current_unit = event.current_handler = event.handled_by = None
    event.handle_due = _stage_due(now, event.category, "handle")
    _set_due(event, event.handle_due)
    step.finish(Status.ACCEPTED, log_action=LogAction.REOPEN, note=note)
    _notify(_dispatchers_of(event), event, NotificationKind.REOPENED, skip=actor.pk)
    return event


@transaction.atomic
def recheck(
    *, actor: User, event: Event | int, passed: bool, note: str = "", now: dt.datetime | None = None
) -> Event:
    """抽查: someone other than the reporter checks a sampled 自处置 event; failed sends it to the dispatcher."""
    now = now or timezone.now()
    step = EVENTS.begin(actor=actor, obj=event, step=Transition.RECHECK, now=now)
    event = step.obj
    event.needs_recheck = False
    if passed:
        step.finish(Status.CLOSED, log_action=LogAction.RECHECK_PASS, note=note)
        return event
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say what is still wrong.")]})
    event.closed_at, event.close_reason, event.responsible_party = None, "", ""
    event.handled_by = None
    event.handle_due = _stage_due(now, event.category, "handle")
    _set_due(event, event.handle_due)
    step.finish(Status.ACCEPTED, log_action=LogAction.RECHECK_FAIL, note=note)
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
