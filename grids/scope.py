"""Jurisdiction: what a user may see or do, as one Q over the ancestor stamps that scoped records carry.

A user's scope for an action is the union of the subtrees of the nodes where they hold a current post that
grants the action, intersected with their tenant. A tenant admin holds the whole tenant; a superuser holds
every tenant. The scope is computed once per user object and action (one query) and cached on the object.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from .choices import LEVELS, Action


@dataclass(frozen=True)
class Scope:
    """The nodes a user's jurisdiction hangs from, grouped by level, inside one tenant."""

    everything: bool = False
    tenant_id: int | None = None
    whole_tenant: bool = False
    node_ids: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.whole_tenant or any(self.node_ids.values()))

    def q(self, prefix: str = "") -> Q:
        """A filter for records carrying `tenant`, `district`, `street`, `community`, `grid` (under `prefix`)."""
        if self.everything:
            return Q()
        if self.is_empty or self.tenant_id is None:
            return Q(pk__in=[])
        tenant = Q(**{f"{prefix}tenant_id": self.tenant_id})
        if self.whole_tenant:
            return tenant
        subtrees = Q()
        for level in LEVELS:
            ids = self.node_ids.get(level)
            if ids:
                subtrees |= Q(**{f"{prefix}{level}_id__in": sorted(ids)})
        return tenant & subtrees

    def covers(self, record) -> bool:
        """The same test as `q()`, for one record already in memory (no query)."""
        if self.everything:
            return True
        if self.is_empty or record.tenant_id != self.tenant_id:
            return False
        if self.whole_tenant:
            return True
        return any(getattr(record, f"{level}_id") in self.node_ids.get(level, ()) for level in LEVELS)


NO_SCOPE = Scope()
# The scope cache also keeps the kinds of node the user holds a post in (read by the same query).
HELD_KINDS = "_held_kinds"


def scope_for(user, action: str = Action.VIEW) -> Scope:
    """The user's scope for `action`, cached on the user object for the life of the request.

    One query reads the user's current assignments and builds the scope of every action at once: a request
    that checks `report`, `view` and `dispatch` pays for it once.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cache = user.__dict__.setdefault("_scope_cache", {})
    if action not in cache:
        cache.update(_compute_scopes(user))
    return cache.get(action, NO_SCOPE)


def _compute_scopes(user) -> dict[str, Scope]:
    if user.is_superuser:
        return dict.fromkeys(Action.values, Scope(everything=True))
    if user.tenant_id is None:
        return dict.fromkeys(Action.values, NO_SCOPE)
    if user.is_tenant_admin:
        return dict.fromkeys(Action.values, Scope(tenant_id=user.tenant_id, whole_tenant=True))
    from .models import Assignment

    node_ids: dict[str, dict[str, set[int]]] = {action: defaultdict(set) for action in Action.values}
    kinds: set[str] = set()
    rows = (
        Assignment.objects.current(timezone.localdate())
        .filter(user=user, tenant_id=user.tenant_id, node__is_archived=False)
        .values_list("node_id", "node__kind", "post__actions")
        .order_by()  # a set is built from them: no need for the model's ordering (and its sort)
    )
    for node_id, kind, actions in rows:
        kinds.add(kind)
        for action in actions or ():
            if action in node_ids:
                node_ids[action][kind].add(node_id)
    scopes = {
        action: Scope(tenant_id=user.tenant_id, node_ids={k: frozenset(v) for k, v in by_kind.items()})
        for action, by_kind in node_ids.items()
    }
    return {**scopes, HELD_KINDS: frozenset(kinds)}


def held_kinds(user) -> frozenset[str]:
    """The kinds of live node (street, grid, …) the user holds a current post in, whatever its actions: read with
    the scope, so no query of its own once the scope is known (none for superusers and tenant admins)."""
    scope_for(user)
    return user.__dict__.get("_scope_cache", {}).get(HELD_KINDS, frozenset())


def forget_scope(user) -> None:
    """Drop the cached scope, after the user's assignments change within the same request."""
    user.__dict__.pop("_scope_cache", None)
    user.__dict__.pop("_home_nodes", None)  # grids.selectors.home_nodes keeps its answer beside the scope
