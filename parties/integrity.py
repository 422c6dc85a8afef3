"""Check a tenant's party tree: the generic checks (nested set, levels, codes, one root) and the party's own
(each organisation anchored where its parent is, the grids and buildings it leads inside its community)."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from grids.models import Tenant
from grids.trees import integrity as generic
from grids.trees.integrity import Problem

from .choices import OrgLevel
from .models import LedBuilding, LedGrid, PartyOrg
from .tree_spec import PARTY_TREE


def check_tree(tenant: Tenant) -> list[Problem]:
    """Every inconsistency in the tenant's party tree (an empty tree is fine: not every district keeps one)."""
    if not PartyOrg.objects.filter(tenant=tenant).exists():
        return []
    problems = generic.check_tree(PARTY_TREE, tenant)
    orgs = PartyOrg.objects.filter(tenant=tenant)
    for org in orgs.filter(kind__in=[OrgLevel.BRANCH, OrgLevel.GROUP]).exclude(node_id=F("parent__node_id")):
        problems.append(Problem(tenant, _("It is not anchored at its parent's community."), org.pk, org.code))
    for org in orgs.filter(kind__in=[OrgLevel.WORKING_COMMITTEE, OrgLevel.COMMITTEE]).exclude(
        node__parent_id=F("parent__node_id")
    ):
        problems.append(Problem(tenant, _("Its grid node is not within its parent's."), org.pk, org.code))
    for row in LedGrid.objects.filter(tenant=tenant).exclude(community_id=F("org__community_id")).select_related("org"):
        problems.append(Problem(tenant, _("It leads grid #%(grid)d outside its community.") % {"grid": row.node_id},
                                row.org_id, row.org.code))
    for row in LedBuilding.objects.filter(tenant=tenant).exclude(community_id=F("org__community_id")).select_related(
        "org"
    ):
        problems.append(Problem(tenant, _("It covers building #%(building)d outside its community.")
                                % {"building": row.building_id}, row.org_id, row.org.code))
    return problems


def rebuild_tree(tenant: Tenant) -> None:
    """Recompute the nested set from the parent links, under the party tree's lock."""
    generic.rebuild_tree(PARTY_TREE, tenant)
