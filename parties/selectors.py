"""Reads of the parties app: every one starts from `visible_to(actor, …)`, aggregates in SQL."""

from __future__ import annotations

from django.db.models import Count, Q

from registry.models import Household

from .models import CentralHousehold, CentralHouseholdLink, LedGrid, Member, PartyOrg


def orgs(*, actor):
    """The organisations the actor sees, in tree order."""
    return PartyOrg.objects.visible_to(actor).select_related("parent", "node").order_by("tree_id", "lft")


def members_per_org(*, actor):
    """Each visible organisation with its current members (formal, probationary): one query."""
    current = Q(members__left_on__isnull=True)
    return (
        orgs(actor=actor)
        .annotate(
            formal=Count("members", filter=current & Q(members__status="formal")),
            probationary=Count("members", filter=current & Q(members__status="probationary")),
        )
    )


def members(*, actor, current: bool = True):
    qs = Member.objects.visible_to(actor).select_related("org", "resident", "user")
    return qs.filter(left_on__isnull=True) if current else qs


def member_history(*, actor, member_id: int):
    """A visible member and her membership changes, oldest first (404 shape: DoesNotExist for one out of scope)."""
    member = Member.objects.visible_to(actor).get(pk=member_id)
    return member, list(member.transfers.select_related("from_org", "to_org").order_by("on_date", "id"))


def coverage(*, actor, on_date=None) -> dict:
    """The share of the visible households in being that are central households or looked after by one."""
    households = Household.objects.visible_to(actor).filter(dissolved_on__isnull=True)
    central = CentralHousehold.objects.filter(until__isnull=True).values("household_id")
    linked = CentralHouseholdLink.objects.filter(until__isnull=True).values("household_id")
    totals = households.aggregate(
        total=Count("id"),
        covered=Count("id", filter=Q(id__in=central) | Q(id__in=linked)),
    )
    total, covered = totals["total"], totals["covered"]
    return {"households": total, "covered": covered, "share": round(covered / total, 4) if total else 0.0}


def branches_of_grid(*, actor, grid_id: int):
    """The branches (and groups) that lead a grid the actor sees."""
    return PartyOrg.objects.filter(
        pk__in=LedGrid.objects.visible_to(actor).filter(node_id=grid_id).values("org_id"), is_archived=False
    )
