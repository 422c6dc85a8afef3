"""The panels a node's page is made of, registered by the domains that provide them.

A domain registers each of its panels once, from its AppConfig.ready() (the events app: events/panels.py):

    register(Panel(key="events.trend", build=trend, present=present_trend, template="events/dashboard/trend.html",
                   order=20, invalidated_by=("events",)))

- `build(request)` reads the panel's data for `request.actor`, `request.node`, `request.filters` at `request.now`,
  through the actor's scope; None leaves the panel off the page (a grid has no children to rank). The data is
  cached with the page (it must pickle), so it holds values, not a language or a URL. Panels that sum the same
  rows share one read through `request.shared(key, compute)`: the page makes each shared read once.
- `present(data, view)` turns the data into the template's context for one request (labels in the request's
  language, links for `view.url_name`); a "chart" entry joins the JSON the page's charts read. The panel as drawn
  is cached with the data, per language and route, so `present` and the template use nothing else of the request
  (no user, no CSRF token).
- `template` draws the panel on the page, `screen_template` on the large screen ("" : not there).
- `invalidated_by`: the topics whose writes under the node retire a cached page (`dashboards.cache.changed`).
- `valid_until(data)`: when the data changes with the clock alone (an open event's deadline passing), or None.
- `exports`: the .xlsx sheets of the panel, each (table, export kind of exports.registry, label): the page links
  them as /dashboards/<node>/export.xlsx?table=<table>.
- `aggregate`: the panel shows counts only, never a record, a name of a person or a link to one: it may be shown
  read-only to a reader above the district (the city level, cities/). False by default: a panel is held back from
  the city until its app says so.

`dashboards` imports no domain: the domains import it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class PanelExport:
    """A sheet (台账) of a panel: the `table` parameter the page sends, the export kind that builds it."""

    table: str
    kind: str
    label: Promise | str


@dataclass(frozen=True)
class Panel:
    """One panel of a node's page (see the module's docstring)."""

    key: str
    build: Callable[[PanelRequest], Any]
    present: Callable[[Any, PageView], dict]
    template: str
    screen_template: str = ""
    order: int = 100
    invalidated_by: tuple[str, ...] = ()
    valid_until: Callable[[Any], dt.datetime | None] | None = None
    exports: tuple[PanelExport, ...] = ()
    aggregate: bool = False


@dataclass
class PanelRequest:
    """What a panel is built for: the actor, the node, the filters and the moment; and the page's shared reads."""

    actor: Any
    node: Any
    filters: Any
    now: dt.datetime
    memo: dict = field(default_factory=dict)

    def shared(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()` once per page: panels that add up the same rows read them once."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


@dataclass(frozen=True)
class PageView:
    """What a panel's `present` may use of the request: the node, the filters, the page's query string and the
    route its links lead to (the page's own, or the large screen's); which panels the page shows."""

    node: Any
    filters: Any
    query: str
    url_name: str
    shown: frozenset = frozenset()  # the keys of the panels on this page (a panel may widen when another is absent)


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    """Add a panel to every node's page (from an AppConfig.ready(); registering a key again replaces it)."""
    _PANELS[panel.key] = panel


def panels() -> list[Panel]:
    """The registered panels in page order."""
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def panel(key: str) -> Panel | None:
    return _PANELS.get(key)


def aggregate_keys() -> frozenset[str]:
    """The keys of the panels that show counts only (`Panel.aggregate`)."""
    return frozenset(p.key for p in _PANELS.values() if p.aggregate)


def topics() -> tuple[str, ...]:
    """Every topic some panel is invalidated by, sorted (the cache keys a page on their versions)."""
    return tuple(sorted({topic for p in _PANELS.values() for topic in p.invalidated_by}))


def export_for(table: str) -> PanelExport | None:
    """The registered sheet answering ?table=<table>, if any."""
    for p in panels():
        for export in p.exports:
            if export.table == table:
                return export
    return None
