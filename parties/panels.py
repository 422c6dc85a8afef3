"""The parties' panels of a node's page (驾驶舱), registered with dashboards.registry: party building and
co-governance at a glance — members per organisation, central-household coverage, activities and attendance this
month, consultation topics open and resolved. Every read starts from the actor's scope, filtered to the node's
subtree; a fixed number of queries (one per figure) whatever the data size."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboards.registry import Panel, register
from registry.models import Household

from .choices import OPEN_TOPIC_STATUSES, TopicStatus
from .models import Activity, CentralHousehold, CentralHouseholdLink, Member, PartyOrg, SignUp, Topic

ORG_ROWS = 10


def _under(node) -> dict:
    return {"tenant_id": node.tenant_id, f"{node.kind}_id": node.pk}


def month_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    local = timezone.localtime(now)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


def build_overview(request) -> dict:
    actor, node = request.actor, request.node
    under = _under(node)
    start, end = month_bounds(request.now)
    members = Member.objects.visible_to(actor).filter(left_on__isnull=True, **under).aggregate(
        formal=Count("id", filter=Q(status="formal")), probationary=Count("id", filter=Q(status="probationary"))
    )
    households = Household.objects.visible_to(actor).filter(dissolved_on__isnull=True, **under).aggregate(
        total=Count("id"),
        covered=Count("id", filter=Q(id__in=CentralHousehold.objects.filter(until__isnull=True).values("household_id"))
                      | Q(id__in=CentralHouseholdLink.objects.filter(until__isnull=True).values("household_id"))),
    )
    activities = Activity.objects.visible_to(actor).filter(starts_at__gte=start, starts_at__lt=end, **under)
    attendance = SignUp.objects.visible_to(actor).filter(
        activity__in=activities, checked_in_at__isnull=False
    ).count()
    topics = Topic.objects.visible_to(actor).filter(**under).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_TOPIC_STATUSES)),
        resolved=Count("id", filter=Q(status__in=[TopicStatus.RESOLVED, TopicStatus.IMPLEMENTED, TopicStatus.CLOSED])),
    )
    orgs = list(
        PartyOrg.objects.visible_to(actor).filter(is_archived=False, **under)
        .annotate(members_now=Count("members", filter=Q(members__left_on__isnull=True)))
        .filter(members_now__gt=0).order_by("-members_now", "code").values("name", "members_now")[:ORG_ROWS]
    )
    if not (members["formal"] or members["probationary"] or topics["open"] or topics["resolved"] or orgs):
        return None
    total = households["total"]
    return {
        "members": members,
        "households": total,
        "covered": households["covered"],
        "coverage": round(100 * households["covered"] / total, 1) if total else 0.0,
        "activities": activities.count(),
        "attendance": attendance,
        "topics": topics,
        "orgs": orgs,
        "until": end,  # "this month" moves at the month's end
    }


def present_overview(data, view) -> dict:
    return {"overview": data}


def register_panels() -> None:
    """Called from PartiesConfig.ready()."""
    register(Panel(
        key="parties.overview", build=build_overview, present=present_overview, order=80,
        valid_until=lambda data: data["until"],
        invalidated_by=("parties", "registry"),  # the households it covers are the registry's
        template="parties/dashboard/overview.html",
    ))


__all__ = ["register_panels", "_"]
