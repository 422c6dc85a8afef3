"""Reads of the assessment, each bounded by the actor: officers through `visible_to(actor, 'assess')`, a grid
worker only their own rows of published months. A constant number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from grids import selectors as grid_selectors
from grids.choices import NodeKind
from grids.models import GridNode

from .choices import RunStatus, SubjectKind
from .indicators import by_key, item_fields, order
from .models import AssessmentRun, Score
from .rights import ASSESS

CHILD_KIND = {
    NodeKind.DISTRICT: SubjectKind.STREET,
    NodeKind.STREET: SubjectKind.COMMUNITY,
    NodeKind.COMMUNITY: SubjectKind.GRID,
    NodeKind.GRID: None,
}
# The rank a node's page orders its workers by: the narrowest ranking that holds the whole page.
RANK_FOR_PAGE = {
    NodeKind.DISTRICT: "rank_in_district",
    NodeKind.STREET: "rank_in_street",
    NodeKind.COMMUNITY: "rank_in_community",
    NodeKind.GRID: "rank_in_community",
}


def assessable_node(*, actor, pk: int) -> GridNode:
    """A live node the actor may assess (GridNode.DoesNotExist otherwise: out of scope is a 404)."""
    return GridNode.objects.visible_to(actor, ASSESS).filter(is_archived=False).get(pk=pk)


def assessable_top_nodes(*, actor) -> list[GridNode]:
    """The top nodes of the actor's `assess` jurisdiction, where their assessment pages start."""
    return grid_selectors.home_nodes(actor=actor, right=ASSESS)


def runs_of(*, tenant_id: int, published_only: bool = False) -> list[AssessmentRun]:
    """The tenant's month runs, newest month and version first (one query)."""
    runs = AssessmentRun.objects.filter(tenant_id=tenant_id).select_related("computed_by", "published_by")
    if published_only:
        runs = runs.filter(status=RunStatus.PUBLISHED)
    return list(runs.order_by("-month", "-version"))


def pick_run(runs: list[AssessmentRun], month: dt.date | None, version: int | None) -> AssessmentRun | None:
    """The run a page shows: the month asked for (else the newest), its version asked for (else the newest)."""
    if month is None and runs:
        month = runs[0].month
    in_month = [r for r in runs if r.month == month]
    if version is not None:
        in_month = [r for r in in_month if r.version == version]
    return in_month[0] if in_month else None


@dataclass
class Row:
    """A score with its breakdown in catalogue order, ready for a table."""

    score: Score
    items: list[dict] = field(default_factory=list)

    def __getattr__(self, name):
        return getattr(self.score, name)

    @property
    def scored(self) -> bool:
        """Whether any indicator measured something: a rate over some events, or a count towards a target that is
        not zero (else the total is a 0 of nothing and the ranks are ties)."""
        return any(
            item.get("points") is not None and (item.get("numerator") or not item.get("needs_target"))
            for item in self.items
        )


def breakdown(score: Score) -> list[dict]:
    """The score's indicators in catalogue order, each with its label and definition."""
    out, registered, positions = [], by_key(), order()
    for key, item in sorted(score.indicators.items(), key=lambda kv: positions.get(kv[0], 99)):
        indicator = registered.get(key)
        if indicator is None:
            continue
        out.append({"key": key, "label": indicator.label, "definition": indicator.definition,
                    "available": indicator.available, "needs_target": indicator.needs_target,
                    "rule": indicator.rule, **item_fields(item)})
    return out


@dataclass
class NodeBoard:
    node: GridNode
    run: AssessmentRun | None
    own: Row | None = None
    children: list[Row] = field(default_factory=list)
    workers: list[Row] = field(default_factory=list)
    rank_field: str = "rank_in_community"
    page: Page | None = None  # the page of workers shown (None: all of them, for the A4 sheet and the .xlsx)
    offset: int = 0  # how many workers rank before the first one shown


WORKERS_PER_PAGE = 50


def node_board(*, actor, node: GridNode, run: AssessmentRun | None, page=None) -> NodeBoard:
    """A node's page for one run: its own score and its children's ranking (one query), and its grid workers' —
    every one (one query), or one page of WORKERS_PER_PAGE when `page` is given (a count and a slice)."""
    board = NodeBoard(node=node, run=run, rank_field=RANK_FOR_PAGE[node.kind])
    if run is None:
        return board
    child_kind = CHILD_KIND[node.kind]
    scores = (
        Score.objects.visible_to(actor, ASSESS)
        .filter(run=run, **{f"{node.kind}_id": node.pk})
        .select_related("user", "node", "node__parent", "node__parent__parent")
        .order_by("-total", "node__code", "user__username")
    )
    nodes = Q(node_id=node.pk, user__isnull=True)
    if child_kind:
        nodes |= Q(subject_kind=child_kind)
    for score in scores.filter(nodes):
        if score.node_id == node.pk:
            board.own = Row(score, breakdown(score))
        else:
            board.children.append(Row(score, breakdown(score)))
    workers = scores.filter(subject_kind=SubjectKind.WORKER)
    if page is not None:
        board.page = Paginator(workers, WORKERS_PER_PAGE).get_page(page)
        board.offset = board.page.start_index() - 1 if board.page.object_list else 0
        workers = board.page.object_list
    board.workers = [Row(score, breakdown(score)) for score in workers]
    return board


@dataclass
class MyMonth:
    run: AssessmentRun
    rows: list[Row]
    months: list[dt.date]


def my_assessment(*, actor, month: dt.date | None = None) -> MyMonth | None:
    """A grid worker's own rows in the newest published version of a month (the newest month by default), with
    the size of their community and street rankings (two queries)."""
    mine = list(
        Score.objects.filter(
            user=actor,
            subject_kind=SubjectKind.WORKER,
            tenant_id=actor.tenant_id,
            run__status=RunStatus.PUBLISHED,
        )
        .select_related("run", "node", "node__parent", "node__parent__parent")
        .order_by("-run__month", "-run__version", "node__code")
    )
    if not mine:
        return None
    months = sorted({s.run.month for s in mine}, reverse=True)
    month = month if month in months else (months[0] if month is None else None)
    if month is None:
        return MyMonth(run=None, rows=[], months=months)
    version = max(s.run.version for s in mine if s.run.month == month)
    rows = [s for s in mine if s.run.month == month and s.run.version == version]
    sizes = (
        Score.objects.filter(run=rows[0].run, subject_kind=SubjectKind.WORKER, street_id__in={s.street_id for s in rows})
        .order_by()
        .values("street_id", "community_id")
        .annotate(n=Count("*"))
    )
    by_street, by_community = {}, {}
    for entry in sizes:
        by_street[entry["street_id"]] = by_street.get(entry["street_id"], 0) + entry["n"]
        by_community[entry["community_id"]] = entry["n"]
    out = []
    for score in rows:
        row = Row(score, breakdown(score))
        row.of_community = by_community.get(score.community_id, 0)
        row.of_street = by_street.get(score.street_id, 0)
        out.append(row)
    return MyMonth(run=rows[0].run, rows=out, months=months)
