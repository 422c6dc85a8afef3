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


def _setup(url: str, redis_url: str | None = None) -> None:
    """Django on the bench database; with `redis_url`, Redis is the cache (and broker), as in production."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaohai.settings")
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


class Ms(float):
    """A median wall time in ms, with `.cpu`: the median CPU time of this process over the same runs (the Django
    side alone: neither PostgreSQL's work nor the time spent waiting for a core on a loaded machine)."""

    cpu: float = float("nan")


def median_ms(fn, runs: int, before=None) -> Ms:
    """The median time of `fn` over `runs` runs after one warm-up; `before` runs untimed before each."""
    fn()  # warm-up: plans cached, pages in memory
    times, cpu = [], []
    for _ in range(runs):
        if before:
            before()
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    result = Ms(statistics.median(times))
    result.cpu = statistics.median(cpu)
    return result


def query_count(page) -> int:
    """How many queries one warm request of `page` runs (after one request that warms it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page()
    with CaptureQueriesContext(connection) as ctx:
        page()
    return len(ctx.captured_queries)  # read now: the connection's query log is a bounded deque


def _sql(cursor, sql: str, params: dict):
    def run():
        cursor.execute(sql, params)
        return cursor.fetchall()

    return run


def hand_sql(node, child_column: str | None, trend_by_month: bool) -> list[tuple[str, str]]:
    """The dashboard's panels, written by hand: (panel, SQL with %(name)s parameters).

    The counts are sums over the pre-aggregated rows (events_eventrollup: one per child, main category and day);
    "overdue now" and "paused" are counted from the open events, as events.panels does."""
    from events.rollups import COLUMNS

    sums = ", ".join(f"COALESCE(sum(r.{c}), 0) AS {c}" for c in COLUMNS)
    own = "r.node_id" if node.kind == "grid" else "r.parent_id"
    # The range's whole months from month rows, the rest from day rows (%(month_from)s ≤ month < %(month_to)s;
    # with no whole month both are the first day and the month branch is empty).
    days = (
        f"r.tenant_id = %(tenant)s AND {own} = %(node)s AND r.span = 'day' AND r.day >= %(day_from)s "
        "AND r.day <= %(day_to)s"
    )
    rollup_where = (
        f"r.tenant_id = %(tenant)s AND {own} = %(node)s AND ("
        "(r.span = 'month' AND r.day >= %(month_from)s AND r.day < %(month_to)s) "
        "OR (r.span = 'day' AND r.day >= %(day_from)s AND r.day < %(month_from)s AND r.day <= %(day_to)s) "
        "OR (r.span = 'day' AND r.day >= %(month_to)s AND r.day >= %(day_from)s AND r.day <= %(day_to)s))"
    )
    level = f"{node.kind}_id"
    where = f"e.tenant_id = %(tenant)s AND e.{level} = %(node)s AND e.created_at >= %(start)s AND e.created_at < %(end)s"
    open_list = ", ".join(f"'{s}'" for s in OPEN)
    live_keys = f"e.{child_column}, e.main_category_id" if child_column else "e.main_category_id"
    panels = [
        ("path", "SELECT id, name, kind FROM grids_gridnode WHERE id = ANY(%(path)s)"),
        (
            "live counts",
            f"SELECT {live_keys}, count(*) FILTER (WHERE e.due_at <= %(now)s AND e.paused_at IS NULL), "
            f"count(*) FILTER (WHERE e.paused_at IS NOT NULL) FROM events_event e "
            f"WHERE {where} AND e.status IN ({open_list}) GROUP BY {live_keys}",
        ),
        (
            "sums by child and category",
            f"SELECT r.node_id, r.main_category_id, c.name, {sums} FROM events_eventrollup r "
            f"JOIN events_category c ON c.id = r.main_category_id WHERE {rollup_where} GROUP BY 1, 2, 3",
        ),
    ]
    if child_column:
        panels.append(
            (
                "children",
                "SELECT id, name, code, kind, subkind, boundary, tenant_id FROM grids_gridnode "
                "WHERE parent_id = %(node)s AND NOT is_archived ORDER BY code",
            )
        )
    panels += [
        (
            "trend",
            f"SELECT date_trunc(%(period)s, r.day)::date AS period, {sums} FROM events_eventrollup r "
            f"WHERE {rollup_where if trend_by_month else days} GROUP BY 1 ORDER BY 1",
        ),
        (
            "overdue list",
            f"WITH chosen AS (SELECT e.id FROM events_event e WHERE {where} AND e.status IN ({open_list}) "
            "AND e.due_at <= %(now)s ORDER BY e.due_at, e.id LIMIT 20) "
            # What a row of the list shows (selectors.ListRow).
            "SELECT e.id, e.reference, e.title, e.status, e.escalation_level, e.due_at, e.is_overdue, "
            "e.is_near_deadline, e.created_at, e.current_handler_id, c.name, p.name, n.name, np.name, u.name, "
            "COALESCE(NULLIF(h.display_name, ''), h.username) FROM events_event e JOIN chosen ON chosen.id = e.id "
            "JOIN events_category c ON c.id = e.category_id LEFT JOIN events_category p ON p.id = c.parent_id "
            "JOIN grids_gridnode n ON n.id = e.node_id LEFT JOIN grids_gridnode np ON np.id = n.parent_id "
            "LEFT JOIN events_handlingunit u ON u.id = e.current_unit_id "
            "LEFT JOIN grids_user h ON h.id = e.current_handler_id ORDER BY e.due_at, e.id",
        ),
    ]
    return panels


def orm_panels(actor_factory, node, filters, now):
    """The same panels through the dashboard's selectors: (panel, callable that evaluates it)."""
    from dashboards import nodes
    from events import kpis
    from events import panels as dashboards

    def events():
        return dashboards.node_events(actor=actor_factory(), node=node, filters=filters)

    def rows():
        return dashboards.rollup_rows(actor=actor_factory(), node=node, filters=filters)

    panels = [
        ("path", lambda: nodes.node_path(node)),
        ("live counts", lambda: dashboards.live_counts(events(), node, now)),
        ("sums by child and category", lambda: dashboards.rollup_sums(rows(), node)),
    ]
    if kpis.CHILD_COLUMN[node.kind]:
        panels.append(("children", lambda: nodes.child_nodes(actor=actor_factory(), node=node)))
    panels += [
        ("trend", lambda: dashboards.trend(
            dashboards.rollup_rows(actor=actor_factory(), node=node, filters=filters,
                                   by_day=filters.period != "month"), filters.period)),
        ("overdue list", lambda: dashboards.overdue_list(events(), now=now)),
    ]
    return panels


def _whole_months(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """[month_from, month_to): the whole calendar months inside first…last (an empty pair when there are none)."""
    def next_month(day):
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)

    month_from = first if first.day == 1 else next_month(first)
    month_to = next_month(last) if next_month(last) - dt.timedelta(days=1) == last else last.replace(day=1)
    return (month_from, month_to) if month_from < month_to else (month_from, month_from)


def bench_dashboard(label, username, node, filters, runs, out):
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from dashboards.page import build_page
    from events import kpis
    from events import panels as dashboards
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
        return build_page(actor=user, node=node, filters=filters, now=now)

    client = Client()
    client.force_login(user)
    query = {"from": filters.date_from.isoformat(), "to": filters.date_to.isoformat(), "period": filters.period}
    url = f"/dashboards/{node.pk}/"

    def page():
        response = client.get(url, query)
        assert response.status_code == 200, response.status_code
        return response

    from dashboards import cache as dashboard_cache

    cached = dashboard_cache.enabled()
    # Computed: every entry retired before each run (untimed), so the page computes the dashboard, as the first
    # view after a write under the node does. Cached: the same page again, served from the cache.
    retire = dashboard_cache.retire_all if cached else None
    dashboard_cache.retire_all()
    queries = query_count(lambda: (dashboard_cache.retire_all(), page()))
    page_ms = median_ms(page, runs, before=retire)
    cached_ms = median_ms(page, runs) if cached else float("nan")
    cached_queries = query_count(page) if cached else None
    # After an event write under the node: its page is computed again, the events' panels built, the other
    # domains' panels taken from their own entries (dashboards.cache.PanelKeeper).
    after_write = (lambda: dashboard_cache.changed("events", [node.pk])) if cached else None
    after_write_ms = median_ms(page, runs, before=after_write) if cached else float("nan")
    after_write_queries = query_count(lambda: (after_write(), page())) if cached else None
    selectors_ms = median_ms(selectors, runs)

    start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=kpis.SHANGHAI)
    end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=kpis.SHANGHAI)
    path_ids = [pk for pk in (node.district_id, node.street_id, node.community_id) if pk and pk != node.pk]
    month_from, month_to = _whole_months(filters.date_from, filters.date_to)
    params = {"tenant": node.tenant_id, "node": node.pk, "start": start, "end": end, "now": now,
              "period": filters.period, "path": path_ids, "day_from": filters.date_from, "day_to": filters.date_to,
              "month_from": month_from, "month_to": month_to}
    per_panel = []
    forget_scope(user)
    actor()  # compute the scope once, outside the panel timings
    dashboards.node_events(actor=user, node=node, filters=filters)
    with connection.cursor() as cursor:
        sql = dict(hand_sql(node, kpis.CHILD_COLUMN[node.kind], filters.period == "month"))
        for name, fn in orm_panels(actor, node, filters, now):
            orm_ms = median_ms(fn, runs)
            sql_ms = median_ms(_sql(cursor, sql[name], params), runs)
            per_panel.append((name, orm_ms, sql_ms))
    sql_total = sum(s for _n, _o, s in per_panel)
    out.append(
        {
            "what": label,
            "page_ms": page_ms,
            "cached_ms": cached_ms,
            "cached_queries": cached_queries,
            "after_write_ms": after_write_ms,
            "after_write_queries": after_write_queries,
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

        queries = query_count(page)
        sql = hand_list_sql(node.kind, bool(after))
        params = {"tenant": node.tenant_id, "node": node.pk, "after": last and last.pk, "at": last and last.created_at}
        with connection.cursor() as cursor:
            sql_ms = median_ms(_sql(cursor, sql, params), runs)
            offset_ms = None
            if after:
                offset_sql = hand_list_sql(node.kind, False) + f" OFFSET {50 * (number - 1)}"
                offset_ms = median_ms(_sql(cursor, offset_sql, params), runs)
        selectors_ms = median_ms(run, runs)

        def api(after=after):
            response = client.get("/api/v1/events/", {"after": after} if after else {})
            assert response.status_code == 200
            return response

        api_queries = query_count(api)
        api_ms = median_ms(api, runs)
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
        out.append(
            {
                "what": "  events API, the same page",
                "page_ms": api_ms,
                "selectors_ms": selectors_ms,
                "sql_ms": sql_ms,
                "ratio": selectors_ms / sql_ms if sql_ms else float("nan"),
                "queries": api_queries,
                "panels": [],
            }
        )


def bench_work_queue(username, runs, out):
    """The 待办 of one officer (events.selectors.queue_page: 50 rows soonest deadline first); beside it, by hand,
    its main branch alone: the events to accept or dispatch in the officer's node, in deadline order."""
    from django.db import connection
    from django.test import Client

    from events import selectors
    from grids.models import Assignment, User
    from grids.scope import forget_scope

    user = User.objects.get(username=username)
    node = Assignment.objects.filter(user=user).select_related("node").first().node
    client = Client()
    client.force_login(user)

    def run():
        forget_scope(user)
        return selectors.queue_page(actor=user)

    def page():
        response = client.get("/events/todo/")
        assert response.status_code == 200
        return response

    queries = query_count(page)
    sql = (
        "SELECT e.*, c.name, n.name FROM events_event e JOIN events_category c ON c.id = e.category_id "
        f"JOIN grids_gridnode n ON n.id = e.node_id WHERE e.tenant_id = %(tenant)s AND e.{node.kind}_id = %(node)s "
        "AND e.status IN ('reported', 'accepted') ORDER BY e.due_at NULLS LAST, e.id LIMIT 51"
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
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/8",
        help="Redis as the cache, as in production (an empty string: a per-process cache, dashboards not cached)",
    )
    parser.add_argument("--levels", default="district,street,community", help="which dashboards to time")
    parser.add_argument("--no-lists", action="store_true", help="time the dashboards only")
    parser.add_argument("--list-users", default=",".join(u for u, _p in LISTS), help="whose lists and 待办 to time")
    args = parser.parse_args(argv)
    _setup(args.database_url, args.redis_url or None)

    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from dashboards.filters import DashboardFilters
    from events.models import Event
    from grids.models import Assignment, User

    today = timezone.localdate()
    total = Event.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    print(f"{total:,} events; {version}; median of {args.runs} runs after one warm-up")
    print(f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
          f"DASHBOARD_CACHE_SECONDS={settings.DASHBOARD_CACHE_SECONDS}\n")
    out: list[dict] = []
    for days in [int(d) for d in args.ranges.split(",") if d]:
        filters = DashboardFilters(date_from=today - dt.timedelta(days=days - 1), date_to=today, period="day")
        if days > 92:
            filters = DashboardFilters(date_from=filters.date_from, date_to=today, period="month")
        for level, (username, _path) in DEMO.items():
            if level not in args.levels.split(","):
                continue
            user = User.objects.get(username=username)
            node = Assignment.objects.filter(user=user).select_related("node").first().node
            bench_dashboard(f"{level} dashboard ({node.name}), {days} days", username, node, filters, args.runs, out)
    lists = [(u, p) for u, p in LISTS if u in args.list_users.split(",") and not args.no_lists]
    for username, pages in lists:
        bench_event_list(username, pages, args.runs, out)
    for username, _pages in lists:
        bench_work_queue(username, args.runs, out)

    header = (
        f"{'what':<44} {'page ms':>8} {'cached ms':>10} {'selectors ms':>13} {'SQL ms':>8} {'ratio':>6} "
        f"{'queries':>8} {'page CPU':>9} {'cached CPU':>11}"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(header)
    print("-" * len(header))
    for row in out:
        if "skipped" in row:
            print(f"{row['what']:<44} skipped: {row['skipped']}")
            continue
        cached_ms = row.get("cached_ms", float("nan"))
        cached = f"{cached_ms:>10.1f}" if cached_ms == cached_ms else " " * 10  # NaN: not cached
        queries = f"{row['queries']}" + (f" / {row['cached_queries']}" if row.get("cached_queries") is not None else "")
        page_cpu = getattr(row["page_ms"], "cpu", float("nan"))
        cached_cpu = getattr(row.get("cached_ms"), "cpu", float("nan"))
        print(
            f"{row['what']:<44} {row['page_ms']:>8.1f} {cached} {row['selectors_ms']:>13.1f} {row['sql_ms']:>8.1f} "
            f"{row['ratio']:>6.2f} {queries:>8} {page_cpu:>9.1f} "
            + (f"{cached_cpu:>11.1f}" if cached_cpu == cached_cpu else "")
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    written = [row for row in out if row.get("after_write_queries") is not None]
    if written:
        print("\ncomputed after an event write under the node (events' panels built, other domains' kept)")
        print(f"{'what':<44} {'page ms':>8} {'page CPU':>9} {'queries':>8}")
        for row in written:
            ms = row["after_write_ms"]
            print(f"{row['what']:<44} {ms:>8.1f} {getattr(ms, 'cpu', float('nan')):>9.1f} {row['after_write_queries']:>8}")
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
