"""Writes beside the table while a case is handled: sessions, evidence, the extension of the time limit, the
application for judicial confirmation, and the periodic sweep of time limits and follow-ups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from events import notifications
from events.choices import NotificationKind
from events.images import clean_image
from yaohai.core.errors import Invalid, NotAllowed
from yaohai.core.workflow import IllegalStep

from . import selectors
from .choices import ACT_STATUSES, RUNNING_STATUSES, Act, Confirmation, Status
from .models import Agreement, Case, Evidence, FollowUp, Session
from .services import CONFIRMATION_DAYS, RUNNER, TIME_LIMIT_DAYS, due_date
from .workflow import CASE_WORKFLOW

DUE_SOON_DAYS = 3  # a warning this many days before the time limit


def _mediating(actor, case, act: str) -> Case:
    """The case locked for an act beside the table: read through the actor's reach (404), in a status the act is
    allowed in (409, the workflow kit's IllegalStep), by one of its mediators (403)."""
    obj = RUNNER.lock(actor, case)
    if obj.status not in ACT_STATUSES[act]:
        raise IllegalStep(str(CASE_WORKFLOW.illegal) % {"status": obj.get_status_display(), "step": Act(act).label})
    if not selectors.is_mediator(actor, obj):
        raise NotAllowed(_("Only the case's mediators may do this."))
    return obj


def _photo(upload):
    if upload is None:
        return None
    try:
        return clean_image(upload)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages)) from None


@transaction.atomic
def hold_session(*, actor, case, held_at: dt.datetime, place: str, participants: str, record: str = "",
                 photo=None) -> Session:
    """A mediation session with its record (调解笔录), typed or as a photo of the signed sheet (re-encoded)."""
    obj = _mediating(actor, case, Act.SESSION)
    place, participants, record = (place or "").strip(), (participants or "").strip(), (record or "").strip()
    if not isinstance(held_at, dt.datetime):
        raise Invalid(_("Give the session's date and time."))
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    if not place or not participants or not (record or photo):
        raise Invalid(_("A session needs its place, its participants and its record (typed or photographed)."))
    session = Session(case=obj, held_at=held_at, place=place[:200], participants=participants[:500],
                      record=record[:8000], created_by=actor)
    cleaned = _photo(photo)
    if cleaned is not None:
        session.photo.save(cleaned.name, cleaned, save=False)
    session.save()
    RUNNER.log(obj, actor=actor, action="session", before=obj.status, note=f"{place} · {participants}")
    audit.record("mediation.session", obj, after={"session": session.pk})
    return session


@transaction.atomic
def add_evidence(*, actor, case, description: str, photo=None) -> Evidence:
    """Evidence attached to the case."""
    obj = _mediating(actor, case, Act.EVIDENCE)
    description = (description or "").strip()
    if not description:
        raise Invalid(_("Describe the evidence."))
    evidence = Evidence(case=obj, description=description[:500], created_by=actor)
    cleaned = _photo(photo)
    if cleaned is not None:
        evidence.photo.save(cleaned.name, cleaned, save=False)
    evidence.save()
    audit.record("mediation.evidence", obj, after={"evidence": evidence.pk})
    return evidence


@transaction.atomic
def extend(*, actor, case, days: int, parties_agreed: bool, note: str = "") -> Case:
    """Extend the time limit: only with the parties' agreement, which is recorded."""
    if not parties_agreed:
        raise Invalid(_("The time limit is extended only with the parties' agreement."))
    if not isinstance(days, int) or not 1 <= days <= 30:
        raise Invalid(_("An extension is of 1 to 30 days."))
    obj = _mediating(actor, case, Act.EXTEND)
    before = obj.due_on
    obj.extended_days += days
    obj.due_on = due_date(obj.accepted_on, TIME_LIMIT_DAYS + obj.extended_days)
    obj.save(update_fields=["extended_days", "due_on", "updated_at"])
    # the warnings of the old time limit are no longer true; the sweep warns again of the new one
    notifications.withdraw(subject=obj, kinds=(NotificationKind.NEAR_DEADLINE, NotificationKind.OVERDUE))
    RUNNER.log(obj, actor=actor, action="extend", before=obj.status,
               note=_("extended by %(days)d days with the parties' agreement: %(note)s") % {"days": days, "note": note})
    audit.record("mediation.extend", obj, before={"due_on": str(before)}, after={"due_on": str(obj.due_on)})
    return obj


@transaction.atomic
def apply_for_confirmation(*, actor, case, applied_on: dt.date) -> Agreement:
    """司法确认: applied for jointly by the parties within 30 days of the agreement taking effect."""
    obj = _mediating(actor, case, Act.APPLY)
    agreement = Agreement.objects.select_for_update().get(case=obj)
    if not agreement.signed_on <= applied_on <= agreement.signed_on + dt.timedelta(days=CONFIRMATION_DAYS):
        raise Invalid(_("Judicial confirmation is applied for within 30 days of the agreement."))
    agreement.confirmation_applied_on = applied_on
    agreement.save(update_fields=["confirmation_applied_on"])
    RUNNER.log(obj, actor=actor, action="apply", before=obj.status, note=str(applied_on))
    audit.record("mediation.apply_confirmation", obj, after={"applied_on": str(applied_on)})
    return agreement


@transaction.atomic
def record_confirmation_refused(*, actor, case, note: str = "") -> Agreement:
    """The court did not confirm the agreement: recorded; the case stays at its agreement."""
    obj = _mediating(actor, case, Act.NOT_CONFIRMED)
    Agreement.objects.filter(case=obj).update(confirmation=Confirmation.REFUSED)
    RUNNER.log(obj, actor=actor, action="not_confirmed", before=obj.status, note=note[:2000])
    audit.record("mediation.not_confirmed", obj)
    return Agreement.objects.get(case=obj)


# The acts beside the table, by name: the case page and the API call them the same way.
ACTS = {
    Act.SESSION: hold_session,
    Act.EVIDENCE: add_evidence,
    Act.EXTEND: extend,
    Act.APPLY: apply_for_confirmation,
    Act.NOT_CONFIRMED: record_confirmation_refused,
}


@dataclass
class SweepResult:
    due_soon: int = 0
    overdue: int = 0
    follow_ups: int = 0


def _tell(case: Case, kind: str) -> int:
    users = {u for u in (case.body.head_id if case.body_id else None,
                         case.mediator.user_id if case.mediator_id else None) if u}
    return notifications.notify(users=users, subject=case, kind=kind, once=True)


def sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Warn of time limits near (3 days) and passed, and of follow-up visits due; once per case and kind."""
    today = timezone.localdate(now or timezone.now())
    result = SweepResult()
    running = Case.objects.filter(status__in=RUNNING_STATUSES, due_on__isnull=False).select_related("body", "mediator")
    for case in running.filter(due_on__lt=today):
        result.overdue += 1
        _tell(case, NotificationKind.OVERDUE)
    for case in running.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)):
        result.due_soon += 1
        _tell(case, NotificationKind.NEAR_DEADLINE)
    due = FollowUp.objects.filter(visited_on__isnull=True, due_on__lte=today,
                                  case__status__in=(Status.AGREEMENT, Status.CONFIRMED))
    result.follow_ups = due.count()
    return result


def is_overdue(case: Case, today: dt.date) -> bool:
    return case.status in RUNNING_STATUSES and case.due_on is not None and case.due_on < today
