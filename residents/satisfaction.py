"""A resident rates her closed report (satisfied / basically satisfied / dissatisfied, with a comment) and, when
dissatisfied, may ask within the district's days for it to be handled again; her community checks the request."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from events import services as event_services
from events.choices import REOPEN_DAYS, RatingSource, Satisfaction, Source, Status
from events.models import Event
from events.rights import VERIFY
from grids.models import User
from grids.scope import scope_for
from yaohai.core.errors import Conflict, Invalid, NotFound

from .choices import ReopenStatus
from .models import ReopenRequest, ReportLink
from .reporting import intake_actor
from .rights import CONFIRM


def reopen_days() -> int:
    return int(getattr(settings, "RESIDENT_REOPEN_DAYS", REOPEN_DAYS))


def may_rate(link: ReportLink) -> bool:
    """A report she follows (filed or joined), closed and not yet rated: the first follower's rating counts."""
    event = link.event
    return event.status == Status.CLOSED and not event.satisfaction


def may_ask_reopen(link: ReportLink, now: dt.datetime | None = None) -> bool:
    event = link.event
    now = now or timezone.now()
    return (
        event.status == Status.CLOSED
        and event.satisfaction == Satisfaction.DISSATISFIED and event.closed_at is not None
        and now <= event.closed_at + dt.timedelta(days=reopen_days())
        and not ReopenRequest.objects.filter(event=event, account=link.account).exists()
    )


def rate_my_report(*, link: ReportLink, level: str, comment: str = "", now: dt.datetime | None = None) -> Event:
    """Her rating of a closed report she follows (one per event: the first follower's)."""
    return event_services.rate(event=link.event_id, level=level, comment=comment, source=RatingSource.RESIDENT,
                               actor=link.account.user, now=now)


@transaction.atomic
def ask_reopen(*, link: ReportLink, reason: str, now: dt.datetime | None = None) -> ReopenRequest:
    """Dissatisfied, within the district's days: her community is asked to check and reopen."""
    now = now or timezone.now()
    link.event.refresh_from_db()
    if not may_ask_reopen(link, now):
        raise Conflict(_("This report can no longer be reopened from here. Please call your community."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say what is still wrong."))
    request = ReopenRequest(event=link.event, account=link.account, reason=reason[:500], created_at=now,
                            node=link.event.node)
    request.stamp_from(link.event.node)
    request.save()
    audit.record("residents.ask_reopen", request, after={"event": link.event_id}, actor=link.account.user)
    return request


def pending_reopens(*, actor: User):
    return list(ReopenRequest.objects.visible_to(actor, CONFIRM).filter(status=ReopenStatus.PENDING)
                .select_related("event", "account")[:200])


@transaction.atomic
def decide_reopen(*, actor: User, request_id, reopen: bool, answer: str = "",
                  now: dt.datetime | None = None) -> ReopenRequest:
    """The community's check: reopen (the event goes back to its dispatcher) or decline, saying why."""
    now = now or timezone.now()
    try:
        request = ReopenRequest.objects.select_for_update().visible_to(actor, CONFIRM).get(
            pk=int(request_id), status=ReopenStatus.PENDING
        )
    except (ReopenRequest.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("No such request.")) from None
    answer = (answer or "").strip()[:500]
    if reopen:
        event_services.reopen(actor=intake_actor(request.tenant), event=request.event_id,
                              note=f"居民申请重新办理，社区核查同意：{request.reason}", now=now)
        request.status = ReopenStatus.REOPENED
    else:
        if not answer:
            raise Invalid(_("Say why the request is declined."))
        request.status = ReopenStatus.DECLINED
    request.answer, request.decided_at, request.decided_by = answer, now, actor
    request.save()
    audit.record("residents.decide_reopen", request, after={"status": request.status}, actor=actor)
    return request


# -- 回访: the follow-up call of events taken from a resident by hotline or walk-in --------------------------------

CALLBACK_SOURCES = (Source.HOTLINE, Source.WALK_IN)


def callbacks(*, actor: User, done: bool = False, limit: int = 200) -> list[Event] | None:
    """The hotline and walk-in events of the actor's scope (right `verify`) closed and waiting for the follow-up
    call, oldest closure first; or, `done`, those whose call was recorded, latest first. None without the right."""
    if scope_for(actor, VERIFY).is_empty:
        return None
    rows = Event.objects.visible_to(actor, VERIFY).filter(status=Status.CLOSED, source__in=CALLBACK_SOURCES)
    if done:
        rows = rows.filter(satisfaction_source=RatingSource.CALLBACK).order_by("-rated_at", "-id")
    else:
        rows = rows.filter(satisfaction="").order_by("closed_at", "id")
    return list(rows.select_related("category", "node")[:limit])
