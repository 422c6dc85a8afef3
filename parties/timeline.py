"""On an event's page (events/timeline.py): the offer to turn it into a consultation topic, for an officer who
keeps consultation at its grid, and the topics raised from it on its timeline."""

from django.urls import reverse
from django.utils.translation import gettext as _

from events import timeline
from grids.scope import scope_for

from .rights import MANAGE


def topic_offers(event, actor):
    """提出议题 from this event, where the actor keeps party building and co-governance over its grid."""
    if not actor.is_authenticated or not scope_for(actor, MANAGE).covers(event):
        return []
    url = f"{reverse('parties:topic-new')}?event={event.pk}"
    return [timeline.Offer(label=_("Turn into a consultation topic"), url=url, key="consultation")]


def topic_entries(event, actor):
    """The consultation topics raised from this event, for those who keep consultation there."""
    from .models import Topic

    if not actor.is_authenticated:
        return []
    rows = Topic.objects.visible_to(actor, MANAGE).filter(event_id=event.pk).order_by("id")
    return [
        timeline.Entry(
            at=row.created_at, url=reverse("parties:topic", args=[row.pk]),
            title=_("Consultation topic: %(title)s (%(status)s)") % {"title": row.title,
                                                                   "status": row.get_status_display()},
        )
        for row in rows
    ]


timeline.register("parties", topic_entries)
timeline.register_offer("parties", topic_offers)
