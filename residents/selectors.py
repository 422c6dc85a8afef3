"""Reads of the residents app, each through the actor's scope."""

from __future__ import annotations

from django.http import Http404
from django.urls import NoReverseMatch, reverse

from grids.scope import scope_for
from registry.models import Household

from .choices import AccountStatus
from .models import ResidentAccount
from .rights import CONFIRM

# The menu slots other domains fill once their issue lands (docs/residents.md): (key, label, url name).
SLOTS: list[tuple[str, str, str]] = []


def register_slot(key: str, label, url_name: str) -> None:
    """A later app (points, parties) adds its page to the resident's home: 我的积分, 活动报名, 社区公告."""
    if key not in {k for k, _l, _u in SLOTS}:
        SLOTS.append((key, label, url_name))


def slots(account: ResidentAccount) -> list[dict]:
    """The registered slots whose page exists; a confirmed household member only (unconfirmed: reports only)."""
    if not account.is_confirmed:
        return []
    found = []
    for key, label, url_name in SLOTS:
        try:
            found.append({"key": key, "label": label, "href": reverse(url_name)})
        except NoReverseMatch:
            continue
    return found


def confirmation_queue(*, actor, status: str = "", limit: int = 200):
    """Accounts of the actor's subtree that have named a community; None when the actor holds no such right."""
    if scope_for(actor, CONFIRM).is_empty:
        return None
    rows = ResidentAccount.objects.visible_to(actor, CONFIRM).filter(has_community=True).select_related("community")
    if status in AccountStatus.values:
        rows = rows.filter(status=status)
    return list(rows.order_by("status" if not status else "-created_at", "-created_at")[:limit])


def account_for_officer(*, actor, pk) -> ResidentAccount:
    try:
        return ResidentAccount.objects.visible_to(actor, CONFIRM).select_related("community", "household").get(
            pk=int(pk), has_community=True
        )
    except (ResidentAccount.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def households_of(*, actor, account: ResidentAccount):
    """The live households of her community the officer may see, to link her to."""
    return list(
        Household.objects.visible_to(actor).filter(community_id=account.community_id, dissolved_on__isnull=True)
        .select_related("house").order_by("id")[:300]
    )
