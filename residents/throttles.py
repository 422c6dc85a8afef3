"""Counting in the cache for the sign-in and the reports: per number, per address, per account.

Like yaohai.core.throttles, a cache that cannot be reached lets the request through (a Redis outage must not stop
residents); the codes themselves still expire and allow few attempts, which the database enforces.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(kind: str, ident: str) -> str:
    return "residents:rate:" + kind + ":" + hashlib.sha256(ident.encode()).hexdigest()[:32]


def hit(kind: str, ident: str, *, limit: int, seconds: int) -> bool:
    """Count one more for `ident` in this window; False once the count passes `limit` (the caller refuses)."""
    if not ident or limit <= 0:
        return True
    key = _key(kind, ident)
    try:
        if cache.add(key, 1, timeout=seconds):
            return True
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return True
    except Exception as error:  # noqa: BLE001 - redis.exceptions.*; the backend is configurable
        logger.warning("residents rate %s skipped: the cache is unavailable (%s)", kind, type(error).__name__)
        return True
    return count <= limit
