"""A node's page (dashboards.page), kept in the shared cache until something it shows changes.

An entry is keyed by the node, the filters, the actor's tree scope and versions:

- the node's version of each topic the registered panels are invalidated by (`Panel.invalidated_by`), replaced
  whenever a record of that topic under the node is written: the events services call `changed("events", …)`
  with the event's stamps (district, street, community, grid) before and after the write;
- the tenant's version, replaced by bulk recounts (the events' `rollups.rebuild`, `recount_nodes` after a move)
  and by any edit of a node (here) or of what a domain shows by name (the events' categories); and one version
  for all tenants, replaced by a rebuild of every tenant's data.

Beside the page, each panel's data is kept on its own, keyed by the versions of its own topics only
(`PanelKeeper`): when a write of one topic retires a page, computing it again builds only the panels of that topic
(an event filed under a community recomputes the events' panels; the registry's, the parties', mediation's and
the points' come from the cache). A panel that declares no topic is always built.

Some panels also change with the clock alone ("overdue now" and the overdue list). An entry is therefore used
only before the page's `valid_until` (the earliest of its panels' `valid_until`), and never longer than
DASHBOARD_CACHE_SECONDS.

A version is a random token. It is replaced once at the write, and again when the write's transaction commits:
a reader that computed between the two saw the data before the commit and keyed its entry with the first token,
which the commit retires. A hit is exactly what a fresh computation would show.

With a read replica (yaohai.core.replica) the page is computed from the replica, which may lag the commit by a
moment: a token also carries the time it was set, and a page computed from the replica within REPLICA_PIN_SECONDS
of its newest token is kept only until that window ends, so the write shows once the replica has replayed it.

The cache must be one for all processes (Redis): without Redis, DASHBOARD_CACHE_SECONDS defaults to 0 and every
dashboard is computed (a process-local cache would miss the writes of the other processes). If the cache is down,
dashboards are computed and writes go on; a write made while it was down is seen once its entries expire
(DASHBOARD_CACHE_SECONDS at most).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from grids.scope import scope_for
from yaohai.core import replica

from . import registry

PREFIX = "dashboard:v2"
logger = logging.getLogger(__name__)


def enabled() -> bool:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 0) > 0


def _node_key(topic: str, pk: int) -> str:
    return f"{PREFIX}:{topic}:node:{pk}"


def _tenant_key(pk: int | None) -> str:
    return f"{PREFIX}:tenant:{'all' if pk is None else pk}"


def _token(at: float | None = None) -> str:
    return f"{uuid.uuid4().hex}@{time.time() if at is None else at:.3f}"


def _set_at(token: str) -> float:
    """When a version was set (0 for a token without its time)."""
    try:
        return float(token.rpartition("@")[2])
    except ValueError:
        return 0.0


def replica_window(versions: list[str], *, at: float | None = None) -> float | None:
    """Seconds left until the replica has surely replayed the newest of these versions' writes (the window is
    REPLICA_PIN_SECONDS after it); None when it has."""
    left = max(map(_set_at, versions), default=0.0) + settings.REPLICA_PIN_SECONDS - (time.time() if at is None else at)
    return left if left > 0 else None


def _retire(keys: list[str]) -> None:
    try:
        cache.set_many({key: _token() for key in keys}, timeout=None)
    except Exception:  # the cache is down: a write must not fail for it (entries expire on their own)
        logger.warning("dashboard cache: could not retire %s", keys, exc_info=True)


def _changed(keys: list[str]) -> None:
    if not enabled() or not keys:
        return
    _retire(keys)
    transaction.on_commit(lambda: _retire(keys))


def changed(topic: str, node_ids) -> None:
    """Records of `topic` under these nodes (their stamps) were written: the pages of the nodes are computed
    again (now, and again when the transaction commits)."""
    _changed([_node_key(topic, pk) for pk in sorted({pk for pk in node_ids if pk})])


def tenant_changed(tenant_id: int | None) -> None:
    """Every dashboard of the tenant (of every tenant for None) is computed again."""
    _changed([_tenant_key(tenant_id)])


def node_edited(sender, instance, **kwargs) -> None:
    """A node was edited (post_save/post_delete of GridNode): names and shapes are on the tenant's pages."""
    tenant_changed(instance.tenant_id)


def retire_all() -> None:
    """Retire every entry now, outside any transaction (after data was edited by hand; between tests)."""
    if enabled():
        _retire([_tenant_key(None)])


def _versions(keys: list[str]) -> list[str]:
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # Never set, or evicted: start a new version (not "none", which an older entry may carry).
            cache.add(key, _token(at=0), timeout=None)  # no write behind it: no replica window
            found[key] = cache.get(key)
    return [found[key] for key in keys]


def scope_fingerprint(actor) -> str:
    """The actor's tree scope as a short stable string: actors with the same jurisdiction share entries."""
    scope = scope_for(actor)
    nodes = sorted((kind, sorted(ids)) for kind, ids in scope.node_ids.items() if ids)
    text = repr((scope.everything, scope.whole_tenant, scope.tenant_id, nodes))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@dataclass
class Entry:
    page: object
    valid_until: dt.datetime | None


def _entry_key(parts: tuple, nodes: list) -> tuple[str, list[str]]:
    """The key of an entry named by `parts` over `nodes`, at the current versions of every topic of the registered
    panels under each node and of their tenants, and those versions (reads them: raises when the cache is down).
    Many nodes make a long key (a city of districts): hashed, so every cache backend takes it; the random part of a
    version names it (after "@": when it was written, for the replica's window)."""
    versions = _versions(_version_keys(nodes))
    return _hashed(parts, versions), versions


def _version_keys(nodes: list) -> list[str]:
    """The versions an entry over `nodes` is keyed by: each topic under each node, their tenants', everyone's."""
    keys = [_node_key(topic, node.pk) for node in nodes for topic in registry.topics()]
    keys += [_tenant_key(tenant_id) for tenant_id in sorted({node.tenant_id for node in nodes})]
    keys.append(_tenant_key(None))
    return keys


def _hashed(parts: tuple, versions: list[str]) -> str:
    text = ":".join(str(part) for part in (*parts, *(version.partition("@")[0] for version in versions)))
    return f"{PREFIX}:{hashlib.blake2b(text.encode(), digest_size=16).hexdigest()}"


class PanelKeeper:
    """The panels' data of one node's page, kept apart from the page by topics: the panels invalidated by the same
    topics are one entry, keyed by those topics' versions under the node (and the tenant's), valid until the
    earliest `valid_until` among them (the events' panels all move with the next deadline). `build_page` asks it
    first and hands it what it built. Reads every entry in one round trip."""

    def __init__(self, *, parts: tuple, node, versions: dict[str, str], now: dt.datetime, window: float | None):
        self.now, self.window = now, window
        common = [versions[_tenant_key(node.tenant_id)], versions[_tenant_key(None)]]
        self.keys = {
            topics: _hashed((*parts, "panels", *topics), [versions[_node_key(t, node.pk)] for t in topics] + common)
            for topics in {panel.invalidated_by for panel in registry.panels() if panel.invalidated_by}
        }
        self.built: dict[tuple, dict] = {}
        try:
            found = cache.get_many(list(self.keys.values()))
        except Exception:
            logger.warning("dashboard cache: unavailable", exc_info=True)
            found = {}
        self.found = {topics: _fresh(found.get(key), now) for topics, key in self.keys.items()}
        for panel in registry.panels():  # an entry kept before a panel of its topics was registered: build anew
            if panel.invalidated_by and panel.key not in (self.found[panel.invalidated_by] or {panel.key: None}):
                self.found[panel.invalidated_by] = None

    def get(self, panel):
        """(True, data) when the panel's data is kept and still valid, else (False, None)."""
        panels = self.found.get(panel.invalidated_by)
        if panels is not None and panel.key in panels:
            return True, panels[panel.key]
        return False, None

    def keep(self, panel, data, valid_until: dt.datetime | None) -> None:
        if panel.invalidated_by in self.keys:
            group = self.built.setdefault(panel.invalidated_by, {"panels": {}, "until": None})
            group["panels"][panel.key] = data
            if valid_until is not None and (group["until"] is None or valid_until < group["until"]):
                group["until"] = valid_until

    def save(self) -> None:
        for topics, group in self.built.items():
            _store(self.keys[topics], group["panels"], group["until"], self.now, self.window)
        self.built = {}


def _fresh(entry, now: dt.datetime):
    """The entry's value if it is there and its data has not changed with the clock since, else None."""
    if entry is not None and (entry.valid_until is None or now < entry.valid_until):
        return entry.page
    return None


def _store(key: str, value, valid_until: dt.datetime | None, now: dt.datetime, window: float | None) -> None:
    """Keep `value` until its data changes with the clock, at most DASHBOARD_CACHE_SECONDS, and no longer than the
    replica's window when it was read from the replica (`window`)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if valid_until is not None:
        seconds = min(seconds, math.ceil((valid_until - now).total_seconds()))
    if window is not None:
        seconds = min(seconds, math.ceil(window))
    if seconds > 0:
        try:
            cache.set(key, Entry(value, valid_until), timeout=seconds)
        except Exception:
            logger.warning("dashboard cache: could not store %s", key, exc_info=True)


def _window(versions: list[str]) -> float | None:
    return replica_window(versions) if replica.reads_from() == replica.REPLICA else None


def _page_parts(actor, node, filters) -> tuple:
    return (node.pk, filters.date_from, filters.date_to, filters.period, scope_fingerprint(actor))


def page(*, actor, node, filters, now: dt.datetime | None = None):
    """`page.build_page`, from the cache when nothing it shows has changed since it was computed."""
    build = lambda moment, versions: _build_kept(actor, node, filters, moment, versions)  # noqa: E731
    return _through_cache(_page_parts(actor, node, filters), [node], build, now)


def _build_kept(actor, node, filters, now: dt.datetime, versions: list[str] | None):
    """The page computed, its panels taken from their own entries where their topics did not change."""
    from .page import build_page

    if versions is None:
        return build_page(actor=actor, node=node, filters=filters, now=now)
    keeper = PanelKeeper(
        parts=_page_parts(actor, node, filters),
        node=node,
        versions=dict(zip(_version_keys([node]), versions, strict=True)),
        now=now,
        window=_window(versions),
    )
    built = build_page(actor=actor, node=node, filters=filters, now=now, kept=keeper)
    keeper.save()
    return built


def cached(*, parts: tuple, nodes: list, build, now: dt.datetime | None = None):
    """`build(now)` — anything with a `valid_until` — from the cache, keyed by `parts` and the versions of every
    topic of the registered panels under each of `nodes` and of their tenants: a node's page (`page`), or a page
    that adds up several districts' roots (the city level, cities/), retired by a write under any of them."""
    return _through_cache(parts, nodes, lambda moment, versions: build(moment), now)


def _through_cache(parts: tuple, nodes: list, build, now: dt.datetime | None):
    """`cached`, with `build(now, versions)` told the versions its entry is keyed by (None without the cache)."""
    now = now or timezone.now()
    if not enabled():
        return build(now, None)
    try:
        key, versions = _entry_key(parts, nodes)
        found = _fresh(cache.get(key), now)
    except Exception:  # the cache is down: compute, as without it
        logger.warning("dashboard cache: unavailable", exc_info=True)
        return build(now, None)
    if found is not None:
        return found
    window = _window(versions)
    built = build(now, versions)
    _store(key, built, built.valid_until, now, window)
    return built


def rendered(*, actor, node, filters, variant: str, render, now: dt.datetime | None = None):
    """`render(page)` — what a view shows of the node's page, drawn for one `variant` (its language and route) —
    kept beside the page under the same key and versions, so a view from the cache neither reads nor draws the
    panels again. `render` must depend on nothing of the request but the variant (no user, no CSRF token)."""
    from .page import build_page

    now = now or timezone.now()
    if not enabled():
        return render(build_page(actor=actor, node=node, filters=filters, now=now))
    try:
        key, versions = _entry_key(_page_parts(actor, node, filters), [node])
        drawn = _fresh(cache.get(f"{key}:{variant}"), now)
        built = None if drawn is not None else _fresh(cache.get(key), now)
    except Exception:  # the cache is down: compute, as without it
        logger.warning("dashboard cache: unavailable", exc_info=True)
        return render(build_page(actor=actor, node=node, filters=filters, now=now))
    if drawn is not None:
        return drawn
    window = _window(versions)
    if built is None:
        built = _build_kept(actor, node, filters, now, versions)
        _store(key, built, built.valid_until, now, window)
    drawn = render(built)
    _store(f"{key}:{variant}", drawn, built.valid_until, now, window)
    return drawn
