"""The pages over HTTP: gunicorn (DEBUG off, as in production) on the bench database, driven by wrk; then the
memory of each worker after a mixed load.

    .venv/bin/python -m bench.http --database-url postgres://postgres@127.0.0.1:5432/yaohai_bench \\
        --redis-url redis://127.0.0.1:6379/8 [--workers 2] [--seconds 10] [--mixed 5000] [--gunicorn-args ...]

What it does:
1. signs `tielu_officer` (a community officer, 铁路一村社区) in through Django's own login (a session row, the
   same SECRET_KEY as the server's) and reads a token for the API;
2. starts gunicorn (`yaohai.wsgi`, yaohai.settings, DEBUG off, Redis as the cache, persistent database connections,
   the options of `make serve` plus --gunicorn-args) on a free port of 127.0.0.1;
3. for each page — the event list (page 1), the events API list, 待办, the community's dashboard served from the
   cache (30 days) — runs wrk with one connection, then with --connections connections (after a warm-up of each),
   and prints requests/s and the latency's p50 / p90 / p99 as wrk measured them (client side: the whole HTTP
   round trip on the loopback);
4. restarts gunicorn (fresh workers), sends --mixed requests, one at a time, spread over the pages above, a deep
   page of the list, the dashboard by week and over two years, its large screen, an event's page and its API
   detail, and the workbench; then prints each worker's RSS and PSS (/proc/<pid>/smaps_rollup), fresh and after.

gunicorn is always stopped at the end. wrk must be installed (`apt-get install -y wrk`). Record the machine's load
average beside the numbers (printed first and last): the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.filing import free_port, wait_ready
from bench.filing import stop_gunicorn as stop

ROOT = Path(__file__).resolve().parent.parent
USER = "tielu_officer"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def start_gunicorn(url: str, redis_url: str, port: int, workers: int, extra: list[str], secret: str, log: Path,
                   venv: Path = ROOT / ".venv"):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yaohai.settings",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_CONN_MAX_AGE": "3600",
        "LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "false",
    }
    cmd = [
        str(venv / "bin" / "gunicorn"), "yaohai.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--timeout", "60", "--no-control-socket", "--error-logfile", str(log),
        "--log-level", "warning", *extra,
    ]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process in MiB."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("Rss:", "Pss:"):
            values[parts[0]] = int(parts[1]) / 1024
    return values["Rss:"], values["Pss:"]


def get(port: int, path: str, headers: dict) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


LATENCY = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port: int, path: str, headers: dict, connections: int, seconds: int) -> dict:
    cmd = ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run([*cmd, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    latency = {int(p): float(v) * UNITS[u] for p, v, u in LATENCY.findall(out)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "latency": latency, "non2xx": int(bad.group(1)) if bad else 0,
            "errors": errors.group(1) if errors else ""}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/yaohai_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--mixed", type=int, default=5000, help="requests of the mixed load before the memory")
    parser.add_argument("--gunicorn-args", default="", help="more gunicorn options, e.g. '--preload'")
    parser.add_argument("--pages", default="list,api,todo,dashboard", help="which pages wrk drives")
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv",
                        help="the venv whose gunicorn serves: e.g. one made from requirements.lock alone, as the "
                        "Docker image is (the dev lock adds packages DRF imports when present: requests, Pygments)")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")

    secret = secrets.token_urlsafe(50)
    os.environ["DJANGO_SECRET_KEY"] = secret
    from bench.run import _setup

    _setup(args.database_url, args.redis_url)
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from events.models import Event
    from grids.models import Assignment, User

    user = User.objects.get(username=USER)
    client = Client()
    client.force_login(user)
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}
    token, _ = Token.objects.get_or_create(user=user)
    token.created = timezone.now()  # a fresh token (tokens expire)
    token.save(update_fields=["created"])
    api = {"Authorization": f"Token {token.key}", "Accept": "application/json"}
    node = Assignment.objects.filter(user=user).select_related("node").first().node
    two_years_ago = (timezone.localdate() - dt.timedelta(days=729)).isoformat()
    event = Event.objects.filter(community_id=node.pk).order_by("-created_at").first()
    pages = {
        "list": ("event list, page 1", "/events/", cookie),
        "api": ("events API list", "/api/v1/events/", api),
        "todo": ("待办", "/events/todo/", cookie),
        "dashboard": ("community dashboard, cached (30 days)", f"/dashboards/{node.pk}/", cookie),
    }
    chosen = [pages[key] for key in args.pages.split(",") if key]
    extra = shlex.split(args.gunicorn_args)
    conf = "gunicorn.conf.py (preload_app, gc.freeze)" if (ROOT / "gunicorn.conf.py").exists() else "no gunicorn.conf.py"
    print(f"gunicorn: {args.workers} sync workers, {conf} {' '.join(extra)}; wrk {args.seconds} s per run")
    print(f"load average at start: {load_average()}")

    log = Path(tempfile.mkstemp(prefix="bench-http-", suffix=".log")[1])
    port = free_port()
    proc = start_gunicorn(args.database_url, args.redis_url, port, args.workers, extra, secret, log, args.venv)
    try:
        wait_ready(proc, port, log)
        for _label, path, headers in chosen:
            status = get(port, path, headers)
            if status != 200:
                raise SystemExit(f"{path} answered {status}:\n{log.read_text()[-3000:]}")
        print(f"\n{'page':<40} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
        for label, path, headers in chosen:
            for connections in (1, args.connections):
                wrk(port, path, headers, connections, 2)  # warm-up: every worker has read the page once
                result = wrk(port, path, headers, connections, args.seconds)
                lat = result["latency"]
                note = f"  non-2xx {result['non2xx']}" if result["non2xx"] else ""
                note += f"  socket errors: {result['errors']}" if result["errors"] else ""
                print(f"{label:<40} {connections:>5} {result['rps']:>8.1f} {lat.get(50, 0):>8.2f} "
                      f"{lat.get(90, 0):>8.2f} {lat.get(99, 0):>8.2f}{note}")
        print(f"load average: {load_average()}")
    finally:
        stop(proc)

    if args.mixed:
        mixed = [
            ("/events/", cookie), ("/events/?after=" + _deep_cursor(user), cookie), ("/events/todo/", cookie),
            (f"/dashboards/{node.pk}/", cookie), (f"/dashboards/{node.pk}/?period=week", cookie),
            (f"/dashboards/{node.pk}/?from={two_years_ago}&period=month", cookie),
            (f"/dashboards/{node.pk}/screen/", cookie), ("/api/v1/events/", api),
            (f"/api/v1/events/{event.pk}/", api), (f"/events/{event.pk}/", cookie), ("/", cookie),
        ]
        port = free_port()
        proc = start_gunicorn(args.database_url, args.redis_url, port, args.workers, extra, secret, log, args.venv)
        try:
            wait_ready(proc, port, log)
            time.sleep(1)
            fresh = {pid: memory(pid) for pid in workers_of(proc.pid)}
            master = memory(proc.pid)
            began = time.monotonic()
            statuses: dict[int, int] = {}
            for i in range(args.mixed):
                path, headers = mixed[i % len(mixed)]
                status = get(port, path, headers)
                statuses[status] = statuses.get(status, 0) + 1
            took = time.monotonic() - began
            after = {pid: memory(pid) for pid in workers_of(proc.pid)}
            print(f"\nmixed load: {args.mixed} requests over {len(mixed)} pages in {took:.0f} s, answers {statuses}")
            print(f"master: RSS {master[0]:.1f} MiB, PSS {master[1]:.1f} MiB")
            for pid, (rss, pss) in after.items():
                before = fresh.get(pid)
                was = f"fresh RSS {before[0]:.1f} / PSS {before[1]:.1f}" if before else "restarted during the load"
                print(f"worker {pid}: {was} → after RSS {rss:.1f} MiB, PSS {pss:.1f} MiB")
            print(f"load average: {load_average()}")
        finally:
            stop(proc)
    log.unlink(missing_ok=True)
    return 0


def _deep_cursor(user) -> str:
    from events import selectors

    rows = selectors.filtered_events(actor=user, filters=selectors.EventFilters())
    last = rows.only("pk", "created_at")[50 * 199 - 1]
    return selectors.cursor_after(last)


if __name__ == "__main__":
    sys.exit(main())
