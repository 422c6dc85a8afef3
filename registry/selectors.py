"""Registry reads for pages, the API and sheets: every one starts from `visible_to(actor)` and takes `actor=`.

Lists carry no personal data (not even masked): they read names, places and statuses only.
"""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404

from grids.choices import NodeKind
from grids.models import GridNode
from grids.scope import scope_for
from registry import rights as registry_rights

from .models import (
    AccessRecord,
    Building,
    CareList,
    CareListMember,
    Compound,
    House,
    Household,
    HouseholdChange,
    HouseholdMember,
    Organisation,
    Resident,
    Thing,
)

LIST_FIELDS = (
    "id", "name", "sex", "birth_date", "registration", "status", "occupation", "tenant_id", "district_id",
    "street_id", "community_id", "grid_id", "node_id", "house_id",
)


def residents(*, actor, q: str = "", status: str = "", care_list: int | None = None, node: GridNode | None = None):
    """The people the actor may see, searched by name (a prefix of it, or any part), newest filters first."""
    rows = Resident.objects.visible_to(actor)
    if q:
        rows = rows.filter(name__contains=q.strip())
    if status:
        rows = rows.filter(status=status)
    if care_list:
        rows = rows.filter(care__care_list_id=care_list, care__until__isnull=True)
    if node is not None:
        rows = rows.filter(**{f"{node.kind}_id": node.pk})
    return (
        rows.only(*LIST_FIELDS, "house__number", "house__unit", "house__building__number",
                  "house__building__compound__name", "grid__name")
        .select_related("house__building__compound", "grid")
        .order_by("name", "id")
    )


def resident(*, actor, pk: int) -> Resident:
    """One person, 404 outside the actor's scope."""
    queryset = Resident.objects.visible_to(actor).select_related("house__building__compound", "grid", "community")
    return get_object_or_404(queryset, pk=pk)


def resident_context(*, resident: Resident) -> dict:
    """What a person's page shows beside their facts: households (current and past) and care lists."""
    memberships = (
        HouseholdMember.objects.filter(resident=resident)
        .select_related("household__house__building__compound")
        .order_by(F("left_on").asc(nulls_first=True), "-joined_on")
    )
    care = CareListMember.objects.filter(resident=resident).select_related("care_list").order_by(
        F("until").asc(nulls_first=True), "-since"
    )
    return {"memberships": list(memberships), "care": list(care)}


def can_reveal(*, actor, record) -> bool:
    return scope_for(actor, registry_rights.REVEAL).covers(record)


def buildings(*, actor, q: str = "", node: GridNode | None = None):
    rows = Building.objects.visible_to(actor).select_related("compound", "grid", "property_company")
    if q:
        rows = rows.filter(Q(number__contains=q) | Q(compound__name__contains=q) | Q(address__contains=q))
    if node is not None:
        rows = rows.filter(**{f"{node.kind}_id": node.pk})
    return rows.annotate(house_count=Count("houses", distinct=True)).order_by("compound__name", "number", "id")


def building(*, actor, pk: int) -> Building:
    queryset = Building.objects.visible_to(actor).select_related("compound", "grid", "property_company")
    return get_object_or_404(queryset, pk=pk)


def building_houses(*, building: Building):
    """The houses of a building with their current households and how many live in each."""
    current = Household.objects.filter(dissolved_on__isnull=True).annotate(
        people=Count("members", filter=Q(members__left_on__isnull=True))
    )
    return (
        House.objects.filter(building=building)
        .prefetch_related(Prefetch("households", queryset=current, to_attr="current_households"))
        .order_by("unit", "floor", "number")
    )


def household(*, actor, pk: int) -> Household:
    queryset = Household.objects.visible_to(actor).select_related("house__building__compound", "grid")
    return get_object_or_404(queryset, pk=pk)


def household_context(*, household: Household) -> dict:
    from .models import Visit

    members = household.members.select_related("resident").order_by(
        F("left_on").asc(nulls_first=True), "joined_on", "id"
    )
    changes = HouseholdChange.objects.filter(household=household).select_related("resident", "actor")
    visits = Visit.objects.filter(household=household).select_related("visitor").order_by("-visited_on", "-id")[:20]
    return {"members": list(members), "changes": list(changes.order_by("on_date", "id")), "visits": list(visits)}


def households(*, actor):
    return Household.objects.visible_to(actor).select_related("house__building__compound").order_by("id")


def compounds(*, actor):
    return Compound.objects.visible_to(actor).annotate(building_count=Count("buildings")).order_by("name")


def houses(*, actor):
    return House.objects.visible_to(actor).select_related("building__compound").order_by("id")


def organisations(*, actor, q: str = "", kind: str = ""):
    rows = Organisation.objects.visible_to(actor).select_related("grid")
    if q:
        rows = rows.filter(name__contains=q)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("name", "id")


def organisation(*, actor, pk: int) -> Organisation:
    return get_object_or_404(Organisation.objects.visible_to(actor).select_related("grid"), pk=pk)


def things(*, actor, thing_type: int | None = None):
    rows = Thing.objects.visible_to(actor).select_related("thing_type", "grid", "building")
    if thing_type:
        rows = rows.filter(thing_type_id=thing_type)
    return rows.order_by("thing_type__name", "code", "id")


def care_members(*, actor, care_list: int | None = None, current: bool = True):
    rows = CareListMember.objects.visible_to(actor).select_related(
        "care_list", "resident", "resident__house__building__compound", "grid"
    )
    if care_list:
        rows = rows.filter(care_list_id=care_list)
    if current:
        rows = rows.filter(until__isnull=True)
    return rows.order_by("care_list__sort_order", "resident__name", "id")


def care_lists(*, actor):
    return CareList.objects.visible_to(actor).filter(is_active=True)


def access_records(*, actor):
    """The personal-data access log, for those who audit it (registry.audit) in their subtree."""
    return AccessRecord.objects.visible_to(actor, registry_rights.AUDIT).select_related(
        "actor", "resident", "organisation"
    )


def worker_grids(*, actor):
    """The grids where the actor works (a grid worker's own grid, or several), for the phone page."""
    return GridNode.objects.visible_to(actor).filter(kind=NodeKind.GRID, is_archived=False).order_by("code")


def open_patrol(*, actor):
    """The actor's patrol under way, if any (one at a time)."""
    from .models import Patrol

    if not getattr(actor, "is_authenticated", False):
        return None
    return Patrol.objects.filter(worker=actor, ended_at__isnull=True).first()


TRACKS_SHOWN = 200  # patrols on one map: a district's day is a few hundred at most
POINTS_PER_TRACK = 2000


def day_patrols(*, actor, day, node: GridNode | None = None):
    """The patrols started on `day` (Asia/Shanghai) that the actor may see, under `node` if given, with their
    worker and grid; at most TRACKS_SHOWN, the latest first."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from .models import Patrol

    start = dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo("Asia/Shanghai"))
    rows = Patrol.objects.visible_to(actor).filter(started_at__gte=start, started_at__lt=start + dt.timedelta(days=1))
    if node is not None:
        rows = rows.filter(**{f"{node.kind}_id": node.pk})
    return list(
        rows.select_related("worker", "grid")
        .annotate(check_in_count=Count("check_ins", distinct=True))
        .order_by("-started_at", "-id")[:TRACKS_SHOWN]
    )


def tracks(patrols) -> dict[int, dict]:
    """Per patrol: its positions in order and its check-ins at buildings with a point (two queries)."""
    from .models import PatrolCheckIn, PatrolPoint

    ids = [p.pk for p in patrols]
    found = {pk: {"line": [], "check_ins": []} for pk in ids}
    points = PatrolPoint.objects.filter(patrol_id__in=ids).order_by("patrol_id", "seq")
    for patrol_id, lon, lat in points.values_list("patrol_id", "lon", "lat"):
        line = found[patrol_id]["line"]
        if len(line) < POINTS_PER_TRACK:
            line.append([lon, lat])
    check_ins = PatrolCheckIn.objects.filter(patrol_id__in=ids, building__lon__isnull=False).order_by("at")
    for patrol_id, lon, lat, number in check_ins.values_list(
        "patrol_id", "building__lon", "building__lat", "building__number"
    ):
        found[patrol_id]["check_ins"].append([lon, lat, number])
    return found
