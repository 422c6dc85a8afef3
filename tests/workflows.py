"""Table-driven workflow tests for any table registered with yaohai.core.workflow.

For a table, `allowed_cases` lists every (from, step, to) the table allows — each outcome of a step with several —
and `refused_cases` every (status, step) it does not. `check_allowed` takes one allowed step and proves the record
reached `to` and one log row says so; `check_refused` takes every refused step from a status and proves each is an
IllegalStep (409, before any check of the person) that changes nothing. `check_table` runs both over a whole table.

The app supplies the few callables that know its records:
- make(status, step) -> obj: a fresh record in `status` (meeting the step's condition, if any), built through the
  services the way users would;
- take(obj, step, to, refused): take the step aiming at outcome `to` (None for a refused step) — for a refused
  step as someone who may see everything, so that only the table can refuse;
- state(obj) -> dict: the record's row as stored (its status under the table's `field`);
- logs(obj) -> list of (from, to) or (from, to, actor id): the record's log rows, oldest first (an actor id, when
  given, must be set).
"""

from __future__ import annotations

import pytest

from yaohai.core.workflow import IllegalStep, Workflow


def allowed_cases(workflow: Workflow) -> list[tuple[str, str, str]]:
    return [(src, step, to) for (src, step), rule in workflow.table.items() for to in rule.to]


def refused_cases(workflow: Workflow) -> list[tuple[str, str]]:
    return [
        (status, step)
        for status in workflow.statuses.values
        for step in workflow.steps.values
        if (status, step) not in workflow.table
    ]


def case_id(case) -> str:
    return "-".join(str(part) for part in case)


def check_allowed(workflow: Workflow, src, step, to, *, make, take, state, logs) -> None:
    obj = make(src, step)
    assert state(obj)[workflow.field] == src, (src, step)
    before = logs(obj)
    take(obj, step, to, False)
    assert state(obj)[workflow.field] == to, (src, step, to)
    after = logs(obj)
    assert len(after) == len(before) + 1, (src, step, to)
    assert tuple(after[-1])[:2] == (src, to), (src, step, to)
    assert all(part is not None for part in tuple(after[-1])[2:]), (src, step, to)


def check_refused(workflow: Workflow, status, steps, *, make, take, state, logs) -> None:
    obj = make(status, None)
    snapshot, before = state(obj), logs(obj)
    for step in steps:
        with pytest.raises(IllegalStep) as refused:
            take(obj, step, None, True)
        assert refused.value.status == 409 and refused.value.message, (status, step)
    assert state(obj) == snapshot, status
    assert logs(obj) == before, status


def check_table(workflow: Workflow, **callables) -> None:
    """Every allowed step works and logs; every other is refused (409) and changes nothing."""
    for src, step, to in allowed_cases(workflow):
        check_allowed(workflow, src, step, to, **callables)
    by_status: dict[str, list[str]] = {}
    for status, step in refused_cases(workflow):
        by_status.setdefault(status, []).append(step)
    for status, steps in by_status.items():
        check_refused(workflow, status, steps, **callables)
