"""Reads of the tree and the roster, each taking the actor whose jurisdiction bounds it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from . import geo
from .choices import NodeKind
from .models import Assignment, GridNode, Post, Tenant, User
from .rights import VIEW
from .scope import held_kinds, scope_for


def holders_by_node(
    node_ids, *, on, tenant_id: int | None = None, right: str | None = None, tier: str | None = None
) -> dict[int, set[int]]:
    """Per node, the users holding a post on it on the day `on` that grants `right` (or is of `tier`); of one
    tenant when `tenant_id` is given. Not scoped to an actor: the sweeps and the workflows use it to find whom to
    notify or remind."""
    rows = Assignment.objects.current(on).filter(node_id__in=[n for n in node_ids if n]).order_by()
    if tenant_id is not None:
        rows = rows.filter(tenant_id=tenant_id)
    if tier is not None:
        rows = rows.filter(post__tier=tier)
    found: dict[int, set[int]] = {}
    for node_id, user_id, granted in rows.values_list("node_id", "user_id", "post__rights"):
        if right is None or right in (granted or ()):
            found.setdefault(node_id, set()).add(user_id)
    return found


def holders(node_ids, *, on, tenant_id: int | None = None, right: str | None = None, tier: str | None = None) -> set[int]:
    """The users holding such a post on any of these nodes (`holders_by_node`, merged)."""
    by_node = holders_by_node(node_ids, on=on, tenant_id=tenant_id, right=right, tier=tier)
    return set().union(*by_node.values())


def visible_nodes(*, actor: User, right: str = VIEW):
    """The live nodes the actor may see."""
    return GridNode.objects.visible_to(actor, right).filter(is_archived=False)


def home_nodes(*, actor: User, right: str = VIEW) -> list[GridNode]:
    """The top nodes of the actor's jurisdiction for `right`: where their dashboards, rosters (and, for `assess`,
    assessment pages) start. Kept on the user object beside its scope, for the life of the request (the menu and
    the workbench both ask)."""
    cache = actor.__dict__.setdefault("_home_nodes", {})
    if right not in cache:
        cache[right] = _home_nodes(actor, right)
    return list(cache[right])


def home_node_ids(*, actor: User, right: str = VIEW) -> list[int]:
    """The ids of `home_nodes`, in the same order: from the scope alone (no query) when the jurisdiction hangs from
    one node, as most officers' and grid workers' does (the menu's link to the dashboard, on every page)."""
    known = actor.__dict__.get("_home_nodes", {}).get(right)
    if known is None:
        scope = scope_for(actor, right)
        ids = {pk for ids in scope.node_ids.values() for pk in ids}
        if not (scope.everything or scope.whole_tenant) and len(ids) <= 1:
            return list(ids)  # the scope holds live nodes only (grids.scope)
    return [node.pk for node in home_nodes(actor=actor, right=right)]


def _home_nodes(actor: User, right: str) -> list[GridNode]:
    scope = scope_for(actor, right)
    if scope.everything or scope.whole_tenant:
        roots = GridNode.objects.filter(parent__isnull=True, is_archived=False)
        if not scope.everything:
            roots = roots.filter(tenant_id=scope.tenant_id)
        return list(roots.order_by("code"))
    ids = {pk for ids in scope.node_ids.values() for pk in ids}
    # The tenant named too: on a database split by tenant the read goes to one node (docs/scale.md).
    nodes = list(
        GridNode.objects.filter(tenant_id=scope.tenant_id, pk__in=ids, is_archived=False).order_by("tree_id", "lft")
    )
    # Drop nodes already inside another held node's subtree.
    return [
        n for n in nodes if not any(o.pk != n.pk and o.tree_id == n.tree_id and o.lft < n.lft < o.rght for o in nodes)
    ]


def locate_grid(*, actor: User, lon: float, lat: float) -> GridNode | None:
    """The grid, among those the actor may see, whose boundary covers the point; None where none does."""
    for grid in visible_nodes(actor=actor).grids_at(lon, lat).order_by("code"):
        if grid.boundary and geo.contains_point(grid.boundary, lon, lat):
            return grid
    return None


def point_outside_district(*, tenant_id: int, lon: float, lat: float) -> bool:
    """True when the point is known to lie outside the tenant's district: outside the district's boundary where
    one is drawn, else inside a grid of another district. Where no boundary says either, the point is accepted."""
    root = GridNode.objects.filter(tenant_id=tenant_id, parent__isnull=True).only("boundary").first()
    if root is not None and root.boundary:
        return not geo.contains_point(root.boundary, lon, lat, tolerance=geo.CONTAINMENT_TOLERANCE)
    others = GridNode.objects.grids_at(lon, lat).exclude(tenant_id=tenant_id).only("boundary")
    return any(grid.boundary and geo.contains_point(grid.boundary, lon, lat) for grid in others)


def boundaries_geojson(grids) -> dict | None:
    """A GeoJSON FeatureCollection of the grids' boundaries (properties: key, id, name), for the maps where a tap
    places a report (the staff 上报 form, a resident's 随手拍); None when none of them has a boundary."""
    features = []
    for grid in grids.filter(boundary__isnull=False).values("pk", "name", "boundary"):
        geometry = grid["boundary"]
        if isinstance(geometry, dict) and geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
        if isinstance(geometry, dict) and geometry.get("type") in ("Polygon", "MultiPolygon"):
            properties = {"key": str(grid["pk"]), "id": grid["pk"], "name": grid["name"]}
            features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features} if features else None


@dataclass
class RosterRow:
    post: Post
    holders: list[Assignment]

    @property
    def is_gap(self) -> bool:
        return not self.holders


@dataclass
class NodeRoster:
    node: GridNode
    rows: list[RosterRow]

    @property
    def gaps(self) -> list[Post]:
        return [row.post for row in self.rows if row.is_gap and row.post.required_on and self.node.kind in row.post.required_on]


def rosters(*, actor: User, nodes: list[GridNode]) -> list[NodeRoster]:
    """Who holds which post on each node today, and which required posts stand empty (two queries)."""
    if not nodes:
        return []
    today = timezone.localdate()
    tenant_ids = {n.tenant_id for n in nodes}
    posts = list(Post.objects.filter(tenant_id__in=tenant_ids, is_active=True).order_by("sort_order", "code"))
    current = (
        Assignment.objects.visible_to(actor)
        .current(today)
        .filter(node__in=nodes)
        .select_related("user", "post")
        .order_by("post__sort_order", "start_date")
    )
    by_node: dict[int, dict[int, list[Assignment]]] = {}
    for a in current:
        by_node.setdefault(a.node_id, {}).setdefault(a.post_id, []).append(a)
    result = []
    for node in nodes:
        held = by_node.get(node.pk, {})
        rows = [
            RosterRow(post=p, holders=held.get(p.pk, []))
            for p in posts
            if p.tenant_id == node.tenant_id and (held.get(p.pk) or node.kind in (p.required_on or ()))
        ]
        result.append(NodeRoster(node=node, rows=rows))
    return result


def node_children(*, actor: User, node: GridNode):
    return visible_nodes(actor=actor).filter(parent=node).order_by("code")


def role_of(user: User) -> str:
    """Which home page a user gets: 'admin', 'officer', 'grid_worker' or 'none'."""
    if user.is_superuser or user.is_tenant_admin:
        return "admin"
    kinds = held_kinds(user)  # from the scope's query
    if kinds - {NodeKind.GRID}:
        return "officer"
    if kinds:
        return "grid_worker"
    return "none"



@dataclass
class RosterGaps:
    """The required posts that stand empty anywhere in the actor's jurisdiction: the first rows and how many."""

    rows: list[tuple[GridNode, Post]]
    total: int
    more: bool  # the total stopped counting at the limit


def roster_gaps(*, actor: User, limit: int = 20, count_up_to: int = 500) -> RosterGaps:
    """Every live node in the actor's jurisdiction (the whole subtree, at any depth) that lacks a post its level
    requires: one query for the posts, then one per required post of the tenant (its empty nodes, counted up to
    `count_up_to`), whatever the size of the subtree."""
    today = timezone.localdate()
    posts = [
        p
        for p in Post.objects.filter(tenant_id__in=_tenant_ids(actor), is_active=True).order_by("sort_order", "code")
        if p.required_on
    ]
    rows: list[tuple[GridNode, Post]] = []
    total, more = 0, False
    for post in posts:
        held = Assignment.objects.current(today).filter(post=post).values("node_id")
        empty = list(
            visible_nodes(actor=actor)
            .filter(tenant_id=post.tenant_id, kind__in=post.required_on)
            .exclude(pk__in=held)
            .select_related("parent")
            .only("id", "name", "code", "kind", "tree_id", "lft", "parent__id", "parent__name")
            .order_by("tree_id", "lft")[:count_up_to]
        )
        rows += [(node, post) for node in empty]
        total += len(empty)
        more = more or len(empty) >= count_up_to
    rows.sort(key=lambda row: (row[0].tree_id, row[0].lft, row[1].sort_order))
    return RosterGaps(rows=rows[:limit], total=total, more=more)


def _tenant_ids(actor: User):
    scope = scope_for(actor)
    if scope.everything:
        return Tenant.objects.values("id")
    return [scope.tenant_id] if scope.tenant_id else []
