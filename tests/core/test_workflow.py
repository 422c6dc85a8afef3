"""The workflow kit on a table of its own: the table refuses first (409), then the person (403); moves and
outcomes are checked; the registry holds every app's table."""

from types import SimpleNamespace

import pytest
from django.db import models

from yaohai.core import workflow
from yaohai.core.errors import NotAllowed
from yaohai.core.workflow import IllegalStep, Rule, Workflow


class Status(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Step(models.TextChoices):
    CLOSE = "close", "Close"
    DROP = "drop", "Drop"
    CHECK = "check", "Check"


class Who(models.TextChoices):
    OWNER = "owner", "owner"


TABLE = Workflow(
    key="tests.thing",
    title="Things",
    statuses=Status,
    steps=Step,
    who=Who,
    table={
        (Status.OPEN, Step.CLOSE): Rule((Status.DONE,), Who.OWNER),
        (Status.OPEN, Step.DROP): Rule((Status.DROPPED,), Who.OWNER),
        (Status.DONE, Step.CHECK): Rule((Status.DONE, Status.OPEN), Who.OWNER, "sampled"),
    },
    conditions={"sampled": "Not sampled."},
)


def thing(status, sampled=False):
    return SimpleNamespace(status=status, sampled=sampled)


def test_the_table_refuses_before_the_person():
    with pytest.raises(IllegalStep) as refused:
        TABLE.check(thing(Status.DROPPED), Step.CLOSE, may=lambda rule: False)
    assert refused.value.status == 409 and "Dropped" in refused.value.message and "Close" in refused.value.message
    with pytest.raises(NotAllowed) as refused:
        TABLE.check(thing(Status.OPEN), Step.CLOSE, may=lambda rule: rule.who != Who.OWNER)
    assert refused.value.status == 403 and "owner" in refused.value.message
    with pytest.raises(NotAllowed) as refused:
        TABLE.check(thing(Status.OPEN), Step.CLOSE, may=lambda rule: False, refusal=lambda rule: "Too late.")
    assert refused.value.message == "Too late."
    assert TABLE.check(thing(Status.OPEN), Step.CLOSE, may=lambda rule: True) is TABLE.table[(Status.OPEN, Step.CLOSE)]


def test_a_false_condition_is_an_illegal_step_with_its_message():
    with pytest.raises(IllegalStep) as refused:
        TABLE.check(thing(Status.DONE), Step.CHECK)
    assert refused.value.message == "Not sampled."
    assert TABLE.check(thing(Status.DONE, sampled=True), Step.CHECK).to == (Status.DONE, Status.OPEN)


def test_move_sets_only_an_outcome_the_table_lists():
    obj = thing(Status.OPEN)
    assert TABLE.move(obj, Step.CLOSE) == Status.OPEN and obj.status == Status.DONE
    with pytest.raises(ValueError):
        TABLE.move(thing(Status.DONE, True), Step.CHECK)  # two outcomes: say which
    with pytest.raises(ValueError):
        TABLE.move(thing(Status.DONE, True), Step.CHECK, Status.DROPPED)
    with pytest.raises(IllegalStep):
        TABLE.move(thing(Status.DROPPED), Step.CLOSE)


def test_reading_the_table():
    assert TABLE.allowed_from(Status.OPEN) == [Step.CLOSE, Step.DROP]
    assert TABLE.sources(Step.CHECK) == (Status.DONE,)
    assert TABLE.target(Step.DROP) == Status.DROPPED
    with pytest.raises(ValueError):
        TABLE.target(Step.CHECK)


def test_a_table_naming_an_unknown_status_step_or_role_is_refused_when_defined():
    for row in (
        {("lost", Step.CLOSE): Rule((Status.DONE,), Who.OWNER)},
        {(Status.OPEN, "fly"): Rule((Status.DONE,), Who.OWNER)},
        {(Status.OPEN, Step.CLOSE): Rule(("nowhere",), Who.OWNER)},
        {(Status.OPEN, Step.CLOSE): Rule((Status.DONE,), "stranger")},
    ):
        with pytest.raises(ValueError):
            Workflow(key="tests.bad", title="Bad", statuses=Status, steps=Step, who=Who, table=row)


def test_the_registry_holds_every_apps_table_once():
    keys = [w.key for w in workflow.registered()]
    assert {"events.event", "events.request", "assessment.run", "exports.job"} <= set(keys)
    assert keys == sorted(set(keys))
    known = workflow.registered()[0]
    assert workflow.register(known) is known
    clash = Workflow(key=known.key, title="x", statuses=Status, steps=Step, who=Who, table=TABLE.table)
    with pytest.raises(ValueError):
        workflow.register(clash)

