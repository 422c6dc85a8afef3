"""Event reads start here: the tree scope, plus the per-event grants of the people working on an event."""

from __future__ import annotations

from django.db.models import Q

from grids.choices import LEVELS
from grids.querysets import ScopedQuerySet
from grids.rights import VIEW
from grids.scope import scope_for


def unit_ids_of(user) -> frozenset[int]:
    """The handling units the user acts for (one query, cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cache = user.__dict__.setdefault("_scope_cache", {})
    if "_handling_units" not in cache:
        from .models import HandlingUnit

        cache["_handling_units"] = frozenset(
            HandlingUnit.objects.filter(members=user, is_active=True).values_list("id", flat=True)
        )
    return cache["_handling_units"]


def personal_q(user) -> Q:
    """Events someone sees because of their part in them, wherever in the tree: reporter, handler, unit member.

    These are the design's per-object exceptions (a handling unit on one event), kept as direct foreign keys on
    the event rather than one permission row per record."""
    q = Q(reporter_id=user.pk) | Q(current_handler_id=user.pk)
    units = unit_ids_of(user)
    if units:
        q |= Q(current_unit_id__in=sorted(units))
    return q


def _sees_personal_grants(user, right: str) -> bool:
    return right == VIEW and user is not None and user.is_authenticated and user.is_active


def visible_q(user, right: str = VIEW) -> Q:
    """The condition of `visible_to(user, right)`: the tree scope, and for `view` the personal grants."""
    scope = scope_for(user, right)
    if scope.everything:
        return Q()
    if _sees_personal_grants(user, right):
        return scope.q() | (Q(tenant_id=user.tenant_id) & personal_q(user))
    return scope.q()


class EventQuerySet(ScopedQuerySet):
    def visible_to(self, user, right: str = VIEW):
        return self.filter(visible_q(user, right))


def node_branches(scope) -> list[Q] | None:
    """The scope's tree as one equality per node (`tenant_id` and `<level>_id`), or the tenant alone; None for
    every row, [] for none. OR-ed together they are `scope.q()`."""
    if scope.everything:
        return None
    if scope.is_empty or scope.tenant_id is None:
        return []
    tenant = {"tenant_id": scope.tenant_id}
    if scope.whole_tenant:
        return [Q(**tenant)]
    return [
        Q(**tenant, **{f"{level}_id": pk}) for level in LEVELS for pk in sorted(scope.node_ids.get(level, ()))
    ]


def visible_branches(user, right: str = VIEW) -> list[Q] | None:
    """`visible_to(user, right)` as branches whose union is exactly the same rows, None for every row.

    Each branch is a conjunction of equalities led by one indexed column — the tenant, one node of the tree scope
    on its level, the reporter, the handler, one handling unit — so PostgreSQL reads each branch newest first
    from its own index (Event.Meta.indexes, `event_list_*`) and a list page merges the first rows of each
    (events.selectors.event_page). The OR of `visible_to` names all those columns at once, which no index
    serves in order: PostgreSQL then walks the whole table or sorts every visible row (docs/bench.md, Lists)."""
    branches = node_branches(scope_for(user, right))
    if branches is None:
        return None
    if _sees_personal_grants(user, right):
        tenant = {"tenant_id": user.tenant_id}
        branches += [Q(**tenant, reporter_id=user.pk), Q(**tenant, current_handler_id=user.pk)]
        branches += [Q(**tenant, current_unit_id=pk) for pk in sorted(unit_ids_of(user))]
    return branches
