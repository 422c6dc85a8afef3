"""What the grids app adds to the platform's shell (yaohai.core.shell): the role resolver, 导出 in the menu, and
the workbench panels of the tree and the roster — an officer's nodes with their dashboards, the roster gaps of
the whole jurisdiction, a grid worker's own grids."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yaohai.core.shell import GRID_WORKER, OFFICERS, for_roles, home_panels, menu, set_role_resolver

from . import selectors


def my_nodes(actor) -> dict:
    """The top nodes of the jurisdiction, each with its children (two queries)."""
    nodes = selectors.home_nodes(actor=actor)
    children: dict[int, list] = {}
    for child in selectors.visible_nodes(actor=actor).filter(parent__in=nodes).order_by("code"):
        children.setdefault(child.parent_id, []).append(child)
    return {"nodes": [(n, children.get(n.pk, [])) for n in nodes]}


def gaps(actor) -> dict:
    return {"gaps": selectors.roster_gaps(actor=actor)}


def my_grids(actor) -> dict:
    return {"grids": selectors.home_nodes(actor=actor)}


def register() -> None:
    set_role_resolver(selectors.role_of)
    menu.register(
        "exports", _("Exports"), "exports:list", order=60, visible=for_roles(*OFFICERS), icon="download",
        active_on=["exports:*"],
    )
    home_panels.register("my-nodes", "home/panels/my_nodes.html", my_nodes, roles=OFFICERS, order=40)
    home_panels.register("roster-gaps", "home/panels/roster_gaps.html", gaps, roles=OFFICERS, order=50)
    home_panels.register("my-grids", "home/panels/my_grids.html", my_grids, roles=[GRID_WORKER], order=10)
