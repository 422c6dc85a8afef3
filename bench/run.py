"""Time the dashboards (district, street, community) and the officer's event list on the bench database.

    DJANGO_SETTINGS_MODULE=yaohai.settings .venv/bin/python -m bench.run \\
        --database-url postgres://postgres@127.0.0.1:5432/yaohai_bench

For each dashboard and date range it prints: the page's server time through Django's test client (session, scope,
selectors, template), the selectors' time, the time of the same panels in hand-written SQL on the same data, their
ratio and the page's query count; then each panel's ORM query beside its SQL. Times are medians of --runs runs
after one warm-up. Run bench.generate first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time

OPEN = ("reported", "accepted", "dispatched", "in_progress", "handled", "rework")
DEMO = {
    "district": ("district_officer", ()),
    "street": ("changhuai_officer", None),
    "community": ("tielu_officer", None),
}


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaohai.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def median_ms(fn, runs: int) -> float:
    fn()  # warm-up: plans cached, pages in memory
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def _sql(cursor, sql: str, params: dict):
    def run():
        cursor.execute(sql, params)
        return cursor.fetchall()

    return run


def hand_sql(node, child_column: str | None, narrow: bool) -> list[tuple[str, str]]:
    """The dashboard's panels, written by hand: (panel, SQL with %(name)s parameters).

    The rework count takes the same shape as the ORM's (see events.dashboards.rework_within): the log's
    verify_fail rows of the counted events only when `narrow`, all of them otherwise."""
    level = f"{node.kind}_id"
    where = f"e.tenant_id = %(tenant)s AND e.{level} = %(node)s AND e.created_at >= %(start)s AND e.created_at < %(end)s"
    open_list = ", ".join(f"'{s}'" for s in OPEN)
    if narrow:
        logs = (
            "SELECT l.event_id FROM events_eventlog l JOIN events_event x ON x.id = l.event_id "
            f"WHERE l.action = 'verify_fail' AND x.tenant_id = %(tenant)s AND x.{level} = %(node)s "
            "AND x.created_at >= %(start)s AND x.created_at < %(end)s"
        )
        extensions = (
            "SELECT r.event_id FROM events_extensionrequest r JOIN events_event x ON x.id = r.event_id "
            f"WHERE r.status = 'approved' AND x.tenant_id = %(tenant)s AND x.{level} = %(node)s "
            "AND x.created_at >= %(start)s AND x.created_at < %(end)s"
        )
    else:
        logs = "SELECT event_id FROM events_eventlog WHERE action = 'verify_fail'"
        extensions = "SELECT event_id FROM events_extensionrequest WHERE status = 'approved'"
    dispatched = "e.status IN ('dispatched', 'in_progress', 'handled', 'rework', 'closed') AND NOT e.handled_on_spot"
    base = f"""count(*) AS events,
        count(*) FILTER (WHERE e.status = 'rejected') AS rejected,
        count(*) FILTER (WHERE e.status IN ({open_list})) AS open,
        count(*) FILTER (WHERE e.status = 'closed') AS closed,
        count(*) FILTER (WHERE e.status = 'closed' AND e.escalation_level = 0
                         AND (e.verify_due IS NULL OR e.closed_at <= e.verify_due)) AS closed_on_time,
        count(*) FILTER (WHERE e.status IN ({open_list}) AND e.paused_at IS NOT NULL) AS paused,
        count(*) FILTER (WHERE e.status IN ({open_list}) AND e.due_at <= %(now)s AND e.paused_at IS NULL) AS overdue,
        avg(e.closed_at - e.created_at) FILTER (WHERE e.status = 'closed') AS avg_handling"""
    counts = f"""{base},
        count(*) FILTER (WHERE e.status IN ('handled', 'rework', 'closed') AND NOT e.handled_on_spot) AS handed_in,
        count(*) FILTER (WHERE e.status IN ('handled', 'rework', 'closed') AND NOT e.handled_on_spot
                         AND e.id IN ({logs})) AS reworked,
        count(*) FILTER (WHERE {dispatched}) AS dispatched,
        count(*) FILTER (WHERE {dispatched} AND e.id IN ({extensions})) AS extended"""
    panels = [
        ("path", "SELECT id, name, kind FROM grids_gridnode WHERE id = ANY(%(path)s)"),
        ("totals", f"SELECT {counts} FROM events_event e WHERE {where}"),
    ]
    if child_column:
        panels += [
            (
                "children",
                "SELECT id, name, code, kind, subkind, boundary, tenant_id FROM grids_gridnode "
                "WHERE parent_id = %(node)s AND NOT is_archived ORDER BY code",
            ),
            (
                "by child",
                f"SELECT e.{child_column}, {counts} FROM events_event e WHERE {where} "
                f"GROUP BY e.{child_column} ORDER BY e.{child_column}",
            ),
        ]
    panels += [
        (
            # Grouped on the event's own column, then the subcategories summed into their main category.
            "by category",
            f"WITH sub AS (SELECT e.category_id, {counts} FROM events_event e WHERE {where} GROUP BY e.category_id) "
            "SELECT COALESCE(c.parent_id, c.id) AS main, sum(events), sum(rejected), sum(open), sum(closed), "
            "sum(closed_on_time), sum(paused), sum(overdue), sum(handed_in), sum(reworked), sum(dispatched), "
            "sum(extended), sum(extract(epoch FROM avg_handling) * closed) / NULLIF(sum(closed), 0) "
            "FROM sub JOIN events_category c ON c.id = sub.category_id GROUP BY 1",
        ),
        ("by status", f"SELECT e.status, count(*) FROM events_event e WHERE {where} GROUP BY e.status"),
        (
            "trend",
            f"SELECT date_trunc(%(period)s, e.created_at AT TIME ZONE 'Asia/Shanghai') AS period, {base} "
            f"FROM events_event e WHERE {where} GROUP BY 1 ORDER BY 1",
        ),
        (
            "overdue list",
            f"SELECT e.*, c.name, p.name, n.name, u.name FROM events_event e "
            f"JOIN events_category c ON c.id = e.category_id LEFT JOIN events_category p ON p.id = c.parent_id "
            f"JOIN grids_gridnode n ON n.id = e.node_id LEFT JOIN events_handlingunit u ON u.id = e.current_unit_id "
            f"WHERE {where} AND e.status IN ({open_list}) AND e.due_at <= %(now)s ORDER BY e.due_at, e.id LIMIT 20",
        ),
    ]
    return panels


def orm_panels(actor_factory, node, filters, now):
    """The same panels through the dashboard's selectors: (panel, callable that evaluates it)."""
    from events import dashboards, kpis

    within = dashboards.rework_within(node, filters)

    def events():
        return dashboards.node_events(actor=actor_factory(), node=node, filters=filters)

    panels = [
        ("path", lambda: dashboards.node_path(node)),
        ("totals", lambda: kpis.totals(events(), now=now, rework_within=within)),
    ]
    if kpis.CHILD_COLUMN[node.kind]:
        panels += [
            ("children", lambda: dashboards.child_nodes(actor=actor_factory(), node=node)),
            ("by child", lambda: kpis.by_child(events(), node, now=now, rework_within=within)),
        ]
    panels += [
        ("by category", lambda: kpis.by_category(events(), now=now, rework_within=within)),
        ("by status", lambda: kpis.by_status(events())),
        ("trend", lambda: kpis.by_period(events(), filters.period, now=now)),
        ("overdue list", lambda: list(dashboards.overdue_events(events(), now=now))),
    ]
    return panels


def bench_dashboard(label, username, node, filters, runs, out):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from events import dashboards, kpis
    from grids.models import User
    from grids.scope import forget_scope

    user = User.objects.get(username=username)

    def actor():
        # A warm scope, as within one request (the scope query is counted in the page time).
        return user

    now = timezone.now()
    forget_scope(user)

    def selectors():
        forget_scope(user)
        return dashboards.dashboard(actor=user, node=node, filters=filters, now=now)

    client = Client()
    client.force_login(user)
    query = {"from": filters.date_from.isoformat(), "to": filters.date_to.isoformat(), "period": filters.period}
    url = f"/dashboards/{node.pk}/"

    def page():
        response = client.get(url, query)
        assert response.status_code == 200, response.status_code
        return response

    page()
    with CaptureQueriesContext(connection) as ctx:
        page()
    queries = len(ctx.captured_queries)  # read now: the connection's query log is a bounded deque
    page_ms = median_ms(page, runs)
    selectors_ms = median_ms(selectors, runs)

    start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=kpis.SHANGHAI)
    end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=kpis.SHANGHAI)
    path_ids = [pk for pk in (node.district_id, node.street_id, node.community_id) if pk and pk != node.pk]
    params = {"tenant": node.tenant_id, "node": node.pk, "start": start, "end": end, "now": now,
              "period": filters.period, "path": path_ids}
    per_panel = []
    forget_scope(user)
    actor()  # compute the scope once, outside the panel timings
    dashboards.node_events(actor=user, node=node, filters=filters)
    with connection.cursor() as cursor:
        narrow = dashboards.rework_within(node, filters) is not None
        sql = dict(hand_sql(node, kpis.CHILD_COLUMN[node.kind], narrow))
        for name, fn in orm_panels(actor, node, filters, now):
            orm_ms = median_ms(fn, runs)
            sql_ms = median_ms(_sql(cursor, sql[name], params), runs)
            per_panel.append((name, orm_ms, sql_ms))
    sql_total = sum(s for _n, _o, s in per_panel)
    out.append(
        {
            "what": label,
            "page_ms": page_ms,
            "selectors_ms": selectors_ms,
            "sql_ms": sql_total,
            "ratio": selectors_ms / sql_total if sql_total else float("nan"),
            "queries": queries,
            "panels": per_panel,
        }
    )


def bench_event_list(username, runs, out):
    """The officer's list: first page, and page 1,000 by keyset; beside it the hand-written keyset and OFFSET SQL."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    try:
        from events import selectors
    except ImportError:
        out.append({"what": "event list", "skipped": "events has no list selector"})
        return
    from grids.models import User
    from grids.scope import forget_scope, scope_for

    user = User.objects.get(username=username)
    filters = selectors.EventFilters()
    rows = selectors.filtered_events(actor=user, filters=filters)
    deep_after = rows.values_list("pk", flat=True)[50 * 999 - 1 : 50 * 999][0]
    scope = scope_for(user)
    node_ids = sorted(scope.node_ids.get("district", ()))
    client = Client()
    client.force_login(user)
    for label, after in (("event list, page 1", None), ("event list, page 1,000", deep_after)):

        def run(after=after):
            forget_scope(user)
            return selectors.page_after(selectors.filtered_events(actor=user, filters=filters), after=after)

        def page(after=after):
            response = client.get("/events/", {"after": after} if after else {})
            assert response.status_code == 200
            return response

        page()
        with CaptureQueriesContext(connection) as ctx:
            page()
        queries = len(ctx.captured_queries)
        keyset = (
            "SELECT e.*, c.name, n.name FROM events_event e JOIN events_category c ON c.id = e.category_id "
            "JOIN grids_gridnode n ON n.id = e.node_id WHERE e.tenant_id = %(tenant)s AND e.district_id = ANY(%(ids)s) "
            + ("AND e.id < %(after)s " if after else "")
            + "ORDER BY e.id DESC LIMIT 51"
        )
        params = {"tenant": user.tenant_id, "ids": node_ids, "after": after}
        with connection.cursor() as cursor:
            sql_ms = median_ms(_sql(cursor, keyset, params), runs)
            offset_ms = None
            if after:
                offset_sql = keyset.replace("AND e.id < %(after)s ", "") + " OFFSET 49950"
                offset_ms = median_ms(_sql(cursor, offset_sql, params), runs)
        selectors_ms = median_ms(run, runs)
        out.append(
            {
                "what": label,
                "page_ms": median_ms(page, runs),
                "selectors_ms": selectors_ms,
                "sql_ms": sql_ms,
                "ratio": selectors_ms / sql_ms if sql_ms else float("nan"),
                "queries": queries,
                "panels": [("OFFSET 49,950 (for comparison)", float("nan"), offset_ms)] if offset_ms else [],
            }
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/yaohai_bench")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--ranges", default="730,30", help="date ranges to time, in days back from today")
    parser.add_argument("--panels", action="store_true", help="also print each panel's ORM and SQL times")
    args = parser.parse_args(argv)
    _setup(args.database_url)

    from django.db import connection
    from django.utils import timezone

    from events.dashboards import DashboardFilters
    from events.models import Event
    from grids.models import Assignment, User

    today = timezone.localdate()
    total = Event.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    print(f"{total:,} events; {version}; median of {args.runs} runs after one warm-up\n")
    out: list[dict] = []
    for days in [int(d) for d in args.ranges.split(",")]:
        filters = DashboardFilters(date_from=today - dt.timedelta(days=days - 1), date_to=today, period="day")
        if days > 92:
            filters = DashboardFilters(date_from=filters.date_from, date_to=today, period="month")
        for level, (username, _path) in DEMO.items():
            user = User.objects.get(username=username)
            node = Assignment.objects.filter(user=user).select_related("node").first().node
            bench_dashboard(f"{level} dashboard ({node.name}), {days} days", username, node, filters, args.runs, out)
    bench_event_list(DEMO["district"][0], args.runs, out)

    header = f"{'what':<44} {'page ms':>8} {'selectors ms':>13} {'SQL ms':>8} {'ratio':>6} {'queries':>8}"
    print(header)
    print("-" * len(header))
    for row in out:
        if "skipped" in row:
            print(f"{row['what']:<44} skipped: {row['skipped']}")
            continue
        print(
            f"{row['what']:<44} {row['page_ms']:>8.1f} {row['selectors_ms']:>13.1f} {row['sql_ms']:>8.1f} "
            f"{row['ratio']:>6.2f} {row['queries']:>8}"
        )
    if args.panels:
        print("\nper panel: ORM ms / SQL ms (ratio)")
        for row in out:
            if row.get("panels"):
                print(f"  {row['what']}")
                for name, orm_ms, sql_ms in row["panels"]:
                    ratio = orm_ms / sql_ms if sql_ms else float("nan")
                    print(f"    {name:<32} {orm_ms:>8.1f} {sql_ms:>8.1f}  ({ratio:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
