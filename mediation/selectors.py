"""Reads of mediation (actor=): who sees which case, and the lists the pages and the API show.

A case's content is for its body (the head and the body's own mediators), the officers holding the mediation right
over its node, and an outside mediator (a judge, a lawyer) to whom it was given by a django-guardian object
permission. Everything else is not found."""

from __future__ import annotations

from django.db.models import Q

from .models import Body, Case, CaseUserObjectPermission, DisputeType, Mediator
from .rights import MEDIATE

VIEW_CASE = "view_case"


def _inside_bodies(actor):
    """The bodies the actor heads or mediates for as an inside mediator (outside ones see only given cases)."""
    inside = Mediator.objects.filter(user=actor, is_active=True).exclude(kind__in=("judge", "prosecutor", "lawyer"))
    return Body.objects.filter(Q(head=actor) | Q(pk__in=inside.values("body_id")))


def cases(*, actor):
    """Every case the actor may read (an unsigned or foreign actor: none)."""
    if actor is None or not actor.is_authenticated:
        return Case.objects.none()
    given = CaseUserObjectPermission.objects.filter(
        user=actor, permission__codename=VIEW_CASE
    ).values("content_object_id")
    rows = Case.objects.filter(
        Q(pk__in=Case.objects.visible_to(actor, MEDIATE).values("pk"))
        | Q(body__in=_inside_bodies(actor).values("pk"))
        | Q(pk__in=given)
    )
    if actor.tenant_id is not None:
        rows = rows.filter(tenant_id=actor.tenant_id)
    return rows


def case(*, actor, pk) -> Case:
    """One case (Case.DoesNotExist outside what the actor may read)."""
    return cases(actor=actor).select_related("dispute_type", "body", "mediator", "node").get(pk=pk)


def is_head(actor, case: Case) -> bool:
    """The body's head, or an officer holding the assigning right over the case's node."""
    from .rights import ASSIGN

    if case.body_id is not None and case.body.head_id == actor.pk:
        return True
    return Case.objects.visible_to(actor, ASSIGN).filter(pk=case.pk).exists()


def is_mediator(actor, case: Case) -> bool:
    """The case's mediator, an inside mediator of its body, the head, or an officer with the right over its node."""
    if case.mediator_id is not None and case.mediator.user_id == actor.pk:
        return True
    if case.body_id is not None and _inside_bodies(actor).filter(pk=case.body_id).exists():
        return True
    return Case.objects.visible_to(actor, MEDIATE).filter(pk=case.pk).exists()


def dispute_types(*, actor):
    return DisputeType.objects.visible_to(actor).filter(is_active=True)


def bodies(*, actor):
    """The bodies of the actor's jurisdiction, and those they head or serve on."""
    if actor is None or not actor.is_authenticated:
        return Body.objects.none()
    return Body.objects.filter(
        Q(pk__in=Body.objects.visible_to(actor).values("pk")) | Q(pk__in=_inside_bodies(actor).values("pk"))
    )


def todo(*, actor, limit: int = 100):
    """待办: the open cases the actor may read, the actor's own first, then by the nearest time limit."""
    from django.db.models import Case as When_
    from django.db.models import IntegerField, Value, When

    from .choices import OPEN_STATUSES

    rows = cases(actor=actor).filter(status__in=OPEN_STATUSES).select_related("dispute_type", "body", "mediator")
    mine = When_(When(mediator__user=actor, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(rows.annotate(mine=mine).order_by("mine", "due_on", "-id")[:limit])


def has_reach(*, actor) -> bool:
    """Whether mediation concerns the actor at all: the right over some node, a body, or a case given to them."""
    from grids.scope import scope_for

    if actor is None or not actor.is_authenticated:
        return False
    if not scope_for(actor, MEDIATE).is_empty:
        return True
    return _inside_bodies(actor).exists() or CaseUserObjectPermission.objects.filter(user=actor).exists()


def follow_ups_due(*, actor, on=None):
    """The follow-up visits due (today or before) of the cases the actor may read."""
    from django.utils import timezone

    from .models import FollowUp

    day = on or timezone.localdate()
    return FollowUp.objects.filter(case__in=cases(actor=actor), visited_on__isnull=True, due_on__lte=day)
