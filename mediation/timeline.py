"""The case's progress on the timeline of the event it was turned from (events/timeline.py)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from events import timeline

from .choices import Status


def case_entries(event, actor):
    """The log rows of the case turned from this event, if the actor may read the case; none otherwise."""
    from .models import CaseLog
    from .selectors import cases

    case = cases(actor=actor).filter(event_id=event.pk).first()
    if case is None:
        return []
    try:
        url = reverse("mediation:detail", args=[case.pk])
    except NoReverseMatch:
        url = ""
    return [
        timeline.Entry(
            at=log.created_at,
            title=_("Mediation case %(number)s: %(status)s") % {
                "number": case.number, "status": Status(log.to_status).label,
            },
            text=log.note,
            url=url,
        )
        for log in CaseLog.objects.filter(case=case).order_by("id")
    ]


timeline.register("mediation", case_entries)
