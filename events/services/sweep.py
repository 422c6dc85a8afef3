"""The deadline sweep: near-deadline and overdue flags, and escalation one level up per missed deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.choices import LEVELS, PostTier
from grids.models import User

from ..choices import (
    NEAR_DEADLINE_HOURS,
    OPEN_STATUSES,
    LogAction,
    NotificationKind,
)
from ..models import (
    Event,
    Notification,
)
from .common import EVENTS, _current_holders, _notify, _waiting_on
from .writes import save_event


def mark_notifications_read(*, actor: User, ids: Iterable[int] | None = None, now: dt.datetime | None = None) -> int:
    """Mark the actor's own notifications read (all of them, or these ids)."""
    rows = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=now or timezone.now())





@dataclass
class SweepResult:
    near: int = 0
    overdue: int = 0
    escalated: int = 0


def _escalation_chain(event: Event) -> list[int]:
    """The event's ancestors, nearest first (grid → community → street → district), from its stamps."""
    chain = [getattr(event, f"{level}_id") for level in reversed(LEVELS)]
    below = True
    result = []
    for pk in chain:
        if pk == event.node_id:
            below = False
            continue
        if pk and not below:
            result.append(pk)
    return result


def sweep_deadlines(*, now: dt.datetime | None = None, batch: int = 500) -> SweepResult:
    """Flag near-deadline and overdue events and escalate each overdue one one level up, once per deadline.

    A database sweep: it looks at every open event whose deadline is near or past, so a run missed while the
    broker was down is caught up by the next one, and a second run finds nothing left to do."""
    now = now or timezone.now()
    near_cut = now + dt.timedelta(hours=NEAR_DEADLINE_HOURS)
    result = SweepResult()
    candidates = Event.objects.filter(status__in=OPEN_STATUSES, due_at__isnull=False).filter(
        Q(due_at__lte=now, is_overdue=False)
        | Q(due_at__lte=now, escalated_deadline__isnull=True)
        | (Q(due_at__lte=now) & ~Q(escalated_deadline=F("due_at")))
        | Q(due_at__gt=now, due_at__lte=near_cut, is_near_deadline=False)
    )
    last_id = 0
    while True:
        ids = list(candidates.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return result
        for pk in ids:
            _sweep_one(pk, now, near_cut, result)
        last_id = ids[-1]


@transaction.atomic
def _sweep_one(pk: int, now: dt.datetime, near_cut: dt.datetime, result: SweepResult) -> None:
    """Re-check one event under its row lock: concurrent sweeps never act twice."""
    event = Event.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
    if event is None or event.status not in OPEN_STATUSES or event.due_at is None:
        return
    changed = []
    if now < event.due_at <= near_cut and not event.is_near_deadline:
        event.is_near_deadline = True
        changed.append("is_near_deadline")
        _notify(_waiting_on(event), event, NotificationKind.NEAR_DEADLINE)
        result.near += 1
    if event.due_at <= now:
        if not event.is_overdue:
            event.is_overdue = event.is_near_deadline = True
            changed += ["is_overdue", "is_near_deadline"]
            _notify(_waiting_on(event), event, NotificationKind.OVERDUE)
            result.overdue += 1
        if event.escalated_deadline != event.due_at:
            event.escalated_deadline = event.due_at
            changed.append("escalated_deadline")
            chain = _escalation_chain(event)
            if event.escalation_level < len(chain):
                target = chain[event.escalation_level]
                event.escalation_level += 1
                event.escalated_to_id = target
                changed += ["escalation_level", "escalated_to"]
                EVENTS.log(  # the log row and its audit row
                    event, actor=None, action=LogAction.ESCALATE, before=event.status,
                    note=_("Overdue: escalated one level up."),
                )
                _notify(_current_holders([target], tenant_id=event.tenant_id, tier=PostTier.HEAD), event, NotificationKind.ESCALATED)
                result.escalated += 1
    if changed:
        save_event(event, update_fields=[*dict.fromkeys(changed), "updated_at"])
