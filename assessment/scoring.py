"""The month's scores, computed set-based: a few GROUP BY queries over the month's events, whatever the size.

For one tenant and month (Asia/Shanghai) the computation makes three reads:

1. the grid-worker subjects: who held the grid-worker post (code `grid_worker`, grids/catalogue.py) on a grid
   at any time during the month — one row per (person, grid), from the assignments (one query);
2. the live nodes of the tenant with their stamps (one query);
3. each registered count source's counts of the month (yaohai.core.indicators; the events app's is one GROUP BY
   over the month's events, events/indicators.py): per grid, and per grid worker for the keys a worker has of
   their own.

Counts are additive, so a community's, a street's and the district's counts are the sums of their grids' rows
(≤ 600 rows added up in memory, no further query). Points and totals follow the registered indicators,
in decimals. The ranks are SQL's `RANK()` computed in Python over the rows already in memory (a subject's rank is
1 + the number of subjects of its kind in the same community, street or district with a higher total, so ties
share a rank), and the rows go in with one INSERT, ranks included: on PostgreSQL one `INSERT … SELECT … FROM
jsonb_array_elements(%s)` of a single JSON parameter (Django's bulk_create sends each column as an array, and
escaping every row's JSON breakdown into an array literal costs more than the rest of the computation), elsewhere
Django's bulk_create. Nothing depends on row order or on the clock beyond `run.as_of`: the same events and the
same scheme give the same rows.

Attribution (docs/assessment.md): a grid worker's reporting volume counts the events *they* reported at that
grid; their acceptance, closure, rework and overdue indicators are those of *all* events reported at their grid
in the month (whoever filed them), since the worker follows every event of the grid. Two workers who shared a
grid in the month (a handover) are each measured on the grid's whole month.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from operator import itemgetter

from django.db import connections, router
from django.db.models import Q

from grids.models import Assignment, GridNode
from yaohai.core.indicators import by_key, month_bounds, order, sources

from .choices import SubjectKind
from .indicators import weighted_total
from .models import AssessmentRun, Score

GRID_WORKER_POST = "grid_worker"
STAMPS = ("district", "street", "community", "grid")

def worker_subjects(tenant_id: int, month: dt.date) -> list[tuple[int, int]]:
    """(user, grid) for everyone who held the grid-worker post on a live grid at any time in the month."""
    start, end = month_bounds(month)
    last_day = (end - dt.timedelta(days=1)).date()
    rows = (
        Assignment.objects.filter(
            tenant_id=tenant_id,
            post__code=GRID_WORKER_POST,
            node__kind="grid",
            node__is_archived=False,
            start_date__lte=last_day,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start.date()))
        .order_by()
        .values_list("user_id", "node_id")
        .distinct()
    )
    return sorted(rows)


def live_nodes(tenant_id: int) -> list[dict]:
    return list(
        GridNode.objects.filter(tenant_id=tenant_id, is_archived=False)
        .order_by()
        .values("id", "kind", "district_id", "street_id", "community_id", "grid_id")
    )


def _add(into: dict, row: dict) -> None:
    for key, value in row.items():
        into[key] = into.get(key, 0) + value


def month_counts(tenant_id: int, month: dt.date, as_of: dt.datetime) -> tuple[dict[int, dict], dict, set[str]]:
    """Every registered source's counts of the month: per grid (the sources' counts side by side), per (worker,
    grid) for the keys a worker has of their own, and those keys."""
    by_grid: dict[int, dict] = defaultdict(dict)
    by_worker: dict[tuple[int, int], dict] = defaultdict(dict)
    worker_keys: set[str] = set()
    for source in sources():
        counted = source.count(tenant_id, month, as_of)
        for grid_id, counts in counted.by_grid.items():
            by_grid[grid_id].update(counts)
        for subject, counts in counted.by_worker.items():
            by_worker[subject].update(counts)
        worker_keys.update(source.worker_keys)
    return dict(by_grid), dict(by_worker), worker_keys


def subject_counts(tenant_id: int, month: dt.date, as_of: dt.datetime):
    """Every subject of the month with its counts: (kind, node row, user id or None, counts)."""
    nodes = live_nodes(tenant_id)
    node_by_id = {n["id"]: n for n in nodes}
    by_grid, by_worker, worker_keys = month_counts(tenant_id, month, as_of)
    rolled: dict[int, dict] = defaultdict(dict)
    for node in nodes:
        if node["kind"] != "grid":
            continue
        counts = {**by_grid.get(node["id"], {}), "targets": 1}
        # The grid's own row, then its community's, street's and district's (each ancestor stamp once).
        for level in STAMPS:
            ancestor = node[f"{level}_id"]
            if ancestor is not None:
                _add(rolled[ancestor], counts)
    subjects = []
    for node in nodes:
        counts = rolled.get(node["id"], {"targets": 0})
        subjects.append((node["kind"], node, None, counts))
    for user_id, grid_id in worker_subjects(tenant_id, month):
        grid = node_by_id.get(grid_id)
        if grid is None:
            continue
        own = by_worker.get((user_id, grid_id), {})
        counts = {**by_grid.get(grid_id, {}), **{key: own.get(key, 0) for key in worker_keys}, "targets": 1}
        subjects.append((SubjectKind.WORKER, grid, user_id, counts))
    return subjects


def _in_order(scheme: list[dict]) -> list[dict]:
    positions = order()
    return sorted(scheme, key=lambda e: positions.get(e["key"], 99))


def breakdown(counts: dict, scheme: list[dict]) -> tuple[dict, Decimal]:
    """Each scheme indicator's numerator, denominator and points (as strings, exact), and the weighted total."""
    items, measured = {}, []
    registered = by_key()
    for entry in _in_order(scheme):
        indicator = registered.get(entry["key"])
        if indicator is None:
            continue
        numerator, denominator, points = indicator.measure(counts, entry.get("target"))
        # Stored compactly (indicators.ITEM_FIELDS): [numerator, denominator, points, weight].
        items[entry["key"]] = [numerator, denominator, None if points is None else str(points), entry["weight"]]
        measured.append((entry["weight"], points))
    return items, weighted_total(measured)


# Which ranks a subject gets: its rank among the subjects of the same kind in its community, street, district.
RANKED_IN = {
    "community": (SubjectKind.WORKER, SubjectKind.GRID),
    "street": (SubjectKind.WORKER, SubjectKind.GRID, SubjectKind.COMMUNITY),
    "district": (SubjectKind.WORKER, SubjectKind.GRID, SubjectKind.COMMUNITY, SubjectKind.STREET),
}
# The columns of a score row as score_run builds it (the run and the id aside), in the INSERT's order.
COLUMNS = (
    "subject_kind", "user_id", "node_id", "tenant_id", "district_id", "street_id", "community_id", "grid_id",
    "total", "indicators", "rank_in_community", "rank_in_street", "rank_in_district",
)


def ranks(rows: list[dict]) -> None:
    """Set each row's `rank_in_<level>`: SQL's RANK() OVER (PARTITION BY subject_kind, <level>_id ORDER BY total
    DESC) for the kinds ranked at that level, None for the others — computed over the rows in memory."""
    for level, kinds in RANKED_IN.items():
        column, stamp = f"rank_in_{level}", f"{level}_id"
        partitions: dict[tuple, list[Decimal]] = defaultdict(list)
        for row in rows:
            if row["subject_kind"] in kinds:
                partitions[(row["subject_kind"], row[stamp])].append(row["total"])
        # Within a partition, the rank of a total is 1 + how many totals are higher: the first position of that
        # total in the partition's totals sorted high to low.
        first_at = {}
        for key, totals in partitions.items():
            totals.sort(reverse=True)
            positions = first_at[key] = {}
            for n, total in enumerate(totals, start=1):
                positions.setdefault(total, n)
        for row in rows:
            key = (row["subject_kind"], row[stamp])
            row[column] = first_at[key][row["total"]] if row["subject_kind"] in kinds else None


def score_rows(run: AssessmentRun) -> list[dict]:
    """The run's score rows (COLUMNS), ranks included, in the order they are inserted."""
    rows = []
    scheme = _in_order(run.scheme)
    memo: dict[tuple, tuple[dict, Decimal]] = {}
    for kind, node, user_id, counts in subject_counts(run.tenant_id, run.month, run.as_of):
        # Subjects with the same counts (a grid and its only worker, idle grids…) get the same breakdown.
        key = tuple(sorted(counts.items()))
        if key not in memo:
            memo[key] = breakdown(counts, scheme)
        items, total = memo[key]
        rows.append({
            "subject_kind": str(kind),
            "user_id": user_id,
            "node_id": node["id"],
            "tenant_id": run.tenant_id,
            "district_id": node["district_id"],
            "street_id": node["street_id"],
            "community_id": node["community_id"],
            "grid_id": node["grid_id"],
            "total": total,
            "indicators": items,
        })
    rows.sort(key=lambda r: (r["subject_kind"], r["node_id"], r["user_id"] or 0))
    ranks(rows)
    return rows


def score_run(run: AssessmentRun) -> int:
    """Write the run's score rows (its old rows must be gone), ranks included; returns how many rows."""
    rows = score_rows(run)
    using = router.db_for_write(Score)
    connection = connections[using]
    if connection.vendor == "postgresql":
        _insert_postgresql(connection, run, rows)
    else:
        _insert_generic(using, run, rows)
    return len(rows)


def _insert_generic(using: str, run: AssessmentRun, rows: list[dict]) -> None:
    """Django's bulk_create, in the list's order: SQLite and any other database."""
    Score.objects.using(using).bulk_create([Score(run=run, **row) for row in rows], batch_size=500)


def _insert_postgresql(connection, run: AssessmentRun, rows: list[dict]) -> None:
    """One INSERT of every row from one JSON parameter, a list of rows each a list of COLUMNS: PostgreSQL expands
    it with jsonb_array_elements, in the list's order (the ids follow it, as with bulk_create)."""
    types = {field.column: field.db_type(connection) for field in Score._meta.concrete_fields}
    quote = connection.ops.quote_name
    values = ", ".join(
        f"r.e -> {n}" if column == "indicators" else f"(r.e ->> {n})::{types[column]}"
        for n, column in enumerate(COLUMNS)
    )
    statement = (
        f"INSERT INTO {quote(Score._meta.db_table)} ({quote('run_id')}, {', '.join(quote(c) for c in COLUMNS)}) "
        f"SELECT %s, {values} FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS r(e, n) ORDER BY r.n"
    )
    as_list = itemgetter(*COLUMNS)
    # The totals are Decimals: json writes them through `default`, as strings ("60.76"), exact.
    document = json.dumps([as_list(row) for row in rows], separators=(",", ":"), default=str)
    with connection.cursor() as cursor:
        cursor.execute(statement, [run.pk, document])
