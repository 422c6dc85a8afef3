"""One writer per tree: a PostgreSQL advisory lock per (tree model, tenant), held to the end of the transaction.

SQLite serialises writers by itself, so there the lock is a no-op."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

from .spec import TreeSpec

GLOBAL_TREE_KEY = 0  # creating a tree takes a new mptt tree_id: one creator at a time per tree model


def advisory_lock(namespace: int, key: int) -> None:
    """Take pg_advisory_xact_lock(namespace, key) (nothing on other databases)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, key])


@contextmanager
def tree_lock(spec: TreeSpec, tenant_id: int):
    """Hold the tenant's tree for the rest of the surrounding transaction: one writer per tree."""
    if not connection.in_atomic_block:
        raise RuntimeError("tree_lock() must run inside transaction.atomic()")
    advisory_lock(spec.lock_namespace, tenant_id)
    yield


def creation_lock(spec: TreeSpec) -> None:
    """Before a new root (a new mptt tree_id) is made: one creator of trees of this model at a time."""
    advisory_lock(spec.lock_namespace, GLOBAL_TREE_KEY)
