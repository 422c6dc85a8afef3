"""The nodes of a page: the node itself (404 outside the actor's jurisdiction), its breadcrumbs, its children and
their shapes for a map."""

from __future__ import annotations

from grids import selectors as grid_selectors
from grids.choices import LEVELS
from grids.models import GridNode, User

# A node's ancestors come with it (a grid has three), without the shapes: the page draws only its children's.
ANCESTORS = "parent__parent__parent"
WITHOUT_SHAPES = ("boundary", "parent__boundary", "parent__parent__boundary", "parent__parent__parent__boundary")


def dashboard_node(*, actor: User, pk: int) -> GridNode:
    """The node with its ancestors, if the actor may see it and it is live (GridNode.DoesNotExist otherwise: a
    404)."""
    return grid_selectors.visible_nodes(actor=actor).select_related(ANCESTORS).defer(*WITHOUT_SHAPES).get(pk=pk)


def node_path(node: GridNode) -> list[GridNode]:
    """The node's ancestors, top first (the breadcrumbs): from the parents loaded with it (dashboard_node), else
    from its stamps (one query; none for a district)."""
    loaded = []
    ancestor = node
    while ancestor.parent_id is not None and GridNode.parent.is_cached(ancestor):
        ancestor = ancestor.parent
        loaded.append(ancestor)
    if ancestor.parent_id is None:
        return loaded[::-1]
    ids = [getattr(node, f"{level}_id") for level in LEVELS[: node.level_index]]
    ids = [pk for pk in ids if pk and pk != node.pk]
    if not ids:
        return []
    found = {n.pk: n for n in GridNode.objects.filter(tenant_id=node.tenant_id, pk__in=ids).only("id", "name", "kind")}
    return [found[pk] for pk in ids if pk in found]


def child_nodes(*, actor: User, node: GridNode) -> list[GridNode]:
    """The live children of `node` the actor may see, by code (one query)."""
    return list(
        GridNode.objects.visible_to(actor)
        .filter(parent_id=node.pk, is_archived=False)
        .only("id", "name", "code", "kind", "subkind", "boundary", "tenant_id")
        .order_by("code")
    )


def feature_collection(nodes: list[GridNode]) -> dict:
    """A GeoJSON FeatureCollection of the nodes' boundaries, named as ECharts matches map data."""
    features = []
    for node in nodes:
        geometry = node.boundary
        if isinstance(geometry, dict) and geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        features.append({"type": "Feature", "properties": {"name": node.name, "id": node.pk}, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}
