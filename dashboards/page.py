"""A node's page computed: its breadcrumbs and each registered panel's data, in a fixed number of queries (the
panels' own, their shared reads made once)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from grids.models import GridNode, User

from . import registry
from .filters import DashboardFilters
from .nodes import node_path


@dataclass
class Page:
    """What the cache keeps of a node's page: the data of each panel shown (by key, in page order)."""

    node: GridNode
    filters: DashboardFilters
    now: dt.datetime
    path: list[GridNode] = field(default_factory=list)
    panels: dict[str, Any] = field(default_factory=dict)
    # The first moment a panel's data can change without a write (an open event's deadline passing), or None.
    valid_until: dt.datetime | None = None


def build_page(
    *, actor: User, node: GridNode, filters: DashboardFilters, now: dt.datetime | None = None, kept=None
) -> Page:
    """Every registered panel's data for the node, read through the actor's scope; a panel that `kept` (a
    `dashboards.cache.PanelKeeper`) still holds is taken from it, the others are built and handed to it."""
    now = now or timezone.now()
    request = registry.PanelRequest(actor=actor, node=node, filters=filters, now=now)
    page = Page(node=node, filters=filters, now=now, path=node_path(node))
    for panel in registry.panels():
        found, data = kept.get(panel) if kept is not None else (False, None)
        if not found:
            data = panel.build(request)
            if kept is not None:
                kept.keep(panel, data, panel.valid_until(data) if panel.valid_until and data is not None else None)
        if data is None:
            continue
        page.panels[panel.key] = data
        until = panel.valid_until(data) if panel.valid_until else None
        if until is not None and (page.valid_until is None or until < page.valid_until):
            page.valid_until = until
    return page
