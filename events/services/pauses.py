"""Pausing the handling clock: the handler asks, a dispatcher approves, the handler or a dispatcher resumes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import User

from ..calendar import working_time_between
from ..choices import (
    HANDLING_STATUSES,
    REQUEST_WORKFLOW,
    Decision,
    LogAction,
    NotificationKind,
    RequestStatus,
    Status,
    Who,
)
from ..models import Event, PauseRequest
from .common import (
    NotAllowed,
    TransitionError,
    _dispatchers_of,
    _locked,
    _log,
    _notify,
    _set_due,
    _unpause,
    actor_may,
)
from .writes import save_event


def pending_pause(event: Event) -> PauseRequest | None:
    return PauseRequest.objects.filter(event=event, status=RequestStatus.PENDING).first()


@transaction.atomic
def request_pause(*, actor: User, event: Event | int, reason: str, now: dt.datetime | None = None) -> PauseRequest:
    """申请暂停: the handler asks to stop the clock while the event waits on others; one pending request."""
    now = now or timezone.now()
    event = _locked(actor, event)
    if event.status not in HANDLING_STATUSES:
        raise TransitionError(
            _("The clock can be paused only while an event is being handled, not when it is “%(status)s”.")
            % {"status": Status(event.status).label}
        )
    if not actor_may(actor, event, Who.HANDLER, now=now):
        raise NotAllowed(_("Only the event's handler may ask to pause the clock."))
    if event.paused_at is not None:
        raise TransitionError(_("The clock is already paused."))
    if pending_pause(event) is not None:
        raise TransitionError(_("A request to pause is already waiting for a decision."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say what the event is waiting for.")]})
    request = PauseRequest.objects.create(event=event, requested_by=actor, reason=reason.strip())
    _log(event, actor, LogAction.PAUSE_REQUEST, event.status, reason.strip())
    _notify(_dispatchers_of(event), event, NotificationKind.PAUSE_REQUESTED, skip=actor.pk)
    return request


@transaction.atomic
def decide_pause(
    *, actor: User, event: Event | int, approve: bool, note: str = "", now: dt.datetime | None = None
) -> PauseRequest:
    """审批暂停: approved, the working time left is kept and the event has no deadline until resumed."""
    now = now or timezone.now()
    event = _locked(actor, event)
    request = PauseRequest.objects.select_for_update().filter(event=event, status=RequestStatus.PENDING).first()
    if request is None:
        raise TransitionError(_("No request to pause is waiting for a decision."))
    decision = Decision.APPROVE if approve else Decision.DENY
    REQUEST_WORKFLOW.check(
        request,
        decision,
        may=lambda rule: actor_may(actor, event, rule.who, now=now),
        refusal=lambda rule: _("Only a dispatcher of this event may decide on a pause."),
    )
    if approve and event.status not in HANDLING_STATUSES:
        raise TransitionError(_("The event is no longer being handled; the request can only be denied."))
    REQUEST_WORKFLOW.move(request, decision)
    request.decided_by, request.decided_at, request.decision_note = actor, now, (note or "").strip()
    request.save()
    if approve:
        left = working_time_between(now, event.handle_due) if event.handle_due else dt.timedelta(0)
        event.paused_at, event.paused_remaining = now, left
        _set_due(event, None)
        save_event(event)
    _log(event, actor, LogAction.PAUSE_APPROVED if approve else LogAction.PAUSE_DENIED, event.status, note)
    kind = NotificationKind.PAUSE_APPROVED if approve else NotificationKind.PAUSE_DENIED
    _notify([request.requested_by_id], event, kind, skip=actor.pk)
    return request


@transaction.atomic
def resume(*, actor: User, event: Event | int, note: str = "", now: dt.datetime | None = None) -> Event:
    """恢复计时: the handler or a dispatcher restarts the clock with the working time that was left."""
    now = now or timezone.now()
    event = _locked(actor, event)
    if event.paused_at is None:
        raise TransitionError(_("The clock is not paused."))
    if not (actor_may(actor, event, Who.HANDLER, now=now) or actor_may(actor, event, Who.DISPATCHER, now=now)):
        raise NotAllowed(_("Only the handler or a dispatcher may resume the clock."))
    _unpause(event, now)
    save_event(event)
    _log(event, actor, LogAction.RESUME, event.status, note)
    return event
