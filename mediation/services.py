"""Writes of mediation (keyword-only, atomic, audited): intake, the steps of the case's table, moving between
bodies, and the high-risk notices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from audit import services as audit
from dashboards import cache as dashboard_cache
from events import notifications
from events.calendar import shared_calendar
from events.choices import NotificationKind
from events.models import Event
from grids.models import Assignment, GridNode
from registry.models import Organisation, Resident
from yaohai.core.errors import Invalid, NotAllowed, NotFound
from yaohai.core.personal import fields as personal
from yaohai.core.personal.identity import normalise_document, validate_phone
from yaohai.core.workflow import Runner

from . import selectors
from .choices import (
    AgreementForm,
    Channel,
    Confirmation,
    PartyKind,
    PartyRole,
    Performance,
    ReferralTarget,
    Risk,
    Status,
    Step,
    Who,
)
from .models import (
    Agreement,
    Body,
    Case,
    CaseLog,
    CaseParty,
    DisputeType,
    FollowUp,
    Mediator,
    Transfer,
)
from .rights import MEDIATE
from .workflow import CASE_WORKFLOW

TIME_LIMIT_DAYS = 30  # 人民调解: calendar days from acceptance (docs/mediation.md)
FOLLOW_UP_AFTER_DAYS = 7  # the follow-up visit: a week after the performance date
CONFIRMATION_DAYS = 30  # 司法确认: applied for within 30 days of the agreement (人民调解法 第三十三条)
ID_PURPOSE, PHONE_PURPOSE = "mediation.party.id_number", "mediation.party.phone"
DISPUTE_CATEGORY = "矛盾纠纷"


def _may(actor, case, rule, now) -> bool:
    if rule.who == Who.HEAD:
        return selectors.is_head(actor, case)
    return selectors.is_mediator(actor, case)


RUNNER = Runner(
    CASE_WORKFLOW,
    rows=lambda actor: selectors.cases(actor=actor),
    may=_may,
    log_model=CaseLog,
    log_subject="case",
    not_found=True,
)


def due_date(accepted_on: dt.date, days: int = TIME_LIMIT_DAYS) -> dt.date:
    """The last day of the time limit: `days` calendar days after acceptance; a last day that is not a working day
    (a weekend or a public holiday of the national calendar) moves to the next working day."""
    due = accepted_on + dt.timedelta(days=days)
    calendar = shared_calendar()
    while not calendar.is_workday(due):
        due += dt.timedelta(days=1)
    return due


# --- intake ----------------------------------------------------------------------------------------------------


def _party(case: Case, spec: dict) -> CaseParty:
    role, kind = spec.get("role"), spec.get("kind")
    if role not in PartyRole.values or kind not in PartyKind.values:
        raise Invalid(_("Each party needs a role (applicant or respondent) and a kind."))
    party = CaseParty(case=case, role=role, kind=kind)
    if kind == PartyKind.RESIDENT:
        resident = Resident.objects.filter(tenant_id=case.tenant_id, pk=spec.get("resident") or 0).first()
        if resident is None:
            raise Invalid(_("That person is not in the registry."))
        party.resident, party.name = resident, resident.name
    elif kind == PartyKind.ORGANISATION:
        org = Organisation.objects.filter(tenant_id=case.tenant_id, pk=spec.get("organisation") or 0).first()
        if org is None:
            raise Invalid(_("That organisation is not in the registry."))
        party.organisation, party.name = org, org.name
    else:
        party.name = (spec.get("name") or "").strip()[:100]
        if not party.name:
            raise Invalid(_("A party entered on the spot needs a name."))
        number = normalise_document(spec.get("id_number") or "")
        if number:
            personal.set_field(party, "id_number", ID_PURPOSE, number)
        try:
            phone = validate_phone(spec.get("phone") or "")
        except Exception as exc:  # ValidationError: the user's message
            raise Invalid(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        if phone:
            personal.set_field(party, "phone", PHONE_PURPOSE, phone)
    return party


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise Invalid(_("The amount at stake is not a number.")) from None
    if amount < 0 or amount >= Decimal("1e10") or amount.as_tuple().exponent < -2:
        raise Invalid(_("The amount at stake is out of range."))
    return amount


@transaction.atomic
def register_case(
    *,
    actor,
    node: GridNode | int,
    channel: str,
    dispute_type: DisputeType | int,
    facts: str,
    parties: list[dict],
    amount=None,
    risk: str = Risk.LOW,
    body: Body | int | None = None,
    event: Event | None = None,
) -> Case:
    """Register a dispute brought by a channel (walk-in, phone, referral, an event); a high-risk one notifies at once."""
    node_id = getattr(node, "pk", node)
    node = GridNode.objects.visible_to(actor, MEDIATE).filter(pk=node_id, is_archived=False).first()
    if node is None or node.kind not in ("community", "grid", "street"):
        raise NotFound()
    if channel not in Channel.values or risk not in Risk.values:
        raise Invalid(_("Choose a channel and a risk level from the lists."))
    kind = DisputeType.objects.filter(tenant_id=node.tenant_id, pk=getattr(dispute_type, "pk", dispute_type)).first()
    if kind is None:
        raise Invalid(_("Choose a dispute type from the list."))
    facts = (facts or "").strip()
    if not facts or len(facts) > 4000:
        raise Invalid(_("Describe the facts (at most 4000 characters)."))
    roles = {p.get("role") for p in parties}
    if PartyRole.APPLICANT not in roles:
        raise Invalid(_("A case needs at least one applicant."))
    chosen = None
    if body is not None:
        chosen = selectors.bodies(actor=actor).filter(pk=getattr(body, "pk", body), tenant_id=node.tenant_id).first()
        if chosen is None:
            raise NotFound()
    case = Case(
        channel=channel, dispute_type=kind, facts=facts, amount=_amount(amount), risk=risk, body=chosen,
        event=event, registered_by=actor, number=f"tmp-{timezone.now().timestamp()}",
    )
    case.stamp_from(node)
    case.node = node
    case.save()
    case.number = f"TJ{timezone.localdate():%Y}{case.pk:06d}"
    case.save(update_fields=["number"])
    for spec in parties:
        _party(case, spec).save()
    if chosen is not None:
        Transfer.objects.create(case=case, from_body=None, to_body=chosen, actor=actor, reason=_("at intake"))
    RUNNER.log(case, actor=actor, action="register", before="", note=Channel(channel).label)
    audit.record("mediation.register", case, after={"channel": channel, "risk": risk, "type": kind.code})
    if risk == Risk.HIGH:
        notify_high_risk(case)
    changed(case)
    return case


@transaction.atomic
def turn_event_into_case(*, actor, event: Event | int, dispute_type, parties: list[dict], risk: str = Risk.LOW,
                         body=None, amount=None) -> Case:
    """“Turn into a mediation case”: an event of the 矛盾纠纷 category becomes a case linked to it both ways."""
    event_id = getattr(event, "pk", event)
    event = Event.objects.visible_to(actor).select_related("main_category").filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    if event.main_category.name != DISPUTE_CATEGORY:
        raise Invalid(_("Only an event of the 矛盾纠纷 category can be turned into a mediation case."))
    if Case.objects.filter(event_id=event.pk).exists():
        raise Invalid(_("This event is a mediation case already."))
    return register_case(
        actor=actor, node=event.node_id, channel=Channel.EVENT, dispute_type=dispute_type,
        facts=f"{event.title}\n{event.description}".strip(), parties=parties, risk=risk, body=body, amount=amount,
        event=event,
    )


def recipients_of_high_risk(case: Case):
    """The street's officers holding the mediation right, and the police of the case's community (信警联治)."""
    today = timezone.localdate()
    held = Assignment.objects.current(today).select_related("post").filter(post__is_active=True)
    street = [a.user_id for a in held.filter(node_id=case.street_id) if MEDIATE in (a.post.rights or [])]
    police = list(
        held.filter(community_id=case.community_id, post__code="police").values_list("user_id", flat=True)
    ) if case.community_id else []
    return sorted(set(street) | set(police))


def notify_high_risk(case: Case) -> int:
    """Tell the street and the police post at once of a dispute that may turn violent or into a group incident."""
    return notifications.notify(users=recipients_of_high_risk(case), subject=case, kind=NotificationKind.HIGH_RISK,
                                once=True)


# --- the steps -------------------------------------------------------------------------------------------------


def changed(case: Case) -> None:
    """The dashboards of the case's nodes are computed again."""
    dashboard_cache.changed("mediation", [case.district_id, case.street_id, case.community_id, case.grid_id])


def _finish(step, to=None, note="", **audit_after):
    log = step.finish(to or step.rule.to[0], note=note)
    changed(step.obj)
    audit.record(f"mediation.{step.name}", step.obj, before={"status": step.before},
                 after={"status": step.obj.status, **audit_after})
    return step.obj, log


def _reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Give the reason."))
    return text[:2000]


@transaction.atomic
def accept(*, actor, case, now=None) -> Case:
    """受理: the time limit of people's mediation starts."""
    step = RUNNER.begin(actor=actor, obj=case, step=Step.ACCEPT, now=now)
    day = timezone.localdate(step.now)
    step.obj.accepted_on, step.obj.due_on = day, due_date(day)
    return _finish(step, note=_("time limit %(day)s") % {"day": step.obj.due_on})[0]


@transaction.atomic
def refuse(*, actor, case, reason: str, now=None) -> Case:
    """不予受理, with the reason."""
    reason = _reason(reason)
    step = RUNNER.begin(actor=actor, obj=case, step=Step.REFUSE, now=now)
    step.obj.reason = reason
    return _finish(step, note=reason)[0]


@transaction.atomic
def assign(*, actor, case, mediator: Mediator | int, chosen_by_parties: bool = False, now=None) -> Case:
    """分派: the body's head gives the case to a mediator of its roster (an outside one gets the object permission):
    designated by the head, or chosen by the parties themselves (当事人选定, 人民调解法 第十九条), which is recorded."""
    step = RUNNER.begin(actor=actor, obj=case, step=Step.ASSIGN, now=now)
    obj = step.obj
    chosen = Mediator.objects.filter(
        pk=getattr(mediator, "pk", mediator), is_active=True, body__tenant_id=obj.tenant_id
    ).select_related("body").first()
    if chosen is None or (obj.body_id is not None and chosen.body_id != obj.body_id):
        raise Invalid(_("Choose a mediator of the case's body."))
    previous = obj.mediator
    if previous is not None and previous.user_id and previous.pk != chosen.pk:
        remove_perm(selectors.VIEW_CASE, previous.user, obj)
    obj.mediator, obj.body, obj.chosen_by_parties = chosen, chosen.body, bool(chosen_by_parties)
    if chosen.user_id:
        assign_perm(selectors.VIEW_CASE, chosen.user, obj)
        notifications.notify(users=[chosen.user_id], subject=obj, kind=NotificationKind.ASSIGNED, once=True)
    how = _("chosen by the parties") if chosen_by_parties else _("designated by the body")
    return _finish(step, note=f"{chosen.name} ({how})", mediator=chosen.pk, chosen_by_parties=bool(chosen_by_parties))[0]


@transaction.atomic
def begin(*, actor, case, now=None) -> Case:
    step = RUNNER.begin(actor=actor, obj=case, step=Step.BEGIN, now=now)
    return _finish(step)[0]


@transaction.atomic
def agree(*, actor, case, terms: str, perform_by: dt.date, signed_on: dt.date | None = None,
          form: str = AgreementForm.WRITTEN, performance_method: str = "", note: str = "", now=None) -> Case:
    """调解成功: the agreement (the written 协议书 or an oral one) is recorded, and its follow-up visit scheduled
    a week after the performance date."""
    terms = (terms or "").strip()
    if not terms or form not in AgreementForm.values or perform_by is None:
        raise Invalid(_("An agreement needs its terms and the date by which it is performed."))
    step = RUNNER.begin(actor=actor, obj=case, step=Step.AGREE, now=now)
    signed_on = signed_on or timezone.localdate(step.now)
    if perform_by < signed_on:
        raise Invalid(_("The performance date cannot be before the agreement."))
    Agreement.objects.create(case=step.obj, form=form, terms=terms[:8000], performance_method=performance_method[:500],
                             perform_by=perform_by, signed_on=signed_on)
    FollowUp.objects.create(case=step.obj, due_on=perform_by + dt.timedelta(days=FOLLOW_UP_AFTER_DAYS))
    return _finish(step, note=(note or AgreementForm(form).label)[:2000], form=form)[0]


@transaction.atomic
def terminate(*, actor, case, reason: str, now=None) -> Case:
    """调解终止, with the reason and where the parties can go next."""
    reason = _reason(reason)
    step = RUNNER.begin(actor=actor, obj=case, step=Step.TERMINATE, now=now)
    step.obj.reason = reason
    return _finish(step, note=reason)[0]


@transaction.atomic
def refer(*, actor, case, to: str, reason: str, now=None) -> Case:
    """Referral out (litigation, arbitration, petition, the court's pre-litigation mediation), with the reason."""
    reason = _reason(reason)
    if to not in ReferralTarget.values:
        raise Invalid(_("Choose where the case is referred to."))
    step = RUNNER.begin(actor=actor, obj=case, step=Step.REFER, now=now)
    step.obj.referred_to, step.obj.reason = to, reason
    return _finish(step, note=f"{ReferralTarget(to).label}: {reason}", referred_to=to)[0]


@transaction.atomic
def confirm(*, actor, case, result: str = "", now=None) -> Case:
    """司法确认: the court confirmed the agreement (a refusal is recorded beside the table: `record_refusal`)."""
    step = RUNNER.begin(actor=actor, obj=case, step=Step.CONFIRM, now=now)
    Agreement.objects.filter(case=step.obj).update(confirmation=Confirmation.CONFIRMED)
    return _finish(step, note=(result or "")[:2000])[0]


@transaction.atomic
def follow_up(*, actor, case, performance: str = Performance.FULL, note: str = "", now=None) -> Case:
    """回访 after the performance date: the visit and what was found of the performance."""
    if performance not in Performance.values:
        raise Invalid(_("Say whether the agreement was performed in full, in part or not."))
    step = RUNNER.begin(actor=actor, obj=case, step=Step.FOLLOW_UP, now=now)
    day = timezone.localdate(step.now)
    visit = step.obj.follow_ups.filter(visited_on__isnull=True).order_by("due_on").first()
    visit = visit or FollowUp(case=step.obj, due_on=day)
    visit.visited_on, visit.performance, visit.note, visit.visited_by = day, performance, (note or "")[:2000], actor
    visit.save()
    Agreement.objects.filter(case=step.obj).update(performance=performance)
    return _finish(step, note=f"{Performance(performance).label} {note}".strip()[:2000], performance=performance)[0]


@transaction.atomic
def archive(*, actor, case, now=None) -> Case:
    """归档: the case's life ends, and with it any outside mediator's access."""
    step = RUNNER.begin(actor=actor, obj=case, step=Step.ARCHIVE, now=now)
    obj = step.obj
    if obj.mediator_id and obj.mediator.user_id:
        remove_perm(selectors.VIEW_CASE, obj.mediator.user, obj)
    return _finish(step)[0]


@transaction.atomic
def transfer(*, actor, case, to_body: Body | int, reason: str) -> Case:
    """Move an open case to another body, with the reason (the case's history of bodies); its mediator is cleared."""
    reason = _reason(reason)
    obj = RUNNER.lock(actor, case)
    if obj.status not in (Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED):
        raise Invalid(_("Only a case not yet in mediation moves to another body."))
    if not selectors.is_head(actor, obj):
        raise NotAllowed(_("Only the body's head moves a case."))
    target = Body.objects.filter(tenant_id=obj.tenant_id, is_active=True, pk=getattr(to_body, "pk", to_body)).first()
    if target is None:
        raise NotFound()
    before = obj.body_id
    Transfer.objects.create(case=obj, from_body_id=before, to_body=target, actor=actor, reason=reason)
    if obj.mediator_id and obj.mediator.user_id:
        remove_perm(selectors.VIEW_CASE, obj.mediator.user, obj)
    obj.body, obj.mediator = target, None
    if obj.status == Status.ASSIGNED:
        obj.status = Status.ACCEPTED
    obj.save()
    RUNNER.log(obj, actor=actor, action="transfer", before=obj.status, note=f"{target.name}: {reason}")
    audit.record("mediation.transfer", obj, before={"body": before}, after={"body": target.pk})
    return obj
