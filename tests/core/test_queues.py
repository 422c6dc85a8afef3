"""Celery's queues by kind (yaohai/queues.py): every task of the project is routed to one, beat's entries too, and
each queue's worker gets its concurrency and time limits. The real worker that takes every queue is in
tests/exports/test_queue_routes.py."""

from __future__ import annotations

from django.conf import settings

from yaohai import queues
from yaohai.celery import app

KINDS = {"sweeps", "exports", "assessment", "notifications"}


def _route(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


def project_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_the_four_kinds_are_there():
    assert {queue.name for queue in queues.QUEUES} == KINDS


def test_every_task_of_the_project_has_a_queue_of_its_kind():
    tasks = project_tasks()
    assert "exports.run_export" in tasks and "events.sweep_deadlines" in tasks
    unrouted = [name for name in tasks if name not in settings.CELERY_TASK_ROUTES]
    assert not unrouted, f"add these tasks to a queue of yaohai/queues.py: {unrouted}"
    for name in tasks:
        assert _route(name) in KINDS, name
    listed = {task for queue in queues.QUEUES for task in queue.tasks}
    assert listed <= set(tasks), f"queues list tasks that do not exist: {listed - set(tasks)}"


def test_beat_sends_each_entry_to_its_queue():
    sent_to = {entry["task"]: _route(entry["task"]) for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert sent_to["events.sweep_deadlines"] == "sweeps"
    assert sent_to["exports.sweep_exports"] == "sweeps"
    assert sent_to["assessment.score_due_months"] == "assessment"
    assert set(sent_to.values()) <= {"sweeps", "assessment"}


def test_a_task_sent_by_name_goes_to_its_queue_and_an_unknown_one_to_the_default():
    assert _route("exports.run_export") == "exports"
    assert _route("assessment.compute_month") == "assessment"
    assert _route("someone.elses_task") == settings.CELERY_TASK_DEFAULT_QUEUE == "celery"


def test_each_queue_has_its_worker_options():
    options = queues.worker_options("exports")
    assert options[:2] == ["-Q", "exports"]
    assert "--concurrency=2" in options and "--time-limit=900" in options and "--prefetch-multiplier=1" in options
    assert queues.worker_options("assessment")[queues.worker_options("assessment").index("-n") + 1] == "assessment@%h"
    assert "--time-limit=1800" in queues.worker_options("assessment")
    assert queues.worker_options("notifications")[1] == "notifications,celery"  # it also takes the default queue
    assert queues.worker_options("all") == ["-Q", "celery,sweeps,exports,assessment,notifications"]


def test_a_prefix_puts_every_queue_apart(monkeypatch):
    monkeypatch.setenv("CELERY_QUEUE_PREFIX", "t1.")
    assert queues.queue_names() == ["t1.celery", "t1.sweeps", "t1.exports", "t1.assessment", "t1.notifications"]
    assert queues.routes()["audit.sweep"] == {"queue": "t1.sweeps"}
    assert queues.worker_options("sweeps")[1] == "t1.sweeps"
