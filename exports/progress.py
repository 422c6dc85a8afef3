"""How far a running job has got: told by the kind's build as it goes (`report(done, total)`), read by 我的导出
while the job runs (`percent_of`).

Kept in the cache — shared by every process when it is Redis — and not in the job's row: a build that writes (the
registry's import of a large sheet) holds one transaction until it ends, and a row updated inside it would not be
seen before then. Without Redis the tasks run in the request that asked for them, so nobody waits on a page.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.cache import cache

logger = logging.getLogger(__name__)
TIMEOUT = 3600
_running: contextvars.ContextVar[int | None] = contextvars.ContextVar("exports_running_job", default=None)


def _key(job_id: int) -> str:
    return f"exports:progress:{job_id}"


@contextmanager
def running(job_id: int) -> Iterator[None]:
    """The job being built in this context: `report` tells about it; its progress is forgotten at the end."""
    token = _running.set(job_id)
    try:
        yield
    finally:
        _running.reset(token)
        _safely(cache.delete, _key(job_id))


def report(done: int, total: int) -> None:
    """`done` of `total` steps made by the job running here (nothing outside a job: a build inside a request)."""
    job_id = _running.get()
    if job_id is not None and total > 0:
        _safely(cache.set, _key(job_id), min(100, int(100 * done / total)), TIMEOUT)


def percent_of(job_ids: Iterable[int]) -> dict[int, int]:
    """The jobs' last told progress (0–100), for those that told any."""
    ids = list(job_ids)
    if not ids:
        return {}
    found = _safely(cache.get_many, [_key(pk) for pk in ids]) or {}
    return {pk: found[_key(pk)] for pk in ids if _key(pk) in found}


def _safely(call, *args):
    try:
        return call(*args)
    except Exception:  # the cache is down: a job must not fail, nor a page, for its progress bar
        logger.warning("export progress: the cache did not answer", exc_info=True)
        return None
