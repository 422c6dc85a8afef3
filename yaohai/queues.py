"""Celery's queues by kind of work, so workers on several machines can each take some (docs/deployment.md).

| queue | tasks | a worker of it |
|---|---|---|
| sweeps | the periodic database sweeps beat sends (deadlines, exports, audit, mediation, points, care visits) | 1 process, 15 min at most |
| exports | the sheets built in the background | 2 processes, 15 min, one task at a time each |
| assessment | the monthly assessment (a month of one tenant; the sweep of due months) | 1 process, 30 min |
| notifications | pushes to people outside the platform (SMS, WeCom); none yet, see docs/scale.md; and the default queue (`celery`) | 4 processes, 1 min |

Every task of the project is routed here by name (settings CELERY_TASK_ROUTES; tests/core/test_queues.py fails for a
task without a queue), so a new task picks its kind. `CELERY_QUEUE_PREFIX` puts every queue under a prefix (the
real-worker tests give each worker queues of its own on a shared Redis). Beat stays one process per deployment; it
only sends, and the routes choose the queue.

`python -m yaohai.queues NAME` prints the worker options of queue NAME (the Makefile's `make worker-NAME`), `all`
those of one worker taking every queue (`make worker`, one machine).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Queue:
    name: str
    tasks: tuple[str, ...]
    concurrency: int  # processes of one worker of this queue
    time_limit: int  # seconds: the default hard limit of its tasks (a task's own limit, where set, wins)
    soft_time_limit: int
    prefetch: int = 1  # messages a process reserves ahead: 1 for long tasks, so a busy process holds no queue


QUEUES = (
    Queue(
        "sweeps",
        tasks=("events.sweep_deadlines", "exports.sweep_exports", "audit.sweep", "mediation.sweep",
               "points.sweep_ledger", "registry.sweep_care_visits"),
        concurrency=1, time_limit=900, soft_time_limit=840,
    ),
    Queue("exports", tasks=("exports.run_export",), concurrency=2, time_limit=900, soft_time_limit=840),
    Queue(
        "assessment", tasks=("assessment.compute_month", "assessment.score_due_months"),
        concurrency=1, time_limit=1800, soft_time_limit=1700,
    ),
    Queue("notifications", tasks=(), concurrency=4, time_limit=60, soft_time_limit=50, prefetch=4),
)
# What no route names (a task of a third-party app, a task sent by name that no queue lists) goes here.
DEFAULT_QUEUE = "celery"  # Celery's own default name: messages queued before the split are still taken


def prefix() -> str:
    return os.environ.get("CELERY_QUEUE_PREFIX", "")


def queue_names() -> list[str]:
    """Every queue's full name (with the prefix), the default queue first."""
    return [prefix() + DEFAULT_QUEUE, *(prefix() + queue.name for queue in QUEUES)]


def routes() -> dict[str, dict]:
    """settings.CELERY_TASK_ROUTES: each task to its queue."""
    return {task: {"queue": prefix() + queue.name} for queue in QUEUES for task in queue.tasks}


def worker_options(name: str) -> list[str]:
    """The `celery worker` options of a worker of queue `name` (`all`: one worker of every queue)."""
    if name == "all":
        return ["-Q", ",".join(queue_names())]
    queue = next((q for q in QUEUES if q.name == name), None)
    if queue is None:
        raise SystemExit(f"no queue {name!r}: {', '.join(q.name for q in QUEUES)} or all")
    names = [prefix() + queue.name] + ([prefix() + DEFAULT_QUEUE] if queue.name == "notifications" else [])
    return [
        "-Q", ",".join(names), "-n", f"{queue.name}@%h",
        f"--concurrency={queue.concurrency}", f"--time-limit={queue.time_limit}",
        f"--soft-time-limit={queue.soft_time_limit}", f"--prefetch-multiplier={queue.prefetch}",
    ]


if __name__ == "__main__":
    print(" ".join(worker_options(sys.argv[1] if len(sys.argv) > 1 else "all")))
