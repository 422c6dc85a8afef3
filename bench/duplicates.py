"""Bench the candidate duplicates (这里已有人上报, events/duplicates.py) at district scale: the server time of
`duplicates.candidates()` — the query and the ranking — for a resident's point, on the bench database.

    DJANGO_SETTINGS_MODULE=yaohai.settings .venv/bin/python -m bench.duplicates --runs 300 \\
        --database-url postgres://postgres@127.0.0.1:5432/yaohai_bench

bench.generate files its events without a position; the first run gives every such event a point inside its
grid's box (deterministic from its id; one UPDATE, then ANALYZE). Probes, drawn with a fixed seed:
- "near an open event": the point of an open Yaohai event filed in the window, jittered by up to ±20 m, with its
  subcategory — the case where a candidate exists (the event itself is at least one);
- "anywhere": a random point in a random grid of Yaohai with a random subcategory — mostly no candidate.
Each probe is timed with perf_counter around the call (one SQL query and the Python ranking); the table gives the
median, p95 and max over the runs, the candidates found, and the plan of one probe. docs/bench.md holds results.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from bench.generate import _setup_django

PLACE_SQL = """
UPDATE events_event AS e
   SET lon = g.min_lon + (g.max_lon - g.min_lon) * (((e.id * 7919) %% 1000) / 1000.0),
       lat = g.min_lat + (g.max_lat - g.min_lat) * (((e.id * 104729) %% 1000) / 1000.0)
  FROM grids_gridnode AS g
 WHERE g.id = e.grid_id AND e.lat IS NULL AND g.min_lon IS NOT NULL
"""


def place_events(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute(PLACE_SQL, [])  # with parameters, so "%%" is the modulo
        placed = cursor.rowcount
        if placed:
            cursor.execute("ANALYZE events_event")
    return placed


def _probes(tenant, runs: int, rng: random.Random, now) -> dict[str, list]:
    import datetime as dt

    from events.choices import OPEN_STATUSES
    from events.duplicates import DEFAULT_WINDOW_DAYS
    from events.models import Category, Event
    from grids.models import GridNode

    recent = list(
        Event.objects.filter(tenant=tenant, status__in=list(OPEN_STATUSES), lat__isnull=False,
                             created_at__gte=now - dt.timedelta(days=DEFAULT_WINDOW_DAYS))
        .values_list("category_id", "lon", "lat")[:20000]
    )
    subcategories = {c.pk: c for c in Category.objects.filter(tenant=tenant, parent__isnull=False)
                     .select_related("parent")}
    grids = list(GridNode.objects.filter(tenant=tenant, kind="grid", min_lon__isnull=False)
                 .values_list("min_lon", "max_lon", "min_lat", "max_lat"))
    near, anywhere = [], []
    for _ in range(runs):
        if recent:
            category_id, lon, lat = rng.choice(recent)
            near.append((subcategories[category_id], lon + rng.uniform(-0.0002, 0.0002),
                         lat + rng.uniform(-0.00018, 0.00018)))
        west, east, south, north = rng.choice(grids)
        anywhere.append((rng.choice(list(subcategories.values())), rng.uniform(west, east), rng.uniform(south, north)))
    return {"near an open event": near, "anywhere": anywhere}


def _time(tenant, probes, now) -> tuple[list[float], list[int]]:
    from events import duplicates

    times, found = [], []
    for category, lon, lat in probes:
        start = time.perf_counter()
        rows = duplicates.candidates(tenant_id=tenant.pk, category=category, lon=lon, lat=lat, now=now)
        times.append((time.perf_counter() - start) * 1000)
        found.append(len(rows))
    return times, found


def _plan(tenant, probe, now) -> str:
    from django.db import connection

    from events import duplicates

    category, lon, lat = probe
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        duplicates.candidates(tenant_id=tenant.pk, category=category, lon=lon, lat=lat, now=now)
    sql, params = captured[0]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/yaohai_bench")
    parser.add_argument("--runs", type=int, default=300, help="probes of each kind")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args(argv)
    _setup_django(args.database_url)

    from django.db import connection
    from django.utils import timezone

    from events.models import Event
    from grids.models import Tenant

    placed = place_events(connection)
    if placed:
        print(f"placed {placed:,} events inside their grid's box")
    tenant = Tenant.objects.order_by("id").first()
    now = timezone.now()
    total = Event.objects.count()
    probes = _probes(tenant, args.runs, random.Random(args.seed), now)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    print(f"{total:,} events; {version}; {args.runs} probes of each kind after {min(args.runs, 20)} untimed")
    print()
    print(f"{'probe':<22}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'found (mean)':>14}{'with any':>10}")
    print("-" * 75)
    for label, rows in probes.items():
        if not rows:
            continue
        _time(tenant, rows[: min(args.runs, 20)], now)  # warm-up
        times, found = _time(tenant, rows, now)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{label:<22}{statistics.median(times):>11.2f}{p95:>9.2f}{times[-1]:>9.2f}"
              f"{statistics.mean(found):>14.2f}{sum(1 for n in found if n) / len(found):>10.0%}")
    print()
    first = next(iter(rows for rows in probes.values() if rows))
    print("plan of one probe (near an open event):")
    print(_plan(tenant, first[0], now))
    return 0


if __name__ == "__main__":
    sys.exit(main())
