"""The points app's reads (take `actor=`): passbooks in reach, a passbook's history keyset-paged, the queues."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from grids.scope import scope_for

from . import representatives
from .models import Account, Entry, Redemption, ServiceRecord, ServiceType
from .rights import APPROVE, MANAGE, REDEEM, REGISTER

PAGE = 50


def accounts(*, actor):
    """Accounts an officer may open: under points.manage, points.approve or points.redeem in scope."""
    scope = Q(pk__in=[])
    for right in (MANAGE, APPROVE, REDEEM):
        scope |= scope_for(actor, right).q()
    return Account.objects.filter(scope)


def own_passbook(*, actor) -> Account | None:
    """The passbook the signed-in volunteer holds, if any."""
    return Account.objects.filter(holder=actor).first()


def passbook(*, actor, pk: int) -> Account:
    """One passbook: the holder's own or one in an officer's reach (else DoesNotExist: a 404)."""
    return (accounts(actor=actor) | Account.objects.filter(holder=actor)).distinct().get(pk=pk)


def history(account: Account, *, before: int | None = None, limit: int = PAGE):
    """A page of the passbook's entries, newest first, by keyset (`before` = the last id of the previous page)."""
    rows = Entry.objects.filter(account=account).select_related("movement").order_by("-id")
    if before:
        rows = rows.filter(id__lt=before)
    return list(rows[: limit + 1])


def statement(account: Account, *, since: dt.datetime, until: dt.datetime):
    """A period's entries, oldest first, for the printed statement."""
    return (
        Entry.objects.filter(account=account, occurred_at__gte=since, occurred_at__lt=until)
        .select_related("movement")
        .order_by("occurred_at", "id")
    )


def registrable(*, actor):
    """Service types the actor may register (the tenant's active ones, when the actor holds points.register)."""
    scope = scope_for(actor, REGISTER)
    if scope.is_empty:
        return ServiceType.objects.none()
    return ServiceType.objects.filter(tenant_id=scope.tenant_id, is_active=True) if scope.tenant_id else (
        ServiceType.objects.filter(is_active=True)
    )


def service_records(*, actor):
    """Service records in reach of a registrar or an approver."""
    scope = Q(pk__in=[])
    for right in (REGISTER, APPROVE, MANAGE):
        scope |= scope_for(actor, right).q()
    return ServiceRecord.objects.filter(scope | representatives.q(actor))


def redemptions(*, actor):
    """Redemptions at the actor's desk, or of the actor's own passbook."""
    return Redemption.objects.filter(scope_for(actor, REDEEM).q() | Q(account__holder=actor))


def household_passbook(*, household_id: int | None) -> Account | None:
    """The passbook of a registry household (a confirmed resident's own, on her phone), if one is open."""
    if not household_id:
        return None
    return Account.objects.filter(kind="household", household_id=household_id).first()


def evaluations(*, actor):
    """文明户评选 of the communities in the actor's jurisdiction (reading needs the grids' view)."""
    from .models import Evaluation

    return Evaluation.objects.visible_to(actor).select_related("node")


def evaluation_scores(evaluation, *, nominated_only: bool = False):
    rows = evaluation.scores.select_related("household__house__building__compound", "household__grid")
    return rows.filter(nominated=True) if nominated_only else rows


def community_household(evaluation, pk):
    """A household of the evaluation's community by id (None for another community's, another district's or none)."""
    from registry.models import Household

    return Household.objects.filter(pk=pk, tenant_id=evaluation.tenant_id, community_id=evaluation.community_id).first()
