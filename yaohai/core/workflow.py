"""The workflow kit: every state machine of the platform is a table, checked, locked, logged the same way.

An app writes its statuses and steps as data next to its choices (docs/workflows.md draws every registered table):

    TABLE = {(from_status, step): Rule(to=(status, …), who="dispatcher", only_if="needs_recheck"), …}
    EVENT_WORKFLOW = workflow.register(Workflow(key="events.event", title=…, statuses=Status, steps=Step,
                                                who=Who, table=TABLE, entries=…, final=…))

- `Rule.to` are the outcomes a step may lead to (verify has two); `who` names the role or right that may take it
  (the app decides what it means for a person and a record); `only_if` names a boolean field of the record that
  must be true as well.
- `Workflow.check(obj, step, may=…)` refuses, with a message in the user's language, a step the table does not
  allow from the record's status or whose condition is false (IllegalStep, HTTP 409), then a person for whom
  `may(rule)` is false (NotAllowed, HTTP 403). A record out of the person's scope is not found at all (404): the
  Runner reads it through the app's scoped queryset.
- `Workflow.move(obj, step, to)` sets the status, refusing an outcome the table does not list for the step.

A `Runner` binds a workflow to its model for the services that take the steps: `begin()` locks the row
(select_for_update, read through the actor's scope) and checks; the returned `Step` lets the service change its
fields, then `finish(to)` moves, saves and appends the log row (actor, from, to, note; the owning app supplies its
log model); `after_commit()` schedules side effects once the transaction has committed. Each business step stays
one service of its app, `@transaction.atomic`; there is no generic "set the status" entry point.

This module imports no app (only Django and yaohai.core.errors).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import Conflict, NotAllowed, NotFound


class IllegalStep(Conflict):
    """A step the table does not allow from the record's status (or whose condition is false): HTTP 409."""


@dataclass(frozen=True)
class Rule:
    """One row of a table: the status(es) a step leads to, who may take it, and an optional boolean condition."""

    to: tuple[str, ...]
    who: str
    only_if: str = ""


def _label(choices, value) -> str:
    if choices is None:
        return str(value)
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@dataclass(frozen=True, eq=False)
class Workflow:
    """A state machine as data: statuses, steps, the table, and the messages its refusals carry.

    - key: unique name, "<app>.<thing>" (the doc's block is marked with it).
    - title: the heading of its section in docs/workflows.md.
    - statuses, steps, who: Django choices classes (labels for messages and the doc); `who` may be None.
    - table: {(from, step): Rule}.
    - entries: how records come into being, [(status, how)], e.g. [("reported", "report (上报)")] — for the doc.
    - final: the statuses where the record's life ends (for the doc).
    - field: the model field holding the status.
    - illegal, not_allowed: message templates (%(status)s, %(step)s or %(action)s, %(who)s), translated lazily.
    - conditions: {only_if field: the message when it is false}.
    """

    key: str
    title: str
    statuses: Any
    steps: Any
    table: Mapping[tuple[str, str], Rule]
    who: Any = None
    entries: tuple[tuple[str, str], ...] = ()
    final: tuple[str, ...] = ()
    field: str = "status"
    illegal: Any = ""
    not_allowed: Any = ""
    conditions: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        statuses, steps = set(self.statuses.values), set(self.steps.values)
        whos = set(self.who.values) if self.who is not None else None
        for (src, step), rule in self.table.items():
            problems = [
                f"status {s!r}" for s in (src, *rule.to) if s not in statuses
            ] + ([f"step {step!r}"] if step not in steps else []) + (
                [f"who {rule.who!r}"] if whos is not None and rule.who not in whos else []
            )
            if problems or not rule.to:
                raise ValueError(f"workflow {self.key}: ({src}, {step}) names an unknown {', '.join(problems) or 'to'}")
        for status, _how in self.entries:
            if status not in statuses:
                raise ValueError(f"workflow {self.key}: entry into unknown status {status!r}")

    # --- reading the table -------------------------------------------------------------------------------------

    def rule(self, status: str, step: str) -> Rule | None:
        return self.table.get((status, step))

    def allowed_from(self, status: str) -> list[str]:
        """The steps the table allows from a status, in table order."""
        return [step for (src, step) in self.table if src == status]

    def sources(self, step: str) -> tuple[str, ...]:
        """The statuses a step may be taken from."""
        return tuple(src for (src, name) in self.table if name == step)

    def target(self, step: str) -> str:
        """The one status a step leads to (for steps with a single outcome, wherever they start)."""
        targets = {to for (_src, name), rule in self.table.items() if name == step for to in rule.to}
        if len(targets) != 1:
            raise ValueError(f"workflow {self.key}: step {step!r} has outcomes {sorted(targets)}, not one")
        return targets.pop()

    def condition_met(self, obj, rule: Rule) -> bool:
        return not rule.only_if or bool(getattr(obj, rule.only_if))

    # --- refusing ----------------------------------------------------------------------------------------------

    def illegal_message(self, status: str, step: str) -> str:
        template = str(self.illegal) if self.illegal else _("A record that is “%(status)s” cannot be “%(step)s”.")
        label = _label(self.steps, step)
        return template % {"status": _label(self.statuses, status), "step": label, "action": label}

    def not_allowed_message(self, step: str, rule: Rule) -> str:
        template = str(self.not_allowed) if self.not_allowed else _("You may not “%(step)s” this: that is for its %(who)s.")
        label = _label(self.steps, step)
        return template % {"step": label, "action": label, "who": _label(self.who, rule.who)}

    def check(
        self,
        obj,
        step: str,
        *,
        may: Callable[[Rule], bool] | None = None,
        refusal: Callable[[Rule], str | None] | None = None,
        error: type[IllegalStep] = IllegalStep,
        illegal: str = "",
    ) -> Rule:
        """The rule for taking `step` on `obj`, or a refusal: the table first (409), then the person (403).

        `may(rule)` says whether the person fills `rule.who` on this record; `refusal(rule)` may give a more
        telling 403 message than the table's; `error` and `illegal` replace the 409's class and message."""
        status = getattr(obj, self.field)
        rule = self.table.get((status, step))
        if rule is None:
            raise error(illegal or self.illegal_message(status, step))
        if not self.condition_met(obj, rule):
            raise error(illegal or str(self.conditions.get(rule.only_if) or self.illegal_message(status, step)))
        if may is not None and not may(rule):
            raise NotAllowed((refusal(rule) if refusal else None) or self.not_allowed_message(step, rule))
        return rule

    def move(self, obj, step: str, to: str | None = None) -> str:
        """Set the record's status to `to` (default: the step's one outcome from here); the status before."""
        before = getattr(obj, self.field)
        rule = self.table.get((before, step))
        if rule is None:
            raise IllegalStep(self.illegal_message(before, step))
        if to is None:
            if len(rule.to) != 1:
                raise ValueError(f"workflow {self.key}: say which outcome of {step!r} ({', '.join(rule.to)})")
            to = rule.to[0]
        if to not in rule.to:
            raise ValueError(f"workflow {self.key}: {step!r} from {before!r} cannot lead to {to!r}")
        setattr(obj, self.field, to)
        return before


# --- the registry (docs/workflows.md draws every table registered here) -----------------------------------------

_REGISTRY: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    """Make a table known to the doc generator and its test; call it where the table is defined."""
    known = _REGISTRY.get(workflow.key)
    if known is not None and known is not workflow and dict(known.table) != dict(workflow.table):
        raise ValueError(f"workflow {workflow.key!r} is registered twice")
    _REGISTRY[workflow.key] = workflow
    return workflow


def registered() -> list[Workflow]:
    """Every registered table, by key."""
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


# --- taking steps -----------------------------------------------------------------------------------------------


def after_commit(fn: Callable, *args, **kwargs) -> None:
    """Run a side effect (a task, a signal) once the current transaction has committed; never if it rolls back."""
    transaction.on_commit(partial(fn, *args, **kwargs))


def _pk(value):
    return getattr(value, "pk", value)


class Runner:
    """A workflow bound to its model: the scoped row lock, the check for a person, the log row.

    - rows(actor) -> QuerySet: the records the actor may act on (out of scope raises the model's DoesNotExist,
      which the interfaces answer 404).
    - may(actor, obj, rule, now) -> bool: whether the actor fills `rule.who` on this record now.
    - refusal(actor, obj, step, rule) -> str | None: an optional, more telling 403 message.
    - log_model, log_subject: the app's log model and the name of its foreign key to the record; the kit writes
      `actor`, `action`, `from_status`, `to_status`, `note` (the model adds its own time stamp).
    - not_found: raise yaohai.core.errors.NotFound (answered 404 by the API handler and the page middleware)
      instead of the model's DoesNotExist, for apps whose interfaces do not map it themselves.
    - save(obj): how the app writes the record (default `obj.save()`); events pass their write seam, which keeps
      the rollups and the dashboards' cache right.
    - on_step(obj, *, actor, action, before, after, note): called in the transaction after every log row (a step or
      an act beside the table); the owning app passes a function writing its audit row (this module imports no app).
    """

    def __init__(
        self,
        workflow: Workflow,
        *,
        rows: Callable[[Any], Any],
        may: Callable[..., bool],
        refusal: Callable[..., str | None] | None = None,
        log_model=None,
        log_subject: str = "",
        not_found: bool = False,
        save: Callable[[Any], Any] | None = None,
        on_step: Callable[..., Any] | None = None,
    ):
        self.workflow = workflow
        self.rows = rows
        self.may = may
        self.refusal = refusal
        self.log_model = log_model
        self.log_subject = log_subject
        self.not_found = not_found
        self.save = save or (lambda obj: obj.save())
        self.on_step = on_step

    def lock(self, actor, obj):
        """The record, row-locked until commit, read through the actor's scope."""
        rows = self.rows(actor)
        try:
            return rows.select_for_update().get(pk=_pk(obj))
        except rows.model.DoesNotExist:
            if self.not_found:
                raise NotFound() from None
            raise

    def check(self, actor, obj, step: str, now: dt.datetime | None = None) -> Rule:
        now = now or timezone.now()
        return self.workflow.check(
            obj,
            step,
            may=lambda rule: self.may(actor, obj, rule, now),
            refusal=(lambda rule: self.refusal(actor, obj, step, rule)) if self.refusal else None,
        )

    def allowed(self, *, actor, obj, now: dt.datetime | None = None) -> list[str]:
        """The steps this actor may take on this record now (for the buttons and the API), in table order."""
        now = now or timezone.now()
        status = getattr(obj, self.workflow.field)
        return [
            step
            for step in self.workflow.allowed_from(status)
            if self.workflow.condition_met(obj, rule := self.workflow.table[(status, step)])
            and self.may(actor, obj, rule, now)
        ]

    def begin(self, *, actor, obj, step: str, now: dt.datetime | None = None) -> Step:
        """Lock the record and check the step: the service then changes its fields and calls `finish`."""
        now = now or timezone.now()
        locked = self.lock(actor, obj)
        rule = self.check(actor, locked, step, now)
        return Step(self, actor, locked, step, rule, getattr(locked, self.workflow.field), now)

    def log(self, obj, *, actor, action: str, before: str, note: str = ""):
        """Append the log row of a step (or of an act beside the table: then `before` is the current status), and
        let `on_step` record it (the audit trail)."""
        after = getattr(obj, self.workflow.field)
        row = None
        if self.log_model is not None:
            row = self.log_model.objects.create(
                **{self.log_subject: obj},
                actor=actor,
                action=action,
                from_status=before,
                to_status=after,
                note=note,
            )
        if self.on_step is not None:
            self.on_step(obj, actor=actor, action=action, before=before, after=after, note=note)
        return row


@dataclass
class Step:
    """A step under way: the locked record, its rule and the status before; `finish` completes it."""

    runner: Runner
    actor: Any
    obj: Any
    name: str
    rule: Rule
    before: str
    now: dt.datetime

    def finish(self, to: str, *, note: str = "", log_action: str = "", save: bool = True):
        """Move to `to` (one of the rule's outcomes), save the record and append the log row; the row."""
        if to not in self.rule.to:
            raise ValueError(f"{self.runner.workflow.key}: {self.name!r} cannot lead to {to!r}")
        setattr(self.obj, self.runner.workflow.field, to)
        if save:
            self.runner.save(self.obj)
        return self.runner.log(self.obj, actor=self.actor, action=log_action or self.name, before=self.before, note=note)

    @staticmethod
    def after_commit(fn: Callable, *args, **kwargs) -> None:
        after_commit(fn, *args, **kwargs)
