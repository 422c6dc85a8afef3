"""The city dashboard at scale: a city of N districts with generated events, its roll-up computed and cached.

    DJANGO_SETTINGS_MODULE=yaohai.settings .venv/bin/python -m bench.city --generate --districts 10 \\
        --events 100000 --database-url postgres://postgres@127.0.0.1:5432/yaohai_city_bench
    DJANGO_SETTINGS_MODULE=yaohai.settings .venv/bin/python -m bench.city \\
        --database-url postgres://postgres@127.0.0.1:5432/yaohai_city_bench --redis-url redis://127.0.0.1:6379/4

`--generate` makes the database (created if missing, migrated): N districts of 13 streets × 5 communities × 9 grids
(585 grids each, as Yaohai's 596), each with `--events` events over two years inserted with COPY by bench.generate's
own generator, the rollups rebuilt, a city over them and a city officer. Then, for each date range, it times
through Django's test client (session, city scope, the roll-up, the template): the city page computed (every
cached entry retired before each run, as after a write under one of its districts) and cached; and a district's
read-only dashboard, computed and cached; and the roll-up's computation alone (`build_city_page`, no HTTP, no
template, no cache). Medians of --runs runs after one warm-up, with each page's query count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from bench.generate import _copy_events, _ensure_database, _setup_django
from bench.run import _setup, median_ms, query_count

STREETS, COMMUNITIES, GRIDS = 13, 5, 9
CITY_CODE = "349900"
OFFICER = "bench_city_officer"


def _district(n: int, log):
    """District n: its tree built through the grid services, a reporter, the event catalogue."""
    from events.catalogue import install_event_catalogue
    from grids import services
    from grids.models import GridNode, Tenant, User

    code = f"3499{n + 1:02d}"
    tenant = Tenant.objects.filter(code=code).first()
    if tenant is not None:
        return tenant
    began = time.monotonic()
    tenant = services.create_tenant(name=f"测试区{n + 1:02d}", code=code)
    root = GridNode.objects.get(tenant=tenant, parent__isnull=True)
    for s in range(STREETS):
        street = services.create_node(parent=root, subkind="subdistrict", name=f"街道{s + 1:02d}")
        for c in range(COMMUNITIES):
            community = services.create_node(parent=street, subkind="community", name=f"社区{c + 1}")
            for g in range(GRIDS):
                services.create_node(parent=community, subkind="resident", name=f"网格{g + 1}")
    User.objects.create(username=f"bench_reporter_{code}", tenant=tenant, display_name="上报人")
    install_event_catalogue(tenant)
    log(f"  {tenant.name}: tree in {time.monotonic() - began:.0f} s")
    return tenant


def generate(args, log) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from cities import services as city_services
    from events import rollups
    from events.models import Event
    from grids.models import User

    call_command("migrate", verbosity=0)
    log("migrated")
    tenants = [_district(n, log) for n in range(args.districts)]
    now = timezone.now()
    connection.ensure_connection()
    for tenant in tenants:
        if Event.objects.filter(tenant=tenant).exists():
            continue
        connection.set_autocommit(False)
        try:
            _copy_events(tenant, args.events, now=now, days=args.days, log=log)
        finally:
            connection.set_autocommit(True)
    began = time.monotonic()
    rows = rollups.rebuild()
    log(f"  {rows:,} rollup rows in {time.monotonic() - began:.0f} s")
    with connection.cursor() as cur:
        for table in ("events_eventrollup", "events_event", "events_eventlog"):
            cur.execute(f"VACUUM ANALYZE {table}")
    city = city_services.create_city(name="测试市", code=CITY_CODE)
    for tenant in tenants:
        city_services.add_district(city=city, tenant=tenant)
    officer = User.objects.filter(username=OFFICER).first() or User.objects.create(username=OFFICER, tenant=None)
    city_services.assign_officer(city=city, user=officer, title="主任", start_date=dt.date(2020, 1, 1))


def _time_page(label: str, client, url: str, query: dict, runs: int, out: list, build=None) -> None:
    from dashboards import cache as dashboard_cache

    def page():
        response = client.get(url, query)
        assert response.status_code == 200, response.status_code
        return response

    cached = dashboard_cache.enabled()
    dashboard_cache.retire_all()
    queries = query_count(lambda: (dashboard_cache.retire_all(), page()))
    computed_ms = median_ms(page, runs, before=dashboard_cache.retire_all if cached else None)
    cached_ms = median_ms(page, runs) if cached else float("nan")
    cached_queries = query_count(page) if cached else None
    build_ms = median_ms(build, runs) if build else float("nan")
    out.append({"what": label, "computed_ms": computed_ms, "cached_ms": cached_ms, "queries": queries,
                "cached_queries": cached_queries, "build_ms": build_ms})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/yaohai_city_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8",
                        help="Redis as the cache, as in production (empty: not cached)")
    parser.add_argument("--generate", action="store_true", help="make the districts, events and city first")
    parser.add_argument("--districts", type=int, default=10)
    parser.add_argument("--events", type=int, default=100_000, help="events per district (--generate)")
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--ranges", default="730,30", help="date ranges to time, in days back from today")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the bench needs PostgreSQL")

    def log(message):
        print(message, flush=True)

    if args.generate:
        _ensure_database(args.database_url, reset=False)
        _setup_django(args.database_url)
        generate(args, log)
        return 0
    _setup(args.database_url, args.redis_url or None)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from cities.models import City
    from cities.rollup import build_city_page
    from dashboards.filters import DashboardFilters
    from events.models import Event
    from grids.models import GridNode, User

    city = City.objects.get(code=CITY_CODE)
    districts = list(GridNode.objects.filter(tenant__city_district__city=city, parent__isnull=True).order_by("code"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    print(f"{city.name}: {len(districts)} districts, {Event.objects.count():,} events; {version}; "
          f"median of {args.runs} runs after one warm-up")
    print(f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
          f"DASHBOARD_CACHE_SECONDS={settings.DASHBOARD_CACHE_SECONDS}\n")
    client = Client()
    client.force_login(User.objects.get(username=OFFICER))
    today = timezone.localdate()
    out: list[dict] = []
    for days in [int(d) for d in args.ranges.split(",") if d]:
        query = {"from": (today - dt.timedelta(days=days - 1)).isoformat(), "to": today.isoformat(),
                 "period": "month" if days > 92 else "day"}
        filters = DashboardFilters.from_query(query)
        _time_page(f"city roll-up, {days} days", client, f"/cities/{city.pk}/", query, args.runs, out,
                   build=lambda f=filters: build_city_page(city=city, districts=districts, filters=f,
                                                           now=timezone.now()))
        _time_page(f"a district read-only, {days} days", client, f"/cities/nodes/{districts[0].pk}/", query,
                   args.runs, out)
    header = f"{'what':<36} {'computed ms':>12} {'cached ms':>10} {'roll-up ms':>11} {'queries':>10}"
    print(header)
    print("-" * len(header))
    for row in out:
        cached = f"{row['cached_ms']:>10.1f}" if row["cached_ms"] == row["cached_ms"] else " " * 10
        queries = f"{row['queries']}" + (f" / {row['cached_queries']}" if row["cached_queries"] is not None else "")
        build = f"{row['build_ms']:>11.1f}" if row["build_ms"] == row["build_ms"] else " " * 11
        print(f"{row['what']:<36} {row['computed_ms']:>12.1f} {cached} {build} {queries:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
