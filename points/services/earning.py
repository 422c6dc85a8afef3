"""Earning: versioned rules per service type, service records with two approvals, and automatic credits.

A registrar (points.register) records a service; the community (points.approve) and a resident representative
(points.represent) approve it, in either order and as two different people; the second approval credits the
volunteer's passbook from the community's issuing account under the rule version in force on the service date,
within its daily and monthly caps. `credit_from_source` credits a service proved elsewhere (a verified report, an
activity's attendance) through the same rules and caps, once per source.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from grids.models import GridNode
from grids.scope import scope_for
from parties.models import Activity, Meeting
from registry.models import Resident
from yaohai.core.errors import Conflict, Invalid, NotAllowed, NotFound
from yaohai.core.workflow import Runner

from .. import representatives
from ..choices import Basis, MovementKind, Registration, ServiceStatus, ServiceStep, ServiceWho
from ..models import Account, RuleVersion, ServiceLog, ServiceRecord, ServiceRequest, ServiceType
from ..rights import APPROVE, MANAGE, REGISTER
from ..workflows import SERVICE_WORKFLOW
from . import ledger

MAX_MINUTES = 24 * 60
MAX_OCCASIONS = 20
KEY_LENGTH = 100


def _rows(actor):
    """The service records an approver may act on: those under either approving right."""
    if actor is None:
        return ServiceRecord.objects.all()
    return ServiceRecord.objects.filter(scope_for(actor, APPROVE).q() | representatives.q(actor))


def _may(actor, obj, rule, now) -> bool:
    if actor is None:
        return True
    if rule.who == ServiceWho.EITHER:
        return scope_for(actor, APPROVE).covers(obj) or representatives.covers(actor, obj)
    if rule.who == ServiceWho.REPRESENTATIVE:
        return representatives.covers(actor, obj)
    return scope_for(actor, rule.who).covers(obj)


SERVICES = Runner(SERVICE_WORKFLOW, rows=_rows, may=_may, log_model=ServiceLog, log_subject="record", not_found=True)


# --- rules ---------------------------------------------------------------------------------------------------------


def _check_manager(actor, tenant_id: int) -> None:
    if actor is None:
        return
    scope = scope_for(actor, MANAGE)
    if not (scope.everything or (not scope.is_empty and scope.tenant_id == tenant_id)):
        raise NotAllowed(_("Only those who keep the points ledger may publish rules."))


@transaction.atomic
def save_service_type(*, actor, tenant, code: str, name: str) -> ServiceType:
    """Add a service type to the tenant's catalogue (or rename it)."""
    _check_manager(actor, tenant.pk)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise Invalid(_("Give the service type a code and a name."))
    service_type, created = ServiceType.objects.get_or_create(tenant=tenant, code=code, defaults={"name": name})
    if not created and service_type.name != name:
        ServiceType.objects.filter(pk=service_type.pk).update(name=name)
        service_type.name = name
    audit.record("points.save_service_type", service_type, after={"code": code, "name": name}, actor=actor)
    return service_type


def _count(value, label: str) -> int:
    if isinstance(value, bool):
        raise Invalid(_("%(field)s must be a whole number.") % {"field": label})
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid(_("%(field)s must be a whole number.") % {"field": label}) from None
    if str(value).strip().lstrip("-").isdigit() is False and number != value:
        raise Invalid(_("%(field)s must be a whole number.") % {"field": label})
    if number < 0:
        raise Invalid(_("%(field)s may not be negative.") % {"field": label})
    return number


@transaction.atomic
def publish_rule(
    *, actor, service_type: ServiceType, basis: str, points, daily_cap=0, monthly_cap=0,
    registration: str = Registration.REGISTRAR, effective_from: dt.date,
) -> RuleVersion:
    """Publish the next version of a service type's rule; earlier versions stay as they were."""
    _check_manager(actor, service_type.tenant_id)
    if basis not in Basis.values:
        raise Invalid(_("Choose points per hour or per occasion."))
    if registration not in Registration.values:
        raise Invalid(_("Choose who registers this service."))
    points = _count(points, _("Points"))
    if points <= 0:
        raise Invalid(_("Points must be more than zero."))
    daily_cap, monthly_cap = _count(daily_cap, _("Daily cap")), _count(monthly_cap, _("Monthly cap"))
    ServiceType.objects.select_for_update().get(pk=service_type.pk)  # one version number at a time
    last = service_type.versions.order_by("-version").values_list("version", flat=True).first() or 0
    rule = RuleVersion.objects.create(
        service_type=service_type, version=last + 1, basis=basis, points=points, daily_cap=daily_cap,
        monthly_cap=monthly_cap, registration=registration, effective_from=effective_from,
        published_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        "points.publish_rule", rule,
        after={"version": rule.version, "basis": basis, "points": points, "daily_cap": daily_cap,
               "monthly_cap": monthly_cap, "effective_from": effective_from},
        actor=actor,
    )
    return rule


def rule_in_force(service_type: ServiceType, on_date: dt.date) -> RuleVersion:
    """The latest published version in force on the date; refused when the type had no rule yet."""
    rule = (
        RuleVersion.objects.filter(service_type=service_type, effective_from__lte=on_date)
        .order_by("-effective_from", "-version")
        .first()
    )
    if rule is None:
        raise Invalid(_("No rule for “%(type)s” was in force on %(date)s.") % {"type": service_type, "date": on_date})
    return rule


# --- service records -----------------------------------------------------------------------------------------------


def _amounts(rule: RuleVersion, *, minutes: int, occasions: int) -> int:
    if rule.basis == Basis.PER_HOUR:
        return rule.points * minutes // 60
    return rule.points * occasions


@transaction.atomic
def register_service(
    *, actor, person, service_type: ServiceType, started_at: dt.datetime, key: str, minutes=0, occasions=1,
    description: str = "", photo=None, request=None,
) -> ServiceRecord:
    """登记: a registrar records one service of a volunteer; it waits for both approvals before any points move.

    `key` is the submission's idempotency key (the form's hidden one, the API's `key`): a retried key returns the
    first record with `replayed` set and changes nothing; the same key with other contents is refused. Two
    submissions of one key at once: the unique (tenant, key) lets one insert through, the other answers its record.
    """
    if actor is not None and not scope_for(actor, REGISTER).covers(person):
        raise NotFound()
    key = (key or "").strip()
    if not key or len(key) > KEY_LENGTH:
        raise Invalid(_("A registration needs a request key of at most %(max)d characters.") % {"max": KEY_LENGTH})
    submitted = {"person": person, "service_type": service_type, "started_at": started_at, "minutes": minutes,
                 "occasions": occasions, "description": description, "actor": actor}
    earlier = _registered_with(person.tenant_id, key)
    if earlier is not None:  # a retry answers the first record, even if the rules changed since
        return _same_registration(earlier, **submitted)
    if service_type.tenant_id != person.tenant_id or not service_type.is_active:
        raise NotFound()
    if started_at is None or timezone.is_naive(started_at):
        raise Invalid(_("Give the date and time the service started."))
    if started_at > timezone.now():
        raise Invalid(_("A service is registered after it took place."))
    served_on = timezone.localdate(started_at)
    rule = rule_in_force(service_type, served_on)
    if rule.registration != Registration.REGISTRAR:
        raise Invalid(_("“%(type)s” is credited automatically, not registered.") % {"type": service_type})
    minutes, occasions = _count(minutes, _("Minutes")), _count(occasions, _("Occasions"))
    if rule.basis == Basis.PER_HOUR and not 0 < minutes <= MAX_MINUTES:
        raise Invalid(_("Give how long the service took, between 1 minute and 24 hours."))
    if rule.basis == Basis.PER_OCCASION and not 0 < occasions <= MAX_OCCASIONS:
        raise Invalid(_("Give how many times, between 1 and %(max)d.") % {"max": MAX_OCCASIONS})
    account = ledger.passbook_for_person(person=person, actor=actor)
    record = ServiceRecord(
        person=person, account=account, service_type=service_type, rule=rule, served_on=served_on,
        started_at=started_at, minutes=minutes if rule.basis == Basis.PER_HOUR else 0,
        occasions=occasions if rule.basis == Basis.PER_OCCASION else 1, description=(description or "")[:300],
        registered_by=actor if getattr(actor, "pk", None) else None, node_id=account.node_id, request=request,
        key=key,
    )
    record.stamp_from(account)
    if photo:
        record.photo = photo
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # a twin submission of the key committed first: the unique key decided
        earlier = _registered_with(person.tenant_id, key)
        if earlier is None:
            raise
        return _same_registration(earlier, **submitted)
    record.replayed = False
    ServiceLog.objects.create(record=record, actor=record.registered_by, action="register", to_status=record.status)
    audit.record(
        "points.register_service", record,
        after={"person": person.pk, "type": service_type.code, "served_on": served_on, "minutes": minutes},
        actor=actor,
    )
    return record


def _registered_with(tenant_id: int, key: str) -> ServiceRecord | None:
    return ServiceRecord.objects.filter(tenant_id=tenant_id, key=key).select_related("rule", "person").first()


def _same_registration(
    earlier: ServiceRecord, *, person, service_type, started_at, minutes, occasions, description, actor
) -> ServiceRecord:
    """The first record of a retried key, when the retry says the same; a key reused with other contents is a 409."""
    basis = earlier.rule.basis
    try:
        same = (
            (earlier.person_id, earlier.service_type_id, earlier.started_at) == (person.pk, service_type.pk, started_at)
            and earlier.description == (description or "")[:300]
            and (earlier.minutes == _count(minutes, _("Minutes")) if basis == Basis.PER_HOUR
                 else earlier.occasions == _count(occasions, _("Occasions")))
            and earlier.registered_by_id == (actor.pk if getattr(actor, "pk", None) else None)
        )
    except Invalid:
        same = False
    if not same:
        raise Conflict(_("This registration was already made with different contents."))
    earlier.replayed = True
    return earlier


@transaction.atomic
def approve(*, actor, record, note: str = "", step: str | None = None) -> ServiceRecord:
    """One approval: the community's or the resident representative's, whichever the actor holds and is missing
    (or the named `step`, checked against the table first)."""
    locked = SERVICES.lock(actor, record)
    steps = [step] if step else [
        s for s in SERVICES.allowed(actor=actor, obj=locked)
        if s in (ServiceStep.APPROVE_COMMUNITY, ServiceStep.APPROVE_REPRESENTATIVE)
    ]
    if not steps:
        if locked.status in (ServiceStatus.CREDITED, ServiceStatus.REJECTED):
            raise Conflict(_("This service record has been decided already."))
        if actor is not None and actor.pk in (locked.officer_id, locked.representative_id):
            raise Conflict(_("You have approved this service record already."))
        if locked.officer_id and scope_for(actor, APPROVE).covers(locked):
            raise Conflict(_("The community has approved this service record already."))
        if locked.representative_id and representatives.covers(actor, locked):
            raise Conflict(_("A resident representative has approved this service record already."))
        raise NotAllowed(_("Your approval is not the one this service record waits for."))
    step_name = steps[0]
    if step_name not in (ServiceStep.APPROVE_COMMUNITY, ServiceStep.APPROVE_REPRESENTATIVE):
        raise Invalid(_("Choose an approval."))
    if actor is not None and actor.pk in (locked.officer_id, locked.representative_id):
        raise Conflict(_("You have approved this service record already; the other approval needs another person."))
    if actor is not None and actor.pk == locked.registered_by_id:
        raise NotAllowed(_("The registrar does not approve the service they registered."))
    step = SERVICES.begin(actor=actor, obj=locked, step=step_name)
    record, now = step.obj, step.now
    if step_name == ServiceStep.APPROVE_COMMUNITY:
        record.officer, record.officer_at = actor, now
    else:
        record.representative, record.representative_at = actor, now
    to = step.rule.to[0]
    if to == ServiceStatus.CREDITED:
        _credit(record, actor=actor)
        if record.request_id:  # the two-way exchange: the household's request is done
            ServiceRequest.objects.filter(pk=record.request_id).update(is_done=True)
    step.finish(to, note=note)
    audit.record("points.approve_service", record, after={"step": step_name, "status": to, "points": record.points},
                 actor=actor)
    return record


@transaction.atomic
def reject(*, actor, record, reason: str) -> ServiceRecord:
    """Refuse a service record with a reason: no points move."""
    reason = (reason or "").strip()
    step = SERVICES.begin(actor=actor, obj=record, step=ServiceStep.REJECT)
    if not reason:
        raise Invalid(_("Say why the service record is rejected."))
    step.obj.rejection_reason = reason[:200]
    step.finish(ServiceStatus.REJECTED, note=reason[:300])
    audit.record("points.reject_service", step.obj, after={"reason": reason}, actor=actor)
    return step.obj


def _credited(record: ServiceRecord, since: dt.date, until: dt.date) -> int:
    return (
        ServiceRecord.objects.filter(
            person_id=record.person_id, service_type_id=record.service_type_id, status=ServiceStatus.CREDITED,
            served_on__gte=since, served_on__lte=until,
        )
        .exclude(pk=record.pk)
        .aggregate(s=Sum("points"))["s"]
        or 0
    )


def _credit(record: ServiceRecord, *, actor) -> None:
    """Credit the record's passbook under its rule and caps (the passbook's row lock serialises the caps)."""
    Account.objects.select_for_update().get(pk=record.account_id)
    rule = record.rule
    amount = _amounts(rule, minutes=record.minutes, occasions=record.occasions)
    notes = []
    day = record.served_on
    if rule.daily_cap:
        room = max(0, rule.daily_cap - _credited(record, day, day))
        if amount > room:
            amount, _unused = room, notes.append(_("daily cap of %(cap)d") % {"cap": rule.daily_cap})
    if rule.monthly_cap:
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        room = max(0, rule.monthly_cap - _credited(record, first, last))
        if amount > room:
            amount, _unused = room, notes.append(_("monthly cap of %(cap)d") % {"cap": rule.monthly_cap})
    record.points = amount
    record.cap_note = ("; ".join(notes))[:200]
    if amount <= 0:
        return
    community = GridNode.objects.get(pk=record.community_id or record.node_id)
    record.movement = ledger.move(
        debit=ledger.issuing_account(node=community, actor=actor), credit=record.account, amount=amount,
        key=f"service:{record.pk}", kind=MovementKind.GRANT, actor=actor, occurred_at=record.started_at,
        memo=str(record.service_type)[:200], source_type="points.service", source_id=str(record.pk),
        rule_version_id=rule.pk,
    )


def _service_type(tenant_id: int, service_type) -> ServiceType:
    if isinstance(service_type, ServiceType):
        return service_type
    found = ServiceType.objects.filter(tenant_id=tenant_id, code=service_type, is_active=True).first()
    if found is None:
        raise Invalid(_("No service type “%(code)s”.") % {"code": service_type})
    return found


@transaction.atomic
def credit_from_source(
    *, source: str, source_id, person, service_type, quantity, occurred_at: dt.datetime
) -> ServiceRecord:
    """Credit a service proved by another record (a verified report, an activity's attendance), once per source.

    `quantity` is minutes for a per-hour rule and occasions for a per-occasion rule. The record is credited at once
    (its proof is the source) under the rule in force and its caps; a second call with the same source returns the
    first record. The hook the parties app's `attendance_recorded` signal connects to."""
    service_type = _service_type(person.tenant_id, service_type)
    earlier = ServiceRecord.objects.filter(
        tenant_id=person.tenant_id, source_type=source, source_id=str(source_id), person=person
    ).first()
    if earlier is not None:
        return earlier
    served_on = timezone.localdate(occurred_at)
    rule = rule_in_force(service_type, served_on)
    quantity = _count(quantity, _("Quantity"))
    if quantity <= 0:
        raise Invalid(_("Quantity must be more than zero."))
    account = ledger.passbook_for_person(person=person)
    record = ServiceRecord(
        person=person, account=account, service_type=service_type, rule=rule, served_on=served_on,
        started_at=occurred_at, minutes=quantity if rule.basis == Basis.PER_HOUR else 0,
        occasions=min(quantity, MAX_OCCASIONS) if rule.basis == Basis.PER_OCCASION else 1,
        status=ServiceStatus.CREDITED, source_type=source[:40], source_id=str(source_id)[:40], node_id=account.node_id,
    )
    record.stamp_from(account)
    record.save()
    _credit(record, actor=None)
    ServiceRecord.objects.filter(pk=record.pk).update(
        points=record.points, cap_note=record.cap_note, movement=record.movement
    )
    ServiceLog.objects.create(record=record, actor=None, action="credit_from_source", to_status=record.status,
                              note=f"{source}:{source_id}"[:300])
    audit.record("points.credit_from_source", record, after={"source": source, "source_id": str(source_id),
                                                             "points": record.points})
    return record


def credit_verified_report(*, event_id: int, reporter_id: int, tenant_id: int, closed_at: dt.datetime, **_kw):
    """The receiver of events' `report_verified`: the reporter's linked passbook earns the "report" service."""
    account = Account.objects.filter(holder_id=reporter_id, tenant_id=tenant_id, person__isnull=False).first()
    if account is None or not ServiceType.objects.filter(tenant_id=tenant_id, code=REPORT, is_active=True).exists():
        return None
    return credit_from_source(
        source="events.event", source_id=event_id, person=account.person, service_type=REPORT, quantity=1,
        occurred_at=closed_at,
    )


REPORT = "report"  # the service type a verified report earns, when the tenant keeps one with a published rule
ATTENDANCE = "activity"  # the service type attending a party–mass activity earns (parties' attendance_recorded)


def _credit_taking_part(record, *, code: str, source: str, person_id, user_id, minutes: int):
    """Credit someone who took part in a parties record (an activity, a consultation meeting) with the tenant's
    service `code`: per hour for `minutes`, or once per occasion; once per record and person (credit_from_source).

    A registry person earns on her own passbook (opened if she has none); a staff user only through the passbook
    linked to her sign-in. Nothing is credited when the tenant keeps no such type."""
    if record is None:
        return None
    if person_id is not None:
        person = Resident.objects.filter(pk=person_id, tenant_id=record.tenant_id).first()
    else:
        account = Account.objects.filter(holder_id=user_id, tenant_id=record.tenant_id, person__isnull=False).first()
        person = account.person if account is not None else None
    service_type = ServiceType.objects.filter(tenant_id=record.tenant_id, code=code, is_active=True).first()
    if person is None or service_type is None:
        return None
    rule = rule_in_force(service_type, timezone.localdate(record.starts_at))
    return credit_from_source(
        source=source, source_id=record.pk, person=person, service_type=service_type,
        quantity=minutes if rule.basis == Basis.PER_HOUR else 1, occurred_at=record.starts_at,
    )


def credit_attendance(*, activity_id: int, person_id: int | None, user_id: int | None, hours, **_kw):
    """The receiver of parties' `attendance_recorded`: the attendee's passbook earns the tenant's "activity" service
    for the activity's length (per hour) or once (per occasion), once per activity and person."""
    return _credit_taking_part(
        Activity.objects.filter(pk=activity_id).only("pk", "tenant_id", "starts_at").first(), code=ATTENDANCE,
        source="parties.attendance", person_id=person_id, user_id=user_id,
        minutes=max(1, int(Decimal(str(hours)) * 60)),
    )


CONSULTATION = "consultation"  # the service type taking part in a consultation meeting earns (parties' signal)


def credit_consultation(*, meeting_id: int, person_id: int | None, user_id: int | None, **_kw):
    """The receiver of parties' `consultation_attended`: the attendee's passbook earns the tenant's "consultation"
    service, once per meeting and person, under the same rules and caps as attendance: per occasion, or per hour
    with the meeting counted as one hour."""
    return _credit_taking_part(
        Meeting.objects.filter(pk=meeting_id).only("pk", "tenant_id", "starts_at").first(), code=CONSULTATION,
        source="parties.meeting", person_id=person_id, user_id=user_id, minutes=60,
    )


def queue(actor):
    """The service records waiting for this actor's approval (待办): its rights, its scope, not yet decided by it."""
    wanted = Q(pk__in=[])
    if not scope_for(actor, APPROVE).is_empty:
        wanted |= Q(scope_for(actor, APPROVE).q()) & Q(
            status__in=[ServiceStatus.SUBMITTED, ServiceStatus.REPRESENTATIVE_APPROVED]
        )
    if representatives.is_representative(actor):
        wanted |= representatives.q(actor) & Q(
            status__in=[ServiceStatus.SUBMITTED, ServiceStatus.COMMUNITY_APPROVED]
        )
    return (
        ServiceRecord.objects.filter(wanted)
        .exclude(officer=actor)
        .exclude(representative=actor)
        .exclude(registered_by=actor)
    )
