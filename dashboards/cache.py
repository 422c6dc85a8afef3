"""A node's page (dashboards.page), kept in the shared cache until something it shows changes.

An entry is keyed by the node, the filters, the actor's tree scope and versions:

- the node's version of each topic the registered panels are invalidated by (`Panel.invalidated_by`), replaced
  whenever a record of that topic under the node is written: the events services call `changed("events", …)`
  with the event's stamps (district, street, community, grid) before and after the write;
- the tenant's version, replaced by bulk recounts (the events' `rollups.rebuild`, `recount_nodes` after a move)
  and by any edit of a node (here) or of what a domain shows by name (the events' categories); and one version
  for all tenants, replaced by a rebuild of every tenant's data.

Some panels also change with the clock alone ("overdue now" and the overdue list). An entry is therefore used
only before the page's `valid_until` (the earliest of its panels' `valid_until`), and never longer than
DASHBOARD_CACHE_SECONDS.

A version is a random token. It is replaced once at the write, and again when the write's transaction commits:
a reader that computed between the two saw the data before the commit and keyed its entry with the first token,
which the commit retires. A hit is exactly what a fresh computation would show.

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
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from grids.scope import scope_for

from . import registry

PREFIX = "dashboard:v2"
logger = logging.getLogger(__name__)


def enabled() -> bool:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 0) > 0


def _node_key(topic: str, pk: int) -> str:
    return f"{PREFIX}:{topic}:node:{pk}"


def _tenant_key(pk: int | None) -> str:
    return f"{PREFIX}:tenant:{'all' if pk is None else pk}"


def _retire(keys: list[str]) -> None:
    try:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)
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
            cache.add(key, uuid.uuid4().hex, timeout=None)
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


def _entry_key(*, actor, node, filters) -> str:
    """The key of the node's page for these filters and this jurisdiction, at the current versions (reads the
    versions: raises when the cache is down)."""
    keys = [*(_node_key(topic, node.pk) for topic in registry.topics()), _tenant_key(node.tenant_id), _tenant_key(None)]
    versions = _versions(keys)
    parts = (filters.date_from, filters.date_to, filters.period, scope_fingerprint(actor), *versions)
    digest = hashlib.blake2b(":".join(str(part) for part in parts).encode(), digest_size=16).hexdigest()
    return f"{PREFIX}:{node.pk}:{digest}"


def _fresh(entry, now: dt.datetime):
    """The entry's value if it is there and its data has not changed with the clock since, else None."""
    if entry is not None and (entry.valid_until is None or now < entry.valid_until):
        return entry.page
    return None


def _store(key: str, value, valid_until: dt.datetime | None, now: dt.datetime) -> None:
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if valid_until is not None:
        seconds = min(seconds, math.ceil((valid_until - now).total_seconds()))
    if seconds > 0:
        try:
            cache.set(key, Entry(value, valid_until), timeout=seconds)
        except Exception:
            logger.warning("dashboard cache: could not store %s", key, exc_info=True)


def page(*, actor, node, filters, now: dt.datetime | None = None):
    """`page.build_page`, from the cache when nothing it shows has changed since it was computed."""
    from .page import build_page

    now = now or timezone.now()
    if not enabled():
        return build_page(actor=actor, node=node, filters=filters, now=now)
    try:
        key = _entry_key(actor=actor, node=node, filters=filters)
        found = _fresh(cache.get(key), now)
    except Exception:  # the cache is down: compute, as without it
        logger.warning("dashboard cache: unavailable", exc_info=True)
        return build_page(actor=actor, node=node, filters=filters, now=now)
    if found is not None:
        return found
    built = build_page(actor=actor, node=node, filters=filters, now=now)
    _store(key, built, built.valid_until, now)
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
        key = _entry_key(actor=actor, node=node, filters=filters)
        drawn = _fresh(cache.get(f"{key}:{variant}"), now)
        built = None if drawn is not None else _fresh(cache.get(key), now)
    except Exception:  # the cache is down: compute, as without it
        logger.warning("dashboard cache: unavailable", exc_info=True)
        return render(build_page(actor=actor, node=node, filters=filters, now=now))
    if drawn is not None:
        return drawn
    if built is None:
        built = build_page(actor=actor, node=node, filters=filters, now=now)
        _store(key, built, built.valid_until, now)
    drawn = render(built)
    _store(f"{key}:{variant}", drawn, built.valid_until, now)
    return drawn
