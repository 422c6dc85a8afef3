"""A deliberately slow export kind for the fault test: its build writes a marker file (so the test knows the worker
is inside the build), then sleeps far longer than the test waits. Imported by the test and, through the worker's
`--include`, by the real Celery worker."""

from __future__ import annotations

import os
import time
from pathlib import Path

from exports.registry import ExportKind, Sheet, register

SLOW = "tests.slow"
MARKER_ENV = "YAOHAI_TEST_SLOW_EXPORT_MARKER"


def _build(*, actor, parameters) -> Sheet:
    marker = os.environ.get(MARKER_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()))
    time.sleep(600)  # the test kills the worker long before this ends
    return Sheet(filename="slow.xlsx", content=b"never", rows=0)


register(ExportKind(
    key=SLOW,
    clean=lambda *, actor, parameters: {},
    count=lambda *, actor, parameters, limit: 0,
    title=lambda *, actor, parameters: "slow export (test)",
    build=_build,
))
