"""Requests for more time: beside the table, they move the handling deadline and never the status.

The request itself is decided on the REQUEST_WORKFLOW table (events.choices): pending → approved or denied, by a
dispatcher; the decision is logged on the event."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import User

from ..calendar import add_working_time
from ..choices import (
    HANDLING_STATUSES,
    MAX_EXTENSION,
    REQUEST_WORKFLOW,
    Decision,
    LogAction,
    NotificationKind,
    RequestStatus,
    Status,
    TimeUnit,
    Who,
)
from ..models import (
    Event,
    ExtensionRequest,
)
from .common import NotAllowed, TransitionError, _dispatchers_of, _locked, _log, _notify, _set_due, actor_may
from .writes import save_event


def pending_extension(event: Event) -> ExtensionRequest | None:
    return ExtensionRequest.objects.filter(event=event, status=RequestStatus.PENDING).first()


@transaction.atomic
def request_extension(
    *,
    actor: User,
    event: Event | int,
    amount: int,
    time_unit: str,
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
    if event.paused_at is not None:
        raise TransitionError(_("The clock is paused; resume it before asking for more time."))
    errors = {}
    if time_unit not in TimeUnit.values:
        errors["time_unit"] = [_("Choose working hours or working days.")]
    elif not (0 < int(amount) <= MAX_EXTENSION[time_unit]):
        errors["amount"] = [_("Ask for between 1 and %(max)d.") % {"max": MAX_EXTENSION[time_unit]}]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why more time is needed.")]
    if errors:
        raise ValidationError(errors)
    request = ExtensionRequest.objects.create(
        event=event, requested_by=actor, amount=int(amount), time_unit=time_unit, reason=reason.strip()
    )
    _log(event, actor, LogAction.EXT_REQUEST, event.status,
         f"+{amount} {TimeUnit(time_unit).label}: {reason.strip()}")
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
        ExtensionRequest.objects.select_for_update().filter(event=event, status=RequestStatus.PENDING).first()
    )
    if request is None:
        raise TransitionError(_("No request for more time is waiting for a decision."))
    decision = Decision.APPROVE if approve else Decision.DENY
    REQUEST_WORKFLOW.check(
        request,
        decision,
        may=lambda rule: actor_may(actor, event, rule.who, now=now),
        refusal=lambda rule: _("Only a dispatcher of this event may decide on more time."),
    )
    if event.status not in HANDLING_STATUSES and approve:
        raise TransitionError(_("The event is no longer being handled; the request can only be denied."))
    if event.paused_at is not None and approve:
        raise TransitionError(_("The clock is paused; resume it before approving more time."))
    REQUEST_WORKFLOW.move(request, decision)
    request.decided_by, request.decided_at, request.decision_note = actor, now, (note or "").strip()
    request.save()
    if approve:
        start = max(event.handle_due or now, now)
        event.handle_due = add_working_time(start, request.amount, request.time_unit)
        _set_due(event, event.handle_due)
        event.extension_count += 1
        save_event(event)
    _log(event, actor, LogAction.EXT_APPROVED if approve else LogAction.EXT_DENIED, event.status, note)
    kind = NotificationKind.EXTENSION_APPROVED if approve else NotificationKind.EXTENSION_DENIED
    _notify([request.requested_by_id], event, kind, skip=actor.pk)
    return request
