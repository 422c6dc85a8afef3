"""Writes to events: filing, one service per workflow transition, and the deadline sweep with escalation.

Every transition locks the event row (read through the actor's scope: out of scope is Event.DoesNotExist, a 404),
checks the table in events.choices (an illegal step raises TransitionError, a 409; a step the actor may not take
raises NotAllowed, a 403), changes the fields, appends an EventLog row and writes the in-app notifications.

Notifications are rows written in the same transaction as the step they report, not in an on_commit hook: an
in-app notification is then never lost nor sent for a rolled-back step. Anything leaving the process (SMS, push)
must be enqueued with transaction.on_commit, ids only.
"""

from .common import NotAllowed, TransitionError, actor_may, allowed_transitions, can_see_contact
from .extensions import decide_extension, pending_extension, request_extension
from .filing import report_event, sampled_for_recheck
from .pauses import decide_pause, pending_pause, request_pause, resume
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
    "dispatch",
    "handle",
    "mark_notifications_read",
    "pending_extension",
    "pending_pause",
    "recheck",
    "reject",
    "reopen",
    "report_event",
    "request_extension",
    "request_pause",
    "resume",
    "return_event",
    "sampled_for_recheck",
    "sign",
    "sweep_deadlines",
    "verify",
]
