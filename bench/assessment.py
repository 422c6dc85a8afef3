"""Time the monthly assessment (评价考核) on the bench database: one month of the whole first tenant (Yaohai), and
all 24 months, beside the same work in hand-written SQL.

    DJANGO_SETTINGS_MODULE=yaohai.settings .venv/bin/python -m bench.assessment --runs 5 \\
        --database-url postgres://postgres@127.0.0.1:5432/yaohai_bench_assess

Server time is `events.assessment.services.compute_month` as a district officer computing a month for the first
time, as the monthly task does (scope, lock, the three reads, the points, one bulk INSERT, the rank UPDATE, in
one transaction); "recomputing its draft" adds the DELETE of the draft's rows. Before each timed run the month's
runs are removed and the score table vacuumed (untimed). The hand-written SQL does the same work through one
cursor: the same three reads written by hand, one multi-row INSERT of the same rows, the same rank UPDATE
(window functions); the points are computed in Python in both (arithmetic on ~1,300 rows).
The reads alone are timed too (ORM `scoring.subject_counts` against the hand-written three). Medians of --runs
runs after one warm-up (at most 3 for the 24 months). Run bench.generate first.

`--with-indexes` first creates, in the bench database only, the two indexes docs/assessment.md proposes (a
covering index of the month's events, a partial index of the log's accept/reject steps), then VACUUMs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time

from bench.run import _setup, median_ms

OPEN = ("reported", "accepted", "dispatched", "in_progress", "handled", "rework")


def hand_reads() -> list[tuple[str, str]]:
    """The three reads of events.assessment.scoring, by hand (%(name)s parameters)."""
    open_list = ", ".join(f"'{s}'" for s in OPEN)
    month = "e.tenant_id = %(tenant)s AND e.created_at >= %(start)s AND e.created_at < %(end)s"
    answerable = "e.accept_due IS NOT NULL AND NOT (e.status = 'reported' AND e.accept_due > %(as_of)s)"
    answered = (
        "EXISTS (SELECT 1 FROM events_eventlog l WHERE l.event_id = e.id AND l.action IN ('accept', 'reject') "
        "AND l.created_at <= e.accept_due)"
    )
    handed_in = "e.status IN ('handled', 'rework', 'closed') AND NOT e.handled_on_spot"
    passed = (
        f"e.escalation_level > 0 OR (e.status = 'closed' AND e.verify_due IS NOT NULL AND e.closed_at > e.verify_due) "
        f"OR (e.status IN ({open_list}) AND e.due_at <= %(as_of)s AND e.paused_at IS NULL)"
    )
    return [
        (
            "event counts",
            f"SELECT e.grid_id, e.reporter_id, count(*), count(*) FILTER (WHERE e.status = 'rejected'), "
            f"count(*) FILTER (WHERE {answerable}), count(*) FILTER (WHERE {answerable} AND {answered}), "
            f"count(*) FILTER (WHERE e.status = 'closed'), "
            f"count(*) FILTER (WHERE e.status = 'closed' AND e.escalation_level = 0 "
            f"AND (e.verify_due IS NULL OR e.closed_at <= e.verify_due)), "
            f"count(*) FILTER (WHERE {handed_in}), count(*) FILTER (WHERE {handed_in} AND e.rework_count > 0), "
            f"count(*) FILTER (WHERE e.status <> 'rejected' AND ({passed})) "
            f"FROM events_event e WHERE {month} GROUP BY e.grid_id, e.reporter_id",
        ),
        (
            "grid workers",
            "SELECT DISTINCT a.user_id, a.node_id FROM grids_assignment a JOIN grids_post p ON p.id = a.post_id "
            "JOIN grids_gridnode n ON n.id = a.node_id WHERE a.tenant_id = %(tenant)s AND p.code = 'grid_worker' "
            "AND n.kind = 'grid' AND NOT n.is_archived AND a.start_date <= %(last)s "
            "AND (a.end_date IS NULL OR a.end_date >= %(first)s)",
        ),
        (
            "nodes",
            "SELECT id, kind, district_id, street_id, community_id, grid_id FROM grids_gridnode "
            "WHERE tenant_id = %(tenant)s AND NOT is_archived",
        ),
    ]


RANK_SQL = """
UPDATE events_score SET
  rank_in_community = CASE WHEN r.subject_kind IN ('worker', 'grid') THEN r.rc END,
  rank_in_street = CASE WHEN r.subject_kind IN ('worker', 'grid', 'community') THEN r.rs END,
  rank_in_district = CASE WHEN r.subject_kind IN ('worker', 'grid', 'community', 'street') THEN r.rd END
FROM (SELECT id, subject_kind,
        rank() OVER (PARTITION BY subject_kind, community_id ORDER BY total DESC) AS rc,
        rank() OVER (PARTITION BY subject_kind, street_id ORDER BY total DESC) AS rs,
        rank() OVER (PARTITION BY subject_kind, district_id ORDER BY total DESC) AS rd
      FROM events_score WHERE run_id = %(run)s) AS r
WHERE events_score.id = r.id
"""

# Proposed in docs/assessment.md; not in the migrations (Event and EventLog belong to the events workflow).
PROPOSED_INDEXES = [
    "CREATE INDEX IF NOT EXISTS event_assessment_month ON events_event (tenant_id, created_at) INCLUDE (id, "
    "grid_id, reporter_id, status, accept_due, handled_on_spot, escalation_level, verify_due, closed_at, "
    "rework_count, due_at, paused_at)",
    "CREATE INDEX IF NOT EXISTS eventlog_answer ON events_eventlog (event_id, created_at) "
    "WHERE action IN ('accept', 'reject')",
]


def create_indexes(connection) -> None:
    with connection.cursor() as cursor:
        for sql in PROPOSED_INDEXES:
            cursor.execute(sql)
        cursor.execute("VACUUM ANALYZE events_event")
        cursor.execute("VACUUM ANALYZE events_eventlog")


COLUMNS = (
    "run_id", "subject_kind", "user_id", "node_id", "tenant_id", "district_id", "street_id", "community_id",
    "grid_id", "total", "indicators",
)


def hand_compute(cursor, run, rows: list[tuple]) -> None:
    """The month's computation by hand, for an empty run: the reads, one INSERT of `rows`, the rank UPDATE."""
    from events.assessment.scoring import month_bounds

    start, end = month_bounds(run.month)
    params = {
        "tenant": run.tenant_id, "start": start, "end": end, "as_of": run.as_of,
        "first": start.date(), "last": (end - dt.timedelta(days=1)).date(), "run": run.pk,
    }
    cursor.execute("BEGIN")
    for _name, sql in hand_reads():
        cursor.execute(sql, params)
        cursor.fetchall()
    marks = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    values = ", ".join([marks] * len(rows))
    cursor.execute(
        f"INSERT INTO events_score ({', '.join(COLUMNS)}) VALUES {values}", [v for row in rows for v in (run.pk, *row)]
    )
    cursor.execute(RANK_SQL, params)
    cursor.execute("COMMIT")


def score_rows(run) -> list[tuple]:
    """The run's rows as the hand-written INSERT writes them, without the run (read once, outside the timing)."""
    import json

    from events.assessment.models import Score

    return [
        (*row[:-1], json.dumps(row[-1]))
        for row in Score.objects.filter(run=run).order_by("id").values_list(*COLUMNS[1:])
    ]


def timed(fn, prepare, runs: int) -> float:
    """Median ms of `fn` over `runs` runs after one warm-up, `prepare` (untimed) before each."""
    times = []
    for n in range(runs + 1):
        prepare()
        began = time.perf_counter()
        fn()
        if n:
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--with-indexes", action="store_true", help="create the proposed indexes first")
    args = parser.parse_args(argv)
    _setup(args.database_url)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from events.assessment import scoring, services
    from events.assessment.months import current_month, previous_month
    from events.models import Event
    from grids.models import Tenant, User

    if args.with_indexes:
        create_indexes(connection)
        print("with the proposed indexes (created in this database)")
    officer = User.objects.get(username="district_officer")
    tenant = Tenant.objects.get(pk=officer.tenant_id)
    now = timezone.now()
    last = previous_month(current_month(now))
    months = [last]
    while len(months) < args.months:
        months.append(previous_month(months[-1]))
    months.reverse()
    events = Event.objects.filter(tenant=tenant).count()
    print(f"{tenant.name}: {events:,} events; months {months[0]:%Y-%m} … {months[-1]:%Y-%m}; runs {args.runs}")

    def compute(month):
        officer.__dict__.pop("_scope_cache", None)  # the scope is read again, as in a request
        return services.compute_month(actor=officer, tenant=tenant, month=month, now=now)

    from events.assessment.models import AssessmentRun

    cursor = connection.cursor()

    def fresh(*which):
        """Untimed: the months' runs (and rows) removed, the table vacuumed, as the monthly task finds it."""
        AssessmentRun.objects.filter(tenant=tenant, month__in=which).delete()
        cursor.execute("VACUUM ANALYZE events_score")

    def empty_runs(*which):
        """Untimed, for the hand-written SQL: a fresh run row per month (its rows are the SQL's to write)."""
        fresh(*which)
        return {m: services.AssessmentRun.objects.create(
            tenant=tenant, month=m, scheme=services.scheme_snapshot(tenant), as_of=now, computed_at=now,
        ) for m in which}

    fresh(*months)
    cursor.execute("VACUUM FULL ANALYZE events_score")  # earlier bench runs leave the table bloated
    rows = {month: score_rows(compute(month)) for month in months}  # what the hand-written INSERT writes
    print(f"rows per month: {len(rows[last]):,} (grid workers and nodes)")
    fresh(last)
    with CaptureQueriesContext(connection) as captured:
        compute(last)
    first_queries = len(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        compute(last)
    again_queries = len(captured.captured_queries)

    out = []
    held: dict = {}
    # One month, computed for the first time (the monthly task's case): reads, INSERT, ranks.
    server = timed(lambda: compute(last), lambda: fresh(last), args.runs)
    hand = timed(
        lambda: hand_compute(cursor, held["runs"][last], rows[last]),
        lambda: held.update(runs=empty_runs(last)),
        args.runs,
    )
    out.append(("one month, whole district", server, hand, first_queries))
    # The same month recomputed (its draft's rows replaced): server only.
    fresh(last)
    compute(last)
    again = timed(lambda: compute(last), lambda: cursor.execute("VACUUM ANALYZE events_score"), args.runs)
    out.append(("  recomputing its draft", again, None, again_queries))
    # Its reads alone.
    run = AssessmentRun.objects.get(tenant=tenant, month=last)
    orm_reads = median_ms(lambda: scoring.subject_counts(run.tenant_id, run.month, run.as_of), args.runs)
    start, end = scoring.month_bounds(run.month)
    params = {
        "tenant": run.tenant_id, "start": start, "end": end, "as_of": run.as_of,
        "first": start.date(), "last": (end - dt.timedelta(days=1)).date(),
    }

    def reads():
        for _name, sql in hand_reads():
            cursor.execute(sql, params)
            cursor.fetchall()

    out.append(("  of which the three reads", orm_reads, median_ms(reads, args.runs), 3))
    # All months, each computed for the first time.
    all_runs = max(1, min(args.runs, 3))
    server_all = timed(lambda: [compute(m) for m in months], lambda: fresh(*months), all_runs)
    hand_all = timed(
        lambda: [hand_compute(cursor, held["runs"][m], rows[m]) for m in months],
        lambda: held.update(runs=empty_runs(*months)),
        all_runs,
    )
    out.append((f"all {len(months)} months", server_all, hand_all, first_queries * len(months)))

    print()
    print(f"{'what':40} {'server ms':>10} {'SQL ms':>9} {'ratio':>6} {'queries':>8}")
    print("-" * 77)
    for what, server_ms, sql_ms, count in out:
        if sql_ms is None:
            print(f"{what:40} {server_ms:10.1f} {'':>9} {'':>6} {count:8d}")
        else:
            print(f"{what:40} {server_ms:10.1f} {sql_ms:9.1f} {server_ms / sql_ms:6.2f} {count:8d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
