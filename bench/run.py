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


# The officers' event list at each level: (who, the pages to time). The deep page is near each list's end.
LISTS = (
    ("district_officer", (1, 1000)),
    ("changhuai_officer", (1, 1000)),
    ("tielu_officer", (1, 200)),
    ("grid_worker", (1, 40)),
)


def hand_list_sql(level: str, after: bool) -> str:
    """One page of the list written by hand: the tree scope on its level's stamp, keyset on (created_at, id),
    with the category and grid names. (The page also shows the parents' names, the handling unit and the handler,
    and reads the personal grants; the hand query leaves those out.)"""
    return (
        "SELECT e.*, c.name, n.name FROM events_event e JOIN events_category c ON c.id = e.category_id "
        f"JOIN grids_gridnode n ON n.id = e.node_id WHERE e.tenant_id = %(tenant)s AND e.{level}_id = %(node)s "
        + ("AND (e.created_at, e.id) < (%(at)s, %(after)s) " if after else "")
        + "ORDER BY e.created_at DESC, e.id DESC LIMIT 51"
    )


def bench_event_list(username, pages, runs, out):
    """The list of one officer, newest first: page 1 and a deep page by keyset (events.selectors.event_page);
    beside each the hand-written keyset query, and for the deep page the same page by OFFSET."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from events import selectors
    from grids.models import Assignment, User
    from grids.scope import forget_scope

    user = User.objects.get(username=username)
    node = Assignment.objects.filter(user=user).select_related("node").first().node
    filters = selectors.EventFilters()
    rows = selectors.filtered_events(actor=user, filters=filters)
    client = Client()
    client.force_login(user)
    for number in pages:
        last = rows.only("pk", "created_at")[50 * (number - 1) - 1] if number > 1 else None
        after = selectors.cursor_after(last) if last else None

        def run(after=after):
            forget_scope(user)
            return selectors.event_page(actor=user, filters=filters, after=after)

        def page(after=after):
            response = client.get("/events/", {"after": after} if after else {})
            assert response.status_code == 200
            return response

        page()
        with CaptureQueriesContext(connection) as ctx:
            page()
        queries = len(ctx.captured_queries)
        sql = hand_list_sql(node.kind, bool(after))
        params = {"tenant": node.tenant_id, "node": node.pk, "after": last and last.pk, "at": last and last.created_at}
        with connection.cursor() as cursor:
            sql_ms = median_ms(_sql(cursor, sql, params), runs)
            offset_ms = None
            if after:
                offset_sql = hand_list_sql(node.kind, False) + f" OFFSET {50 * (number - 1)}"
                offset_ms = median_ms(_sql(cursor, offset_sql, params), runs)
        selectors_ms = median_ms(run, runs)
        out.append(
            {
                "what": f"event list ({node.name}), page {number:,}",
                "page_ms": median_ms(page, runs),
                "selectors_ms": selectors_ms,
                "sql_ms": sql_ms,
                "ratio": selectors_ms / sql_ms if sql_ms else float("nan"),
                "queries": queries,
                "panels": (
                    [(f"OFFSET {50 * (number - 1):,} (for comparison)", float("nan"), offset_ms)] if offset_ms else []
                ),
            }
        )


def bench_work_queue(username, runs, out):
    """The 待办 of one officer (events.selectors.work_queue, 200 rows soonest deadline first); beside it, by hand,
    its main branch alone: the events to accept or dispatch in the officer's node, in deadline order."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from events import selectors
    from grids.models import Assignment, User
    from grids.scope import forget_scope

    user = User.objects.get(username=username)
    node = Assignment.objects.filter(user=user).select_related("node").first().node
    client = Client()
    client.force_login(user)

    def run():
        forget_scope(user)
        return selectors.work_queue(actor=user)

    def page():
        response = client.get("/events/todo/")
        assert response.status_code == 200
        return response

    page()
    with CaptureQueriesContext(connection) as ctx:
        page()
    queries = len(ctx.captured_queries)
    sql = (
        "SELECT e.*, c.name, n.name FROM events_event e JOIN events_category c ON c.id = e.category_id "
        f"JOIN grids_gridnode n ON n.id = e.node_id WHERE e.tenant_id = %(tenant)s AND e.{node.kind}_id = %(node)s "
        "AND e.status IN ('reported', 'accepted') ORDER BY e.due_at NULLS LAST, e.id LIMIT 200"
    )
    with connection.cursor() as cursor:
        sql_ms = median_ms(_sql(cursor, sql, {"tenant": node.tenant_id, "node": node.pk}), runs)
    selectors_ms = median_ms(run, runs)
    out.append(
        {
            "what": f"待办 ({node.name})",
            "page_ms": median_ms(page, runs),
            "selectors_ms": selectors_ms,
            "sql_ms": sql_ms,
            "ratio": selectors_ms / sql_ms if sql_ms else float("nan"),
            "queries": queries,
            "panels": [],
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
    for days in [int(d) for d in args.ranges.split(",") if d]:
        filters = DashboardFilters(date_from=today - dt.timedelta(days=days - 1), date_to=today, period="day")
        if days > 92:
            filters = DashboardFilters(date_from=filters.date_from, date_to=today, period="month")
        for level, (username, _path) in DEMO.items():
            user = User.objects.get(username=username)
            node = Assignment.objects.filter(user=user).select_related("node").first().node
            bench_dashboard(f"{level} dashboard ({node.name}), {days} days", username, node, filters, args.runs, out)
    for username, pages in LISTS:
        bench_event_list(username, pages, args.runs, out)
    for username, _pages in LISTS:
        bench_work_queue(username, args.runs, out)

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
