"""Writes about volunteer teams, interest groups and partner units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids.choices import NodeKind
from grids.models import GridNode

from ..choices import OfferKind, TeamBrand, TeamKind
from ..models import PartnerOffer, PartnerUnit, Team, TeamMember
from .common import audit, check_manage, same_tenant

PLACES = (NodeKind.COMMUNITY, NodeKind.GRID)


def _place(node: GridNode) -> GridNode:
    if node.kind not in PLACES or node.is_archived:
        raise ValidationError({"node": [_("Choose a community or grid in service.")]})
    return node


@transaction.atomic
def form_team(
    *, node: GridNode, name: str, kind: str, brand: str = "", compound=None, leader=None, actor=None
) -> Team:
    """A volunteer team or interest group of a community or grid (a compound's, where given)."""
    _place(node)
    if kind not in TeamKind.values or brand not in TeamBrand.values:
        raise ValidationError({"kind": [_("Choose one of the offered values.")]})
    same_tenant(compound, node.tenant_id)
    same_tenant(leader, node.tenant_id)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": [_("A name of at most 100 characters is required.")]})
    if Team.objects.filter(node=node, name=name).exists():
        raise ValidationError({"name": [_("A team of this name exists here already.")]})
    team = Team(node=node, name=name, kind=kind, brand=brand, compound=compound, leader=leader)
    team.stamp_from(node)
    check_manage(actor, team)
    team.save()
    audit.record("parties.team.form", team, after={"name": name, "kind": kind}, actor=actor)
    return team


@transaction.atomic
def join_team(*, team: Team, residents: Iterable, on_date: dt.date, actor=None) -> list[TeamMember]:
    """People of the registry join a team (those already in it are left as they are)."""
    check_manage(actor, team)
    residents = list(residents)
    for resident in residents:
        same_tenant(resident, team.tenant_id)
    current = set(team.memberships.filter(left_on__isnull=True).values_list("resident_id", flat=True))
    rows = [TeamMember(team=team, resident=r, joined_on=on_date) for r in {r.pk: r for r in residents}.values()
            if r.pk not in current]
    TeamMember.objects.bulk_create(rows)
    audit.record("parties.team.join", team, summary={"joined": [r.resident_id for r in rows]}, actor=actor)
    return rows


@transaction.atomic
def leave_team(*, member: TeamMember, on_date: dt.date, actor=None) -> TeamMember:
    """Someone leaves a team (the row stays as history)."""
    check_manage(actor, member.team)
    member = TeamMember.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None or on_date < member.joined_on:
        raise ValidationError({"left_on": [_("A member leaves after joining, once.")]})
    member.left_on = on_date
    member.save(update_fields=["left_on"])
    audit.record("parties.team.leave", member.team, summary={"left": member.resident_id}, actor=actor)
    return member


@transaction.atomic
def set_leader(*, team: Team, leader, actor=None) -> Team:
    """The team's leader: one of its current members."""
    check_manage(actor, team)
    same_tenant(leader, team.tenant_id)
    if not team.memberships.filter(resident=leader, left_on__isnull=True).exists():
        raise ValidationError({"leader": [_("The leader is one of the team's members.")]})
    before = team.leader_id
    team.leader = leader
    team.save(update_fields=["leader"])
    audit.record("parties.team.leader", team, before={"leader": before}, after={"leader": leader.pk}, actor=actor)
    return team


@transaction.atomic
def enlist_partner(
    *, node: GridNode, organisation, since: dt.date, offers: Iterable[tuple[str, str]] = (), actor=None
) -> PartnerUnit:
    """A registry organisation becomes a partner unit (好帮手单位) of a community or grid, with what it offers."""
    _place(node)
    same_tenant(organisation, node.tenant_id)
    if getattr(organisation, f"{node.kind}_id") != node.pk and organisation.street_id != node.street_id:
        raise ValidationError({"organisation": [_("The organisation is not in this street.")]})
    partner = PartnerUnit(node=node, organisation=organisation, since=since)
    partner.stamp_from(node)
    check_manage(actor, partner)
    if PartnerUnit.objects.filter(node=node, organisation=organisation, until__isnull=True).exists():
        raise ValidationError({"organisation": [_("It is a partner unit here already.")]})
    offers = list(offers)
    for kind, description in offers:
        if kind not in OfferKind.values or not (description or "").strip():
            raise ValidationError({"offers": [_("Each offer has a kind and a description.")]})
    partner.save()
    PartnerOffer.objects.bulk_create(
        [PartnerOffer(partner=partner, kind=kind, description=description.strip()[:200]) for kind, description in offers]
    )
    audit.record("parties.partner.enlist", partner, after={"organisation": organisation.pk}, actor=actor)
    return partner
