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


COMING = 10


def my_grid(*, actor, now) -> list[dict]:
    """For each grid the actor works in (her phone): the branches leading it, its central households, its
    co-governance committee(s), and the coming activities of its community's centres (public announcements)."""
    from grids.selectors import home_nodes

    from .models import Activity, Committee

    grids = [node for node in home_nodes(actor=actor) if node.kind == "grid"]
    if not grids:
        return []
    ids = [grid.pk for grid in grids]
    branches: dict[int, list] = {}
    for row in LedGrid.objects.visible_to(actor).filter(node_id__in=ids, org__is_archived=False).select_related("org"):
        branches.setdefault(row.node_id, []).append(row.org)
    centrals: dict[int, list] = {}
    for row in (CentralHousehold.objects.visible_to(actor).filter(grid_id__in=ids, until__isnull=True)
                .select_related("member__resident", "member__user", "household__house__building__compound")
                .annotate(looked_after=Count("links", filter=Q(links__until__isnull=True)))):
        centrals.setdefault(row.grid_id, []).append(row)
    committees: dict[int, list] = {}
    for row in Committee.objects.visible_to(actor).filter(grid_id__in=ids).annotate(
        seats_now=Count("seats", filter=Q(seats__term_end__isnull=True))
    ):
        committees.setdefault(row.grid_id, []).append(row)
    communities = {grid.community_id for grid in grids}
    coming: dict[int, list] = {}
    for row in (Activity.objects.filter(tenant_id=actor.tenant_id, community_id__in=communities, starts_at__gte=now)
                .select_related("centre").order_by("starts_at")[: COMING * len(communities)]):
        coming.setdefault(row.community_id, []).append(row)
    return [
        {"grid": grid, "branches": branches.get(grid.pk, []), "centrals": centrals.get(grid.pk, []),
         "committees": committees.get(grid.pk, []), "activities": coming.get(grid.community_id, [])[:COMING]}
        for grid in grids
    ]


def overview(*, actor, now) -> dict:
    """An officer's page: the organisations of the subtree with their members, coverage, open topics, coming
    activities and published notices."""
    from .choices import OPEN_TOPIC_STATUSES
    from .models import Activity, Notice, Topic

    return {
        "orgs": list(members_per_org(actor=actor).filter(is_archived=False)[:200]),
        "coverage": coverage(actor=actor),
        "topics": list(Topic.objects.visible_to(actor).filter(status__in=OPEN_TOPIC_STATUSES)
                       .select_related("node").order_by("due_on", "id")[:50]),
        "activities": list(Activity.objects.visible_to(actor).filter(starts_at__gte=now)
                           .select_related("centre").order_by("starts_at", "id")[:20]),
        "notices": list(Notice.objects.visible_to(actor).published().select_related("topic")
                        .order_by("-published_at", "-id")[:10]),
    }


def coming_in_community(*, tenant_id: int, community_id: int, now, limit: int = COMING):
    """The coming activities of a community's centres (public announcements: a resident's phone lists them)."""
    from .models import Activity

    return list(Activity.objects.filter(tenant_id=tenant_id, community_id=community_id, starts_at__gt=now)
                .select_related("centre").order_by("starts_at", "id")[:limit])


def activity_in_community(*, tenant_id: int, community_id: int, pk):
    """One coming or past activity of the community (else Activity.DoesNotExist: a 404)."""
    from .models import Activity

    return Activity.objects.get(tenant_id=tenant_id, community_id=community_id, pk=pk)
