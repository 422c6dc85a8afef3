"""群众满意度: the rating of a closed event, by the resident herself (the residents app calls `rate`) or taken by
the grid worker on the follow-up call (回访) for events filed on a resident's behalf (hotline, walk-in)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from dashboards import cache as dashboard_cache
from grids.models import User
from yaohai.core.errors import Conflict, Invalid, NotFound

from ..choices import RatingSource, Satisfaction, Source, Status
from ..models import Event
from ..rights import VERIFY

COMMENT_MAX = 500


@transaction.atomic
def rate(*, event: Event | int, level: str, comment: str = "", source: str, actor: User | None,
         now: dt.datetime | None = None) -> Event:
    """Record the one rating of a closed event (the caller has checked who may give it); a second is refused."""
    pk = event.pk if isinstance(event, Event) else event
    event = Event.objects.select_for_update().get(pk=pk)
    if level not in Satisfaction.values:
        raise Invalid(_("Choose satisfied, basically satisfied or dissatisfied."))
    if source not in RatingSource.values:
        raise Invalid(_("Unknown source."))
    if event.status != Status.CLOSED:
        raise Conflict(_("An event is rated once it is closed."))
    if event.satisfaction:
        raise Conflict(_("This event has been rated already."))
    event.satisfaction, event.satisfaction_source = level, source
    event.satisfaction_comment = (comment or "").strip()[:COMMENT_MAX]
    event.rated_at = now or timezone.now()
    # A plain update: the rating changes no count of the rollups (events.rollups READS none of these columns).
    Event.objects.filter(pk=event.pk).update(
        satisfaction=event.satisfaction, satisfaction_source=source,
        satisfaction_comment=event.satisfaction_comment, rated_at=event.rated_at,
    )
    dashboard_cache.changed("events", {event.district_id, event.street_id, event.community_id, event.grid_id} - {None})
    audit.record("events.rate", event, after={"satisfaction": level, "source": source}, actor=actor)
    return event


def record_callback(*, actor: User, event: Event | int, level: str, comment: str = "",
                    now: dt.datetime | None = None) -> Event:
    """回访: the grid worker (right `verify` over the event) records the follow-up call of a hotline or walk-in
    event; an event outside the actor's scope is a 404, one a resident filed herself she rates herself."""
    pk = event.pk if isinstance(event, Event) else event
    try:
        found = Event.objects.visible_to(actor, VERIFY).only("id", "source").get(pk=int(pk))
    except (Event.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("No such event.")) from None
    if found.source not in (Source.HOTLINE, Source.WALK_IN):
        raise Conflict(_("Only events taken from a resident by hotline or walk-in get a follow-up call."))
    return rate(event=found.pk, level=level, comment=comment, source=RatingSource.CALLBACK, actor=actor, now=now)
