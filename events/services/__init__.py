"""Writes to events: filing, one service per workflow transition, and the deadline sweep with escalation.

Every transition locks the event row (read through the actor's scope: out of scope is Event.DoesNotExist, a 404),
checks the table in events.choices (an illegal step raises TransitionError, a 409; a step the actor may not take
raises NotAllowed, a 403), changes the fields, appends an EventLog row and writes the in-app notifications.

Notifications are rows written in the same transaction as the step they report, so an in-app notification is
never lost nor left behind by a rolled-back step; their delivery beyond the app is scheduled with
transaction.on_commit: events.signals.notifications_created carries their ids once the step has committed.
"""

from .common import NotAllowed, TransitionError, actor_may, allowed_transitions, can_see_contact
from .contact import reveal_resident_phone
from .extensions import decide_extension, pending_extension, request_extension
from .filing import report_event, sampled_for_recheck
from .pauses import decide_pause, pending_pause, request_pause, resume
from .satisfaction import rate, record_callback
from .sweep import SweepResult, mark_notifications_read, sweep_deadlines
from .transitions import (
    TRANSITION_SERVICES,
    accept,
    dispatch,
    handle,
    recheck,
    reject,
    reopen,
    return_event,
    sign,
    verify,
)
from .writes import delete_event, insert_history, save_event

__all__ = [
    "TRANSITION_SERVICES",
    "NotAllowed",
    "SweepResult",
    "TransitionError",
    "accept",
    "actor_may",
    "allowed_transitions",
    "can_see_contact",
    "decide_extension",
    "decide_pause",
    "delete_event",
    "dispatch",
    "handle",
    "insert_history",
    "mark_notifications_read",
    "pending_extension",
    "pending_pause",
    "recheck",
    "reject",
    "rate",
    "record_callback",
    "reopen",
    "report_event",
    "request_extension",
    "request_pause",
    "resume",
    "return_event",
    "reveal_resident_phone",
    "sampled_for_recheck",
    "save_event",
    "sign",
    "sweep_deadlines",
    "verify",
]
