"""Patrols (巡查) and household visits (入户走访): the writes, keyword-only and atomic, and the care schedule.

A grid worker starts a patrol in a grid where she keeps the registry; the phone sends positions numbered from 1,
so a batch resent after a lost connection adds nothing twice; check-ins name a building or organisation she can
see; a finding is filed as an event through events.services (point, grid and building filled in). Visits to a
household count towards the schedule of its members on care lists (registry.schedule: due `visit_every_days`
after their last visit or joining, on the working calendar; registry.sweeps marks the overdue and reminds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from audit import services as audit
from events.calendar import shared_calendar
from grids.choices import NodeKind
from grids.models import GridNode
from grids.rights import VIEW
from grids.scope import scope_for
from registry import rights as registry_rights

from .models import (
    Building,
    CareListMember,
    Household,
    Organisation,
    Patrol,
    PatrolCheckIn,
    PatrolFinding,
    PatrolPoint,
    Visit,
)
from .schedule import due_date, state_of
from .services import audit_write, check_right, dashboards_changed
from .sweeps import last_visit, refresh

MAX_POINTS = 500


@transaction.atomic
def start_patrol(*, actor, grid: GridNode, now: dt.datetime | None = None) -> Patrol:
    """Begin a patrol of a grid; a worker has one open patrol at a time (the open one is returned again)."""
    if grid.kind != NodeKind.GRID or grid.is_archived:
        raise ValidationError({"grid": _("Choose a grid in service.")})
    patrol = Patrol(worker=actor, started_at=now or timezone.now(), node=grid)
    patrol.stamp_from(grid)
    check_right(actor, registry_rights.EDIT, patrol)
    open_one = Patrol.objects.select_for_update().filter(worker=actor, ended_at__isnull=True).first()
    if open_one is not None:
        return open_one
    patrol.save()
    audit_write("patrol.start", patrol, actor)
    return patrol


def _own_open(actor, patrol: Patrol) -> Patrol:
    patrol = Patrol.objects.select_for_update().get(pk=patrol.pk)
    if patrol.worker_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the grid worker on this patrol may add to it."))
    if patrol.ended_at is not None:
        raise ValidationError({"patrol": _("The patrol has ended.")})
    return patrol


@transaction.atomic
def record_positions(*, actor, patrol: Patrol, points: Iterable[dict]) -> int:
    """Add positions ({seq, at, lon, lat, accuracy}) to the track; ones already received are skipped. Returns
    how many were new."""
    patrol = _own_open(actor, patrol)
    points = list(points)
    if len(points) > MAX_POINTS:
        raise ValidationError({"points": _("Send at most %(max)d positions at once.") % {"max": MAX_POINTS}})
    latest = timezone.now() + dt.timedelta(minutes=10)
    rows = []
    for point in points:
        try:
            seq, lon, lat = int(point["seq"]), float(point["lon"]), float(point["lat"])
            at = point["at"] if isinstance(point["at"], dt.datetime) else parse_datetime(str(point["at"]))
        except (KeyError, TypeError, ValueError):
            raise ValidationError({"points": _("Each position needs seq, at, lon and lat.")}) from None
        if at is None or not (-180 <= lon <= 180 and -90 <= lat <= 90) or seq < 1:
            raise ValidationError({"points": _("Each position needs seq, at, lon and lat.")})
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        if not patrol.started_at - dt.timedelta(minutes=10) <= at <= latest:
            raise ValidationError({"points": _("A position lies outside the patrol's time.")})
        accuracy = point.get("accuracy")
        rows.append(PatrolPoint(patrol=patrol, seq=seq, recorded_at=at, lon=lon, lat=lat,
                                accuracy_m=int(accuracy) if accuracy not in (None, "") else None))
    before = patrol.points.count()
    PatrolPoint.objects.bulk_create(rows, ignore_conflicts=True)
    added = patrol.points.count() - before
    if added:  # one row per batch of the track, not per position
        audit.record("registry.patrol.track", patrol, actor=actor, summary={"positions": added})
    return added


@transaction.atomic
def check_in(
    *, actor, patrol: Patrol, building: Building | None = None, organisation: Organisation | None = None,
    note: str = "", by_qr: bool = False, now: dt.datetime | None = None,
) -> PatrolCheckIn:
    """Check in at a building or organisation the worker can see (picked on the map, or by its QR plate)."""
    patrol = _own_open(actor, patrol)
    place = building or organisation
    if place is None or not scope_for(actor, VIEW).covers(place):
        raise ValidationError({"building": _("Choose a building or organisation of your grid.")})
    check = PatrolCheckIn.objects.create(
        patrol=patrol, building=building, organisation=organisation if building is None else None,
        at=now or timezone.now(), note=note[:200], by_qr=by_qr,
    )
    audit.record("registry.patrol.check_in", patrol, actor=actor, after={
        "building": check.building_id, "organisation": check.organisation_id, "by_qr": by_qr, "check_in": check.pk})
    dashboards_changed(patrol)
    return check


@transaction.atomic
def report_finding(
    *, actor, patrol: Patrol, category, title: str, description: str = "", building: Building | None = None,
    lon: float | None = None, lat: float | None = None, idempotency_key: str | None = None,
):
    """A finding becomes an event in one step: filed through events.services in the patrol's grid, at the given
    point or else the building's or the last position of the track."""
    from events import services as event_services

    patrol = _own_open(actor, patrol)
    if building is not None and not scope_for(actor, VIEW).covers(building):
        raise ValidationError({"building": _("Choose a building or organisation of your grid.")})
    if lon is None or lat is None:
        last = patrol.points.order_by("-seq").first()
        source = building if building is not None and building.lon is not None else last
        lon, lat = (source.lon, source.lat) if source is not None else (None, None)
    grid = GridNode.objects.get(pk=(building.node_id if building is not None else patrol.node_id))
    event = event_services.report_event(
        actor=actor, node=grid, category=category, title=title, description=description, lon=lon, lat=lat,
        idempotency_key=idempotency_key,
    )
    finding, created = PatrolFinding.objects.get_or_create(event=event, defaults={"patrol": patrol,
                                                                                  "building": building})
    if created:  # the event's filing has its own row (events.report); this one ties it to the patrol
        audit.record("registry.patrol.finding", patrol, actor=actor, after={"event": event.pk, "finding": finding.pk})
    return finding


@transaction.atomic
def end_patrol(*, actor, patrol: Patrol, summary: str = "", now: dt.datetime | None = None) -> Patrol:
    """End the patrol with a summary: what the worker says, then the counts of the track, check-ins, findings."""
    patrol = _own_open(actor, patrol)
    ended = now or timezone.now()
    counts = _("%(points)d positions, %(checkins)d check-ins, %(findings)d findings, %(minutes)d minutes") % {
        "points": patrol.points.count(), "checkins": patrol.check_ins.count(), "findings": patrol.findings.count(),
        "minutes": max(int((ended - patrol.started_at).total_seconds() // 60), 0),
    }
    patrol.ended_at = max(ended, patrol.started_at)
    patrol.summary = "\n".join(part for part in ((summary or "").strip()[:2000], counts) if part)
    patrol.save(update_fields=["ended_at", "summary"])
    audit.record("registry.patrol.end", patrol, actor=actor, before={"ended_at": None},
                 after={"ended_at": patrol.ended_at, "summary": patrol.summary})
    return patrol


@transaction.atomic
def record_visit(
    *, actor, household: Household, visited_on: dt.date, purpose: str, findings: str = ""
) -> Visit:
    """A household visit; it counts towards the schedule of the household's members on care lists."""
    if not (purpose or "").strip():
        raise ValidationError({"purpose": _("Say why you visited.")})
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot lie in the future.")})
    visit = Visit(household=household, visitor=actor, visited_on=visited_on, purpose=purpose.strip()[:100],
                  findings=findings, node_id=household.node_id)
    visit.stamp_from(household)
    check_right(actor, registry_rights.EDIT, visit)
    visit.save()
    audit_write("visit.record", visit, actor)
    refresh(CareListMember.objects.filter(resident__memberships__household=household,
                                          resident__memberships__left_on__isnull=True))
    return visit


def care_schedule(*, actor, today: dt.date | None = None, soon_days: int = 3):
    """The care-list members the actor may see, each with `last_visit`, `due_on` and `state` (overdue / due /
    later), the most urgent first. Visits count when made to a household the member belonged to that day, since
    she joined the list; the due day is on the working calendar (registry.schedule)."""
    today = today or timezone.localdate()
    rows = list(
        CareListMember.objects.visible_to(actor)
        .filter(until__isnull=True, resident__status="living")
        .select_related("care_list", "resident__house__building__compound")
        .annotate(last_visit=last_visit())
    )
    calendar = shared_calendar()
    for row in rows:
        row.due_on = due_date(row.last_visit or row.since, row.care_list.visit_every_days, calendar)
        row.state = state_of(row.due_on, today, soon_days)
    rows.sort(key=lambda r: (r.due_on, r.resident.name))
    return rows
