"""Jurisdiction: what a user may see or do, as one Q over the ancestor stamps that scoped records carry.

A user's scope for an action (a right, declared by an app: yaohai.core.rights) is the union of the subtrees of the
nodes where they hold a current post that grants it, intersected with their tenant. A tenant admin holds the whole
tenant; a superuser holds every tenant. The assignments are read once per user object (one query); the scope of
each right is computed when a request first asks for it, and cached on the object.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from yaohai.core import rights

from .choices import LEVELS
from .rights import VIEW


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
# The scope cache also keeps the user's current assignments as read (node, kind, rights) and the kinds of node
# the user holds a post in (read by the same query).
ROWS = "_rows"
HELD_KINDS = "_held_kinds"


def scope_for(user, right: str = VIEW) -> Scope:
    """The user's scope for `right` (a right some app declared), cached on the user object for the request.

    One query reads the user's current assignments, once per request; the scope of each right the request asks
    about is built from those rows when it is first asked: a request that checks `report`, `view` and `dispatch`
    pays for one query. A code no app declared is a programming error (ValueError), never an empty scope.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cache = user.__dict__.setdefault("_scope_cache", {})
    if right not in cache:
        if not rights.is_known(right):
            raise ValueError(f"no app declares the right {right!r} (yaohai.core.rights.register)")
        cache[right] = _scope(user, right, cache)
    return cache[right]


def _scope(user, right: str, cache: dict) -> Scope:
    if user.is_superuser:
        return Scope(everything=True)
    if user.tenant_id is None:
        return NO_SCOPE
    if user.is_tenant_admin:
        return Scope(tenant_id=user.tenant_id, whole_tenant=True)
    rows = cache.get(ROWS)
    if rows is None:
        rows = cache[ROWS] = _assignments(user)
        cache[HELD_KINDS] = frozenset(kind for _node, kind, _rights in rows)
    node_ids: dict[str, set[int]] = defaultdict(set)
    for node_id, kind, granted in rows:
        if right in (granted or ()):
            node_ids[kind].add(node_id)
    return Scope(tenant_id=user.tenant_id, node_ids={k: frozenset(v) for k, v in node_ids.items()})


def _assignments(user) -> list[tuple[int, str, list[str]]]:
    """(node, its kind, the rights its post grants) for each current assignment of the user on a live node."""
    from .models import Assignment

    return list(
        Assignment.objects.current(timezone.localdate())
        .filter(user=user, tenant_id=user.tenant_id, node__is_archived=False)
        .values_list("node_id", "node__kind", "post__rights")
        .order_by()  # a set is built from them: no need for the model's ordering (and its sort)
    )


def held_kinds(user) -> frozenset[str]:
    """The kinds of live node (street, grid, …) the user holds a current post in, whatever its rights: read with
    the scope, so no query of its own once the scope is known (none for superusers and tenant admins)."""
    scope_for(user)
    return user.__dict__.get("_scope_cache", {}).get(HELD_KINDS, frozenset())


def forget_scope(user) -> None:
    """Drop the cached scope, after the user's assignments change within the same request."""
    user.__dict__.pop("_scope_cache", None)
    user.__dict__.pop("_home_nodes", None)  # grids.selectors.home_nodes keeps its answer beside the scope
