"""Time the monthly assessment (评价考核) on the bench database: one month of the whole first tenant (Yaohai), and
all 24 months, beside the same work in hand-written SQL.

    DJANGO_SETTINGS_MODULE=yaohai.settings .venv/bin/python -m bench.assessment --runs 5 \\
        --database-url postgres://postgres@127.0.0.1:5432/yaohai_bench_assess

Server time is `assessment.services.compute_month` as a district officer computing a month for the first
time, as the monthly task does (scope, lock, the three reads, the points and ranks in Python, one INSERT, in one
transaction); "recomputing its draft" adds the DELETE of the draft's rows. Before each timed run the month's runs
are removed and the score table vacuumed (untimed). The hand-written SQL does the same work through one cursor:
the same three reads written by hand, then one INSERT of the same rows (ranks included) from one JSON document
prepared beforehand; the points and ranks are not computed in its timing (they were read back from the server's
rows, untimed), so the ratio is what Django, the points and the encoding cost on top of the database's work.
The reads alone are timed too (ORM `scoring.subject_counts` against the hand-written three). Medians of --runs
runs after one warm-up (at most 3 for the 24 months). Run bench.generate first, and migrate.
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
    """The three reads of assessment.scoring, by hand (%(name)s parameters)."""
    open_list = ", ".join(f"'{s}'" for s in OPEN)
    month = "e.tenant_id = %(tenant)s AND e.created_at >= %(start)s AND e.created_at < %(end)s"
    answerable = "e.accept_due IS NOT NULL AND NOT (e.status = 'reported' AND e.accept_due > %(as_of)s)"
    answered = "e.answered_at <= e.accept_due"
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


COLUMNS = (
    "subject_kind", "user_id", "node_id", "tenant_id", "district_id", "street_id", "community_id", "grid_id",
    "total", "indicators", "rank_in_community", "rank_in_street", "rank_in_district",
)
INSERT_SQL = (
    "INSERT INTO events_score (run_id, subject_kind, user_id, node_id, tenant_id, district_id, street_id, "
    "community_id, grid_id, total, indicators, rank_in_community, rank_in_street, rank_in_district) "
    "SELECT %(run)s, e->>0, (e->>1)::bigint, (e->>2)::bigint, (e->>3)::bigint, (e->>4)::bigint, (e->>5)::bigint, "
    "(e->>6)::bigint, (e->>7)::bigint, (e->>8)::numeric, e->9, (e->>10)::integer, (e->>11)::integer, "
    "(e->>12)::integer FROM jsonb_array_elements(%(rows)s::jsonb) WITH ORDINALITY AS r(e, n) ORDER BY n"
)


def hand_compute(cursor, run, rows: list[tuple]) -> None:
    """The month's computation by hand, for an empty run: the reads, then one INSERT of `rows` (ranks included)."""
    from assessment.scoring import month_bounds

    start, end = month_bounds(run.month)
    params = {
        "tenant": run.tenant_id, "start": start, "end": end, "as_of": run.as_of,
        "first": start.date(), "last": (end - dt.timedelta(days=1)).date(), "run": run.pk,
    }
    cursor.execute("BEGIN")
    for _name, sql in hand_reads():
        cursor.execute(sql, params)
        cursor.fetchall()
    cursor.execute(INSERT_SQL, {"run": run.pk, "rows": rows})
    cursor.execute("COMMIT")


def score_rows(run) -> str:
    """The run's rows as the hand-written INSERT takes them, one JSON document (read once, outside the timing)."""
    import json

    from assessment.models import Score

    rows = Score.objects.filter(run=run).order_by("id").values_list(*COLUMNS)
    return json.dumps([[str(v) if n == COLUMNS.index("total") else v for n, v in enumerate(row)] for row in rows])


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
    args = parser.parse_args(argv)
    _setup(args.database_url)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from assessment import scoring, services
    from assessment.months import current_month, previous_month
    from events.models import Event
    from grids.models import Tenant, User

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

    from assessment.models import AssessmentRun

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
    count = AssessmentRun.objects.get(tenant=tenant, month=last).scores.count()
    print(f"rows per month: {count:,} (grid workers and nodes)")
    fresh(last)
    with CaptureQueriesContext(connection) as captured:
        compute(last)
    first_queries = len(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        compute(last)
    again_queries = len(captured.captured_queries)

    out = []
    held: dict = {}
    # One month, computed for the first time (the monthly task's case): reads, points, ranks, INSERT.
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
