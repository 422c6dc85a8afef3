"""Check that a tenant's grid tree is whole, and rebuild it from its parent links when it is not.

The work is the generic tree machinery's (grids.trees.integrity) over the grid tree's spec: the nested set
against the parent links, parent kinds, codes, ancestor stamps, one tree per tenant, and the stamps of the
scoped records that follow their node (models with `restamp_on_move = False` keep theirs and are not checked).
"""

from __future__ import annotations

from .models import Tenant
from .tree_spec import GRID_TREE
from .trees import integrity as generic
from .trees.integrity import Problem

__all__ = ["Problem", "check_all", "check_tree", "rebuild_tree"]


def check_tree(tenant: Tenant) -> list[Problem]:
    """Every inconsistency in the tenant's grid tree: nested set, parent kinds, codes, stamps, one tree, records."""
    return generic.check_tree(GRID_TREE, tenant)


def rebuild_tree(tenant: Tenant) -> None:
    """Recompute the nested set from the parent links and re-stamp nodes and records, under the tree's lock."""
    generic.rebuild_tree(GRID_TREE, tenant)


def check_all(tenants=None) -> dict[Tenant, list[Problem]]:
    """Check every tenant's tree (or the given tenants')."""
    tenants = Tenant.objects.order_by("code") if tenants is None else tenants
    return {tenant: check_tree(tenant) for tenant in tenants}
