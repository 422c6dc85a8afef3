"""Patrol coverage and care visits on every node's dashboard (dashboards.registry), and the same two measures as
indicators of the monthly assessment (yaohai.core.indicators).

- Patrol coverage: the share of a node's buildings checked in on a patrol this week (from Monday) and this month
  (from the 1st), in Asia/Shanghai.
- Visits on time: the share of the care-list members who are not overdue for a visit (registry.schedule: the
  working calendar's rule; the panel reads the due day the care sweep and the services keep on each member, the
  indicator recomputes it at the month's end).

The panel shows them for the node and for each of its children (a grid: itself), read through the actor's scope
in one query (a correlated count per figure and child), whatever the number of buildings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from grids.choices import LEVELS, NodeKind
from grids.models import GridNode
from yaohai.core.indicators import CountSource, Indicator, MonthCounts, month_bounds, register

from .models import Building, CareListMember, PatrolCheckIn
from .schedule import on_list_at, on_time_q

SHANGHAI = ZoneInfo("Asia/Shanghai")


def rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=SHANGHAI)


def checked_between(start: dt.datetime, end: dt.datetime) -> Exists:
    """The building (OuterRef) had a patrol check-in in [start, end)."""
    return Exists(PatrolCheckIn.objects.filter(building=OuterRef("pk"), at__gte=start, at__lt=end))


def _child_level(kind: str) -> str | None:
    index = LEVELS.index(kind)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None


def _count(rows, level: str):
    """The number of `rows` under the outer node (a correlated COUNT, 0 for none)."""
    counted = rows.filter(**{f"{level}_id": OuterRef("pk")}).order_by().values(f"{level}_id").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def figures(*, actor, node, now: dt.datetime) -> list[dict]:
    """For each child of `node` (a grid: itself), through the actor's scope: buildings, those checked this week
    and this month, care-list members and those on time (their due day, as the care sweep keeps it, not passed).
    One query, whatever the number of buildings."""
    today = now.astimezone(SHANGHAI).date()
    week, month, tomorrow = (_midnight(today - dt.timedelta(days=today.weekday())), _midnight(today.replace(day=1)),
                             _midnight(today + dt.timedelta(days=1)))
    level = _child_level(node.kind)
    nodes = GridNode.objects.filter(parent_id=node.pk, is_archived=False) if level else GridNode.objects.filter(
        pk=node.pk)
    level = level or node.kind
    buildings = Building.objects.visible_to(actor)
    members = CareListMember.objects.visible_to(actor).filter(on_list_at(today))
    rows = nodes.annotate(
        buildings=_count(buildings, level),
        week=_count(buildings.filter(checked_between(week, tomorrow)), level),
        month=_count(buildings.filter(checked_between(month, tomorrow)), level),
        members=_count(members, level),
        on_time=_count(members.filter(due_on__gte=today), level),
    ).order_by("code").values("pk", "name", "buildings", "week", "month", "members", "on_time")
    return [row for row in rows if row["buildings"] or row["members"]]


def build(request):
    """The node's coverage and its children's, through the actor's scope."""
    node = request.node
    children = figures(actor=request.actor, node=node, now=request.now)
    if not children:
        return None
    children.sort(key=lambda r: (rate(r["month"], r["buildings"]) or 0, r["name"]))
    total = {key: sum(r[key] for r in children) for key in ("buildings", "week", "month", "members", "on_time")}
    tomorrow = request.now.astimezone(SHANGHAI).date() + dt.timedelta(days=1)
    return {"total": total, "children": children if node.kind != NodeKind.GRID else [], "until": _midnight(tomorrow)}


def _with_rates(row: dict) -> dict:
    return {
        **row,
        "week_rate": rate(row["week"], row["buildings"]),
        "month_rate": rate(row["month"], row["buildings"]),
        "on_time_rate": rate(row["on_time"], row["members"]),
    }


def present(data, view) -> dict:
    return {"total": _with_rates(data["total"]), "children": [_with_rates(r) for r in data["children"]]}


def valid_until(data) -> dt.datetime | None:
    """The week, the month and who is overdue move at midnight."""
    return data["until"]


def register_panels() -> None:
    """Called from RegistryConfig.ready()."""
    from dashboards.registry import Panel
    from dashboards.registry import register as register_panel

    register_panel(Panel(
        key="registry.coverage", build=build, present=present, order=70, invalidated_by=("registry",),
        template="registry/dashboard/coverage.html", valid_until=valid_until,
    ))


# --- the assessment ------------------------------------------------------------------------------------------


def month_counts(tenant_id: int, month: dt.date, as_of: dt.datetime) -> MonthCounts:
    """Per grid: its buildings and those checked in the month (up to `as_of`); its care-list members at the
    month's last day (or `as_of`'s, if earlier) and those then on time."""
    start, end = month_bounds(month)
    end = min(end, as_of)
    cutoff = (end - dt.timedelta(microseconds=1)).astimezone(SHANGHAI).date()
    by_grid: dict[int, dict] = defaultdict(dict)
    buildings = (
        Building.objects.filter(tenant_id=tenant_id, grid_id__isnull=False)
        .annotate(checked=checked_between(start, end))
        .order_by()
        .values("grid_id")
        .annotate(n=Count("pk"), c=Count("pk", filter=Q(checked=True)))
    )
    for row in buildings:
        by_grid[row["grid_id"]].update(buildings=row["n"], buildings_patrolled=row["c"])
    members = (
        CareListMember.objects.filter(on_list_at(cutoff), tenant_id=tenant_id, grid_id__isnull=False)
        .order_by()
        .values("grid_id")
        .annotate(n=Count("pk"), t=Count("pk", filter=on_time_q(tenant_id, cutoff)))
    )
    for row in members:
        by_grid[row["grid_id"]].update(care_members=row["n"], care_on_time=row["t"])
    return MonthCounts(by_grid=dict(by_grid))


INDICATORS = (
    Indicator(
        "patrol_coverage",
        _("Patrol coverage"),
        _("Patrol coverage (巡查覆盖率) = the grid's buildings with at least one patrol check-in in the month (on the "
          "map or by the QR plate) ÷ the grid's buildings; a node's are the sums of its grids'. Points = the rate "
          "(0–100)."),
        numerator="buildings_patrolled",
        denominator="buildings",
        default_weight=0,
    ),
    Indicator(
        "care_visits_on_time",
        _("Care visits on time"),
        _("Care visits on time (走访及时率) = care-list members not overdue for a visit at the end of the month ÷ "
          "care-list members then. A member is due every so many days of her list after her last visit (or after "
          "joining), a due day on a rest day moving to the next working day of the Chinese working calendar; "
          "overdue from the day after. Points = the rate (0–100)."),
        numerator="care_on_time",
        denominator="care_members",
        default_weight=0,
    ),
)


def register_indicators() -> None:
    """Called from RegistryConfig.ready()."""
    register(CountSource(key="registry", count=month_counts), *INDICATORS)
