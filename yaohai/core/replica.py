"""Reads from a PostgreSQL replica (streaming replication) where they may lag a little: off until configured.

With `DATABASE_REPLICA_URL` set (settings: `READ_REPLICA`), the read-only paths that opt in — the dashboards, the
sheets (exports) and the assessment's pages — read from the `replica` alias; everything else, every write and
every read that follows a write, stays on the primary (`default`). docs/deployment.md (read replica), ADR 0018.

The rules, in `ReplicaRouter`:
- writes always go to the primary (`db_for_write`), and a write marks the context: the reads after it, in the same
  request or task, go to the primary too (read-after-write);
- a read goes to the replica only inside `replica_reads()` (a context manager and a decorator), only when no write
  happened in it, outside any transaction on the primary (a read in a transaction belongs to that transaction), and
  not while the request is pinned to the primary — `ReplicaPinMiddleware` pins a browser for `REPLICA_PIN_SECONDS`
  after a request of it wrote (or was a POST, PUT, PATCH or DELETE), so the page it sees next shows its own write
  even while the replica lags;
- nothing is migrated on the replica: replication brings the schema.

The state lives in context variables, so each request of a thread, and each Celery task, starts clean: the
middleware and `replica_reads()` reset what they set when they leave.
"""

from __future__ import annotations

import time
from contextlib import ContextDecorator
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "primary_until"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote", default=False)
_pinned: ContextVar[bool] = ContextVar("pinned", default=False)


def replica_enabled() -> bool:
    return bool(getattr(settings, "READ_REPLICA", False)) and REPLICA in connections.settings


class replica_reads(ContextDecorator):
    """Reads inside may come from the replica (see the module's rules). Starts with no write seen; on leaving,
    the reads and writes of the surrounding context are as they were, except that a write inside counts outside
    too (what was written is read from the primary afterwards)."""

    def _recreate_cm(self):
        return type(self)()  # a decorated function's every call gets its own tokens (threads, nesting)

    def __enter__(self):
        self._tokens = (_replica_reads.set(True), _wrote.set(False))
        return self

    def __exit__(self, *exc):
        reads, wrote = self._tokens
        wrote_inside = _wrote.get()
        _replica_reads.reset(reads)
        _wrote.reset(wrote)
        if wrote_inside:
            _wrote.set(True)
        return False


def wrote() -> bool:
    """Whether the current request or task wrote through the ORM (its later reads stay on the primary)."""
    return _wrote.get()


def reads_from() -> str:
    """The alias a read of the current context goes to."""
    if (
        _replica_reads.get()
        and not _wrote.get()
        and not _pinned.get()
        and replica_enabled()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads of `replica_reads()` to the replica, all else to the primary."""

    def db_for_read(self, model, **hints):
        alias = reads_from()
        if alias == REPLICA:
            return REPLICA
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # Django's own rule for a related read: the instance's database
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        primary_or_replica = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in primary_or_replica and obj2._state.db in primary_or_replica:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None


class ReplicaPinMiddleware:
    """Each request starts with no write seen; a request pinned by its cookie reads only from the primary; a
    request that wrote (or asked to) pins its browser for REPLICA_PIN_SECONDS. Without a replica: no cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        enabled = replica_enabled()
        now = time.time()
        tokens = (_wrote.set(False), _pinned.set(enabled and _pinned_until(request) > now))
        try:
            response = self.get_response(request)
            if enabled and (_wrote.get() or request.method in UNSAFE_METHODS):
                seconds = settings.REPLICA_PIN_SECONDS
                response.set_cookie(
                    PIN_COOKIE, str(int(now + seconds)), max_age=seconds, httponly=True, samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _wrote.reset(tokens[0])
            _pinned.reset(tokens[1])


def _pinned_until(request) -> float:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, 0))
    except ValueError:
        return 0.0
