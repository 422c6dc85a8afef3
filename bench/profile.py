"""Profile one page on the bench database: cProfile over --runs requests through Django's test client.

    DJANGO_SETTINGS_MODULE=yaohai.settings .venv/bin/python -m bench.profile --user tielu_officer --url /events/ \\
        --database-url postgres://postgres@127.0.0.1:5432/yaohai_bench --runs 200 [--sort tottime] [--limit 40]

`--url` may name `dashboard` (the user's own node's dashboard, 30 days) or `dashboard-computed` (the same, every
cached entry retired before each request, untimed). It prints the median page time (without the profiler), then
the profile's top functions. The profiler itself roughly doubles the time of small functions: read it for where
the time goes, and time with bench.run.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time

from bench.run import _setup


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/yaohai_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--user", default="tielu_officer")
    parser.add_argument("--url", default="/events/")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=45)
    args = parser.parse_args(argv)
    _setup(args.database_url, args.redis_url or None)

    from django.test import Client

    from dashboards import cache as dashboard_cache
    from grids.models import Assignment, User

    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    before = None
    url, query = args.url, {}
    if url.startswith("dashboard"):
        node = Assignment.objects.filter(user=user).select_related("node").first().node
        if url == "dashboard-computed":
            before = dashboard_cache.retire_all
        url = f"/dashboards/{node.pk}/"

    def page():
        response = client.get(url, query)
        assert response.status_code == 200, response.status_code

    page()
    times = []
    for _ in range(max(args.runs // 4, 5)):
        if before:
            before()
        began = time.perf_counter()
        page()
        times.append((time.perf_counter() - began) * 1000)
    print(f"{url}: median {statistics.median(times):.1f} ms over {len(times)} requests (no profiler)")
    profiler = cProfile.Profile()
    for _ in range(args.runs):
        if before:
            before()
        profiler.enable()
        page()
        profiler.disable()
    pstats.Stats(profiler).strip_dirs().sort_stats(args.sort).print_stats(args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
