"""Writes about party members: admission, becoming formal, transfers (each one a history row, nothing
overwritten), home-community registration (双报到) with service hours, central households and their links."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids.choices import NodeKind
from registry.models import HouseholdMember

from ..choices import MemberStatus, OrgLevel, TransferKind
from ..models import (
    CentralHousehold,
    CentralHouseholdLink,
    Member,
    PartyOrg,
    ServiceHours,
    ServiceRegistration,
    Transfer,
)
from .common import audit, check_manage, same_tenant

MEMBER_LEVELS = (OrgLevel.COMMITTEE, OrgLevel.BRANCH, OrgLevel.GROUP)


def _org_for_members(org: PartyOrg) -> PartyOrg:
    if org.kind not in MEMBER_LEVELS or org.is_archived:
        raise ValidationError({"org": [_("Members belong to a community organisation, a branch or a group in service.")]})
    return org


def _log(member, kind, on_date, actor, *, from_org=None, to_org=None, elsewhere="", note=""):
    return Transfer.objects.create(
        member=member, kind=kind, on_date=on_date, from_org=from_org, to_org=to_org,
        elsewhere=(elsewhere or "")[:100], note=(note or "")[:200], actor=actor,
    )


def _locked(member: Member) -> Member:
    return Member.objects.select_for_update().get(pk=member.pk)


@transaction.atomic
def admit_member(
    *, org: PartyOrg, joined_on: dt.date, resident=None, user=None, status: str = MemberStatus.FORMAL,
    formal_on: dt.date | None = None, in_service: bool = False, work_unit: str = "", transferred_from: str = "",
    on_date: dt.date | None = None, actor=None,
) -> Member:
    """A member joins the organisation: newly admitted, or transferred in from elsewhere (`transferred_from`)."""
    check_manage(actor, org)
    _org_for_members(org)
    if (resident is None) == (user is None):
        raise ValidationError({"person": [_("Choose a person of the registry or a staff user.")]})
    same_tenant(resident, org.tenant_id)
    if user is not None and user.tenant_id != org.tenant_id:
        raise ValidationError({"person": [_("Choose a person of the registry or a staff user.")]})
    if status not in MemberStatus.values:
        raise ValidationError({"status": [_("Choose one of the offered values.")]})
    if formal_on is not None and formal_on < joined_on:
        raise ValidationError({"formal_on": [_("A member becomes formal after joining.")]})
    current = Member.objects.filter(left_on__isnull=True)
    if (resident and current.filter(resident=resident).exists()) or (user and current.filter(user=user).exists()):
        raise ValidationError({"person": [_("This person is a member already.")]})
    member = Member(
        org=org, node=org.node, resident=resident, user=user, status=status, joined_on=joined_on,
        formal_on=formal_on if status == MemberStatus.FORMAL else None, in_service=in_service,
        work_unit=(work_unit or "")[:100],
    )
    member.stamp_from(org.node)
    member.save()
    if transferred_from:
        _log(member, TransferKind.TRANSFER_IN, on_date or joined_on, actor, to_org=org, elsewhere=transferred_from)
    else:
        _log(member, TransferKind.JOINED, joined_on, actor, to_org=org)
    audit.record("parties.member.admit", member, after={"org": org.pk, "status": status}, actor=actor)
    return member


@transaction.atomic
def make_formal(*, member: Member, on_date: dt.date, actor=None) -> Member:
    """A probationary member becomes formal (转正)."""
    check_manage(actor, member)
    member = _locked(member)
    if member.status != MemberStatus.PROBATIONARY or member.left_on or on_date < member.joined_on:
        raise ValidationError({"status": [_("Only a current probationary member becomes formal, after joining.")]})
    member.status, member.formal_on = MemberStatus.FORMAL, on_date
    member.save(update_fields=["status", "formal_on"])
    _log(member, TransferKind.BECAME_FORMAL, on_date, actor, to_org=member.org)
    audit.record("parties.member.formal", member, after={"formal_on": on_date}, actor=actor)
    return member


@transaction.atomic
def transfer_member(*, member: Member, to_org: PartyOrg, on_date: dt.date, note: str = "", actor=None) -> Member:
    """A member moves to another organisation of the district: re-stamped there, the move kept as history."""
    check_manage(actor, member)
    check_manage(actor, to_org)
    same_tenant(to_org, member.tenant_id)
    member = _locked(member)
    _org_for_members(to_org)
    if member.left_on is not None or member.org_id == to_org.pk:
        raise ValidationError({"org": [_("Choose another organisation for a current member.")]})
    if member.transfers.filter(on_date__gt=on_date).exists():
        raise ValidationError({"on_date": [_("A transfer cannot come before the member's last change.")]})
    before = member.org
    member.org, member.node = to_org, to_org.node
    member.stamp_from(to_org.node)
    member.save()
    _log(member, TransferKind.MOVED, on_date, actor, from_org=before, to_org=to_org, note=note)
    audit.record("parties.member.transfer", member, before={"org": before.pk}, after={"org": to_org.pk}, actor=actor)
    return member


@transaction.atomic
def transfer_out(*, member: Member, on_date: dt.date, to_elsewhere: str, note: str = "", actor=None) -> Member:
    """A member leaves the district's party tree (组织关系转出); the record stays with its history."""
    check_manage(actor, member)
    member = _locked(member)
    if member.left_on is not None:
        raise ValidationError({"member": [_("This member has transferred out already.")]})
    if not (to_elsewhere or "").strip():
        raise ValidationError({"to_elsewhere": [_("Say where the membership goes.")]})
    if on_date < member.joined_on or member.transfers.filter(on_date__gt=on_date).exists():
        raise ValidationError({"on_date": [_("A transfer cannot come before the member's last change.")]})
    member.left_on = on_date
    member.save(update_fields=["left_on"])
    _log(member, TransferKind.TRANSFER_OUT, on_date, actor, from_org=member.org, elsewhere=to_elsewhere.strip(),
         note=note)
    audit.record("parties.member.transfer_out", member, after={"left_on": on_date}, actor=actor)
    return member


@transaction.atomic
def register_at_home(*, member: Member, community, on_date: dt.date, actor=None) -> ServiceRegistration:
    """An in-service member registers at her home community (双报到); an earlier registration ends."""
    same_tenant(community, member.tenant_id)
    if community.kind != NodeKind.COMMUNITY or community.is_archived:
        raise ValidationError({"community": [_("Choose a community in service.")]})
    registration = ServiceRegistration(member=member, node=community, registered_on=on_date)
    registration.stamp_from(community)
    check_manage(actor, registration)
    member = _locked(member)
    if not member.in_service or member.left_on is not None:
        raise ValidationError({"member": [_("Only a current in-service member registers at a home community.")]})
    for earlier in member.registrations.filter(ended_on__isnull=True):
        if earlier.registered_on > on_date:
            raise ValidationError({"on_date": [_("The new registration starts after the current one.")]})
        earlier.ended_on = on_date
        earlier.save(update_fields=["ended_on"])
    registration.save()
    audit.record("parties.member.register", registration, after={"community": community.pk}, actor=actor)
    return registration


@transaction.atomic
def log_service_hours(*, registration: ServiceRegistration, on_date: dt.date, hours, what: str, actor=None):
    """Hours an in-service member served at her home community."""
    check_manage(actor, registration)
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": [_("Give the hours as a number.")]}) from None
    if not (Decimal("0") < hours <= Decimal("24")):
        raise ValidationError({"hours": [_("Between 0.1 and 24 hours a day.")]})
    if on_date < registration.registered_on or (registration.ended_on and on_date > registration.ended_on):
        raise ValidationError({"on_date": [_("The day falls outside the registration.")]})
    if not (what or "").strip():
        raise ValidationError({"what": [_("Say what the service was.")]})
    row = ServiceHours(registration=registration, on_date=on_date, hours=hours, what=what.strip()[:200],
                       node_id=registration.node_id)
    row.stamp_from(registration.node)
    row.save()
    audit.record("parties.member.hours", row, after={"hours": hours}, actor=actor)
    return row


def _current_household_of(member: Member):
    if member.resident_id is None:
        return None
    row = HouseholdMember.objects.filter(resident_id=member.resident_id, left_on__isnull=True).first()
    return row.household if row else None


@transaction.atomic
def name_central_household(*, member: Member, since: dt.date, household=None, actor=None) -> CentralHousehold:
    """A member's household becomes a central household (党员中心户); by default the one she lives in now."""
    household = household or _current_household_of(member)
    if household is None:
        raise ValidationError({"household": [_("The member lives in no household of the registry.")]})
    same_tenant(household, member.tenant_id)
    if household.dissolved_on is not None or member.left_on is not None:
        raise ValidationError({"household": [_("A current member's household in being.")]})
    if CentralHousehold.objects.filter(household=household, until__isnull=True).exists():
        raise ValidationError({"household": [_("This household is a central household already.")]})
    central = CentralHousehold(member=member, household=household, since=since, node_id=household.node_id)
    central.stamp_from(household.node)
    check_manage(actor, central)
    central.save()
    audit.record("parties.central.name", central, after={"member": member.pk, "household": household.pk}, actor=actor)
    return central


@transaction.atomic
def look_after(*, central: CentralHousehold, household, since: dt.date, actor=None) -> CentralHouseholdLink:
    """A central household starts looking after another household (联系户) of its community."""
    check_manage(actor, central)
    same_tenant(household, central.tenant_id)
    if central.until is not None:
        raise ValidationError({"central": [_("This central household has ended.")]})
    if household.pk == central.household_id or household.dissolved_on is not None:
        raise ValidationError({"household": [_("Choose another household in being.")]})
    if household.community_id != central.community_id:
        raise ValidationError({"household": [_("A central household looks after households of its own community.")]})
    if CentralHouseholdLink.objects.filter(household=household, until__isnull=True).exists():
        raise ValidationError({"household": [_("Another central household looks after this household already.")]})
    link = CentralHouseholdLink(central=central, household=household, since=since, node_id=household.node_id)
    link.stamp_from(household.node)
    link.save()
    audit.record("parties.central.link", link, after={"household": household.pk}, actor=actor)
    return link


@transaction.atomic
def stop_looking_after(*, link: CentralHouseholdLink, until: dt.date, actor=None) -> CentralHouseholdLink:
    """End a link (the row stays as history)."""
    check_manage(actor, link)
    link = CentralHouseholdLink.objects.select_for_update().get(pk=link.pk)
    if link.until is not None or until < link.since:
        raise ValidationError({"until": [_("The link ends after it starts, once.")]})
    link.until = until
    link.save(update_fields=["until"])
    audit.record("parties.central.unlink", link, after={"until": until}, actor=actor)
    return link
