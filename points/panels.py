"""The points' panel of a node's page (驾驶舱), registered with dashboards.registry: points issued and spent per
community over the page's date range, and the most active volunteers and households (the points they earned).

Every read starts from the actor's scope (`visible_to`) filtered to the node's subtree, and is an SQL aggregate
over the ledger's entries: one query when nothing moved in the range, at most four whatever the size of the ledger. The same rows make the panel's sheets
(points/exports.py)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from dashboards.registry import Panel, PanelExport, register
from grids.models import GridNode

from .choices import PASSBOOK_KINDS, AccountKind, MovementKind
from .models import Entry

TOP = 10
DASHBOARD = "points.dashboard"  # the export kind of the panel's sheets (points/exports.py)
TABLES = ("points_communities", "points_volunteers", "points_households")
SPENT_INTO = (AccountKind.POOL, AccountKind.PARTNER)


def _entries(actor, node, filters):
    return Entry.objects.visible_to(actor).filter(
        tenant_id=node.tenant_id, **{f"{node.kind}_id": node.pk},
        occurred_at__gte=filters.start, occurred_at__lt=filters.end,
    )


def per_community(actor, node, filters) -> list[dict]:
    """Per community (and the district's own issuing account): points issued (granted, net of reversals of
    grants) and spent (paid into pools and partners, net of refunds); and what passbooks earned there, so that the
    panel asks for the most active only where someone earned (one query when the ledger is quiet)."""
    issued = Q(account__kind=AccountKind.ISSUING)
    spent = Q(account__kind__in=SPENT_INTO)
    earned = Q(account__kind__in=PASSBOOK_KINDS, amount__gt=0, movement__kind=MovementKind.GRANT)
    rows = list(
        _entries(actor, node, filters).filter(issued | spent | earned)
        .values("community_id")
        .annotate(
            issued=Sum("amount", filter=issued & Q(movement__kind__in=[MovementKind.GRANT, MovementKind.REVERSAL])),
            spent=Sum("amount", filter=spent),
            volunteers=Sum("amount", filter=earned & Q(account__kind=AccountKind.VOLUNTEER)),
            households=Sum("amount", filter=earned & Q(account__kind=AccountKind.HOUSEHOLD)),
        )
        .order_by("community_id")
    )
    ids = [r["community_id"] for r in rows if r["community_id"]]
    names = dict(GridNode.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    found = [
        {"community": names.get(r["community_id"], ""), "issued": -(r["issued"] or 0), "spent": r["spent"] or 0,
         "volunteers": r["volunteers"] or 0, "households": r["households"] or 0}
        for r in rows
    ]
    return sorted(found, key=lambda r: (-r["issued"], r["community"]))


def earners(actor, node, filters, kind: str):
    """The passbooks of `kind` that earned points in the range (grants only), most first, with how many times."""
    return (
        _entries(actor, node, filters)
        .filter(account__kind=kind, amount__gt=0, movement__kind=MovementKind.GRANT)
        .values("account_id", "account__number", "account__name", "account__community__name")
        .annotate(earned=Sum("amount"), times=Count("id"))
        .order_by("-earned", "account__number")
    )


def most_active(actor, node, filters, kind: str, limit: int | None = TOP) -> list[dict]:
    """The passbooks of `kind` that earned the most points in the range."""
    rows = earners(actor, node, filters, kind)
    return [
        {"number": r["account__number"], "name": r["account__name"], "community": r["account__community__name"] or "",
         "earned": r["earned"], "times": r["times"]}
        for r in (rows[:limit] if limit else rows)
    ]


def build_overview(request) -> dict | None:
    actor, node, filters = request.actor, request.node, request.filters
    communities = per_community(actor, node, filters)
    if not communities:
        return None
    volunteers = most_active(actor, node, filters, AccountKind.VOLUNTEER) if any(
        r["volunteers"] for r in communities) else []
    households = most_active(actor, node, filters, AccountKind.HOUSEHOLD) if any(
        r["households"] for r in communities) else []
    return {
        "issued": sum(r["issued"] for r in communities),
        "spent": sum(r["spent"] for r in communities),
        "communities": communities,
        "volunteers": volunteers,
        "households": households,
    }


def present_overview(data, view) -> dict:
    return {"points": data}


def register_panels() -> None:
    """Called from PointsConfig.ready()."""
    register(Panel(
        key="points.overview", build=build_overview, present=present_overview, order=85,
        invalidated_by=("points",), template="points/dashboard/overview.html",
        exports=(
            PanelExport("points_communities", DASHBOARD, _("Points issued and spent per community")),
            PanelExport("points_volunteers", DASHBOARD, _("Most active volunteers")),
            PanelExport("points_households", DASHBOARD, _("Most active households")),
        ),
    ))
