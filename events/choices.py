"""Event statuses, the workflow transition table (data), and the other choice lists of the events app.

The workflow, as a table: (status, step) → (new status, who may do it).

    from          step         to            who
    ------------  -----------  ------------  -------------------------------------------------------------
    reported      accept       accepted      dispatcher: a post granting `dispatch` over the event's node
    reported      reject       rejected      dispatcher (reason: duplicate of another event / out of scope /
    accepted      reject       rejected        invalid; a duplicate names the other event, looked up in scope)
    accepted      dispatch     dispatched    dispatcher (to a handling unit of the tenant, and/or a person)
    dispatched    sign         in_progress   handler: the assigned person, a member of the assigned unit, or —
                                               for a unit of the grid's own staff — a post granting `handle`
    dispatched    return       accepted      handler (a misdispatch: back to the dispatcher, with a reason)
    in_progress   return       accepted      handler
    in_progress   handle       handled       handler (notes + evidence photos)
    rework        handle       handled       handler
    handled       verify       closed        verifier: a post granting `verify`, and not the one who handled it
                                               (passed, with a typed close reason)
    handled       verify       rework        verifier (failed: back to the handler)
    closed        reopen       accepted      reporter, within REOPEN_DAYS of closing
    closed        recheck      closed        verifier, only if the event was sampled for a re-check (passed)
    closed        recheck      accepted      verifier, sampled events only (failed: back to the dispatcher)

Extension requests run beside the table and never change the status: while an event is being handled
(dispatched, in_progress, rework) its handler may ask for more time (one pending request at a time); a dispatcher
approves — the handling deadline moves by the time asked, counted in working time from the later of the old
deadline and now — or denies it. Likewise the handler may ask to pause the clock (waiting on a court, a permit,
the weather): once a dispatcher approves, the working time left is kept and the event has no deadline until the
handler or a dispatcher resumes it (handling or returning the event resumes it too).

自处置 (handled on the spot) is not a transition of an existing event: `report_event` files it already
closed, logging report and handle_on_spot in one go, and samples ON_SPOT_SAMPLE_PERCENT of them for a re-check
by someone other than the reporter (`needs_recheck`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yaohai.core import workflow
from yaohai.core.workflow import Rule

REOPEN_DAYS = 7  # the reporter may reopen a closed event this many calendar days after it was closed
NEAR_DEADLINE_HOURS = 4
ON_SPOT_SAMPLE_PERCENT = 10  # share of 自处置 events sampled for a re-check  # an open event whose deadline is closer than this is flagged near-deadline


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    HANDLED = "handled", _("Handled")
    REWORK = "rework", _("Rework")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (
    Status.REPORTED,
    Status.ACCEPTED,
    Status.DISPATCHED,
    Status.IN_PROGRESS,
    Status.HANDLED,
    Status.REWORK,
)
FINAL_STATUSES = (Status.REJECTED, Status.CLOSED)


class Transition(models.TextChoices):
    """The steps a user takes on an event; each is one service in events.services."""

    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
    DISPATCH = "dispatch", _("Dispatch")
    SIGN = "sign", _("Sign for")
    RETURN = "return", _("Return")
    HANDLE = "handle", _("Handle")
    VERIFY = "verify", _("Verify")
    REOPEN = "reopen", _("Reopen")
    RECHECK = "recheck", _("Re-check")


class LogAction(models.TextChoices):
    """What a log row records: the transitions, plus the steps that are not user transitions."""

    REPORT = "report", _("Reported")
    HANDLE_ON_SPOT = "handle_on_spot", _("Handled on the spot")
    ACCEPT = "accept", _("Accepted")
    REJECT = "reject", _("Rejected")
    DISPATCH = "dispatch", _("Dispatched")
    SIGN = "sign", _("Signed for")
    RETURN = "return", _("Returned")
    HANDLE = "handle", _("Handled")
    VERIFY_PASS = "verify_pass", _("Verified: passed")
    VERIFY_FAIL = "verify_fail", _("Verified: failed")
    REOPEN = "reopen", _("Reopened")
    EXT_REQUEST = "ext_request", _("More time requested")
    EXT_APPROVED = "ext_approved", _("More time approved")
    EXT_DENIED = "ext_denied", _("More time denied")
    PAUSE_REQUEST = "pause_request", _("Pause requested")
    PAUSE_APPROVED = "pause_approved", _("Clock paused")
    PAUSE_DENIED = "pause_denied", _("Pause denied")
    RESUME = "resume", _("Clock resumed")
    RECHECK_PASS = "recheck_pass", _("Re-checked: passed")
    RECHECK_FAIL = "recheck_fail", _("Re-checked: failed")
    ESCALATE = "escalate", _("Escalated")


class Who(models.TextChoices):
    """Who may take a transition, decided against the event in events.services."""

    DISPATCHER = "dispatcher", _("dispatcher")
    HANDLER = "handler", _("handler")
    VERIFIER = "verifier", _("verifier")
    REPORTER = "reporter", _("reporter")


# Rule(to, who, only_if): the status(es) a step may lead to (verify has two outcomes), who may take it, and a
# boolean field of the event that must be true as well (else the step is refused, 409). yaohai.core.workflow.
TRANSITIONS: dict[tuple[str, str], Rule] = {
    (Status.REPORTED, Transition.ACCEPT): Rule((Status.ACCEPTED,), Who.DISPATCHER),
    (Status.REPORTED, Transition.REJECT): Rule((Status.REJECTED,), Who.DISPATCHER),
    (Status.ACCEPTED, Transition.REJECT): Rule((Status.REJECTED,), Who.DISPATCHER),
    (Status.ACCEPTED, Transition.DISPATCH): Rule((Status.DISPATCHED,), Who.DISPATCHER),
    (Status.DISPATCHED, Transition.SIGN): Rule((Status.IN_PROGRESS,), Who.HANDLER),
    (Status.DISPATCHED, Transition.RETURN): Rule((Status.ACCEPTED,), Who.HANDLER),
    (Status.IN_PROGRESS, Transition.RETURN): Rule((Status.ACCEPTED,), Who.HANDLER),
    (Status.IN_PROGRESS, Transition.HANDLE): Rule((Status.HANDLED,), Who.HANDLER),
    (Status.REWORK, Transition.HANDLE): Rule((Status.HANDLED,), Who.HANDLER),
    (Status.HANDLED, Transition.VERIFY): Rule((Status.CLOSED, Status.REWORK), Who.VERIFIER),
    (Status.CLOSED, Transition.REOPEN): Rule((Status.ACCEPTED,), Who.REPORTER),
    (Status.CLOSED, Transition.RECHECK): Rule((Status.CLOSED, Status.ACCEPTED), Who.VERIFIER, "needs_recheck"),
}


EVENT_WORKFLOW = workflow.register(
    workflow.Workflow(
        key="events.event",
        title="Events (事件)",
        statuses=Status,
        steps=Transition,
        who=Who,
        table=TRANSITIONS,
        entries=((Status.REPORTED, "report (上报)"), (Status.CLOSED, "report handled on the spot (自处置)")),
        final=FINAL_STATUSES,
        illegal=_("An event that is “%(status)s” cannot be “%(action)s”."),
        not_allowed=_("You may not “%(action)s” this event: that is for its %(who)s."),
        conditions={"needs_recheck": _("This event was not sampled for a re-check.")},
    )
)


def allowed_from(status: str) -> list[str]:
    """The transitions the table allows from a status, in table order."""
    return EVENT_WORKFLOW.allowed_from(status)


HANDLING_STATUSES = (Status.DISPATCHED, Status.IN_PROGRESS, Status.REWORK)
MAX_EXTENSION = {"working_hours": 56, "working_days": 30}  # the most one request may ask for


class RequestStatus(models.TextChoices):
    """Where a handler's request (more time, a pause: events.models.DecidedRequest) stands."""

    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class Decision(models.TextChoices):
    """What a dispatcher does with a handler's pending request."""

    APPROVE = "approve", _("Approve")
    DENY = "deny", _("Deny")


# A handler's request (more time, a pause) is filed pending; a dispatcher decides it once. Beside the event's table:
# the request's decision never changes the event's status (events.services.extensions, .pauses).
REQUEST_WORKFLOW = workflow.register(
    workflow.Workflow(
        key="events.request",
        title="Requests for more time or a pause (延期、暂停申请)",
        statuses=RequestStatus,
        steps=Decision,
        who=Who,
        table={
            (RequestStatus.PENDING, Decision.APPROVE): Rule((RequestStatus.APPROVED,), Who.DISPATCHER),
            (RequestStatus.PENDING, Decision.DENY): Rule((RequestStatus.DENIED,), Who.DISPATCHER),
        },
        entries=((RequestStatus.PENDING, "request (申请), by the handler"),),
        final=(RequestStatus.APPROVED, RequestStatus.DENIED),
    )
)


class Urgency(models.IntegerChoices):
    NORMAL = 1, _("Normal")
    URGENT = 2, _("Urgent")
    CRITICAL = 3, _("Critical")


class Source(models.TextChoices):
    GRID_WORKER = "grid_worker", _("Grid worker")
    HOTLINE = "hotline", _("Hotline")
    WALK_IN = "walk_in", _("Walk-in")
    RESIDENT = "resident", _("Resident (from the phone)")  # filed by a resident herself (the residents app)


# The sources staff may choose when they file (a resident's own report comes only through the residents app).
STAFF_SOURCES = [(value, label) for value, label in Source.choices if value != Source.RESIDENT]


class Satisfaction(models.TextChoices):
    """A resident's rating of a closed event (群众满意度): her own, or taken on the follow-up call (回访)."""

    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


SATISFIED_LEVELS = (Satisfaction.SATISFIED, Satisfaction.BASIC)


class RatingSource(models.TextChoices):
    RESIDENT = "resident", _("Rated by the resident")
    CALLBACK = "callback", _("Follow-up call")


class RejectReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate of another event")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    INVALID = "invalid", _("Invalid")


class CloseReason(models.TextChoices):
    FIXED = "fixed", _("Fixed")
    CANNOT_FIX = "cannot_fix", _("Cannot be fixed")
    NOT_RESPONSIBLE = "not_responsible", _("Not our responsibility")
    REFERRED = "referred", _("Referred")


CLOSE_REASONS_NAMING_A_PARTY = (CloseReason.NOT_RESPONSIBLE, CloseReason.REFERRED)


class TimeUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("Working hours")
    WORKING_DAYS = "working_days", _("Working days")


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    PROPERTY = "property", _("Property company")
    GRID_STAFF = "grid_staff", _("Grid staff")


class PhotoKind(models.TextChoices):
    REPORT = "report", _("Report")
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")
    EVIDENCE = "evidence", _("Evidence")


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned to you")
    RETURNED = "returned", _("Returned")
    REWORK = "rework", _("Sent back for rework")
    TO_VERIFY = "to_verify", _("Waiting for your check")
    NEAR_DEADLINE = "near_deadline", _("Near its deadline")
    OVERDUE = "overdue", _("Overdue")
    ESCALATED = "escalated", _("Escalated to you")
    REOPENED = "reopened", _("Reopened")
    EXTENSION_REQUESTED = "ext_requested", _("More time requested")
    EXTENSION_DECIDED = "ext_decided", _("Request for more time decided")
    PAUSE_REQUESTED = "pause_requested", _("Pause requested")
    PAUSE_DECIDED = "pause_decided", _("Request to pause decided")
    # What each message says exactly (the three above it and ASSIGNED, for a new report, said too little):
    REPORTED = "reported", _("New report to accept")
    REJECTED = "rejected", _("Not accepted")
    EXTENSION_APPROVED = "ext_approved", _("More time approved")
    EXTENSION_DENIED = "ext_denied", _("More time denied")
    PAUSE_APPROVED = "pause_approved", _("Pause approved")
    PAUSE_DENIED = "pause_denied", _("Pause denied")
    CLOSED = "closed", _("Closed")
    # Of a record of another app (events.notifications.notify): a mediation case that may turn violent.
    HIGH_RISK = "high_risk", _("High risk")


# The purpose the hotline caller's phone is sealed under (bound into the token and its blind index).
RESIDENT_PHONE_PURPOSE = "event.resident_phone"
