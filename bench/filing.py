"""Requests per second of filing an event through the API, against a bare Django view that inserts one row.

    DJANGO_DEBUG=1 .venv/bin/python -m bench.filing \\
        --database-url postgres://postgres@127.0.0.1:5432/yaohai_filing --seconds 20

Issue 3 asks that filing an event through the API (POST /api/v1/events/: token authentication, validation, scope,
the event row, its number, its log row, the dispatchers' notifications) sustain at least half the requests per
second of a bare view inserting one row (`bench/bare-insert/` in bench.filing_urls) on the same gunicorn and
database.

What it does:
1. creates the database if it is missing (migrate, load_demo, the event catalogue of every tenant, seed_calendar;
   later runs only migrate and skip what exists), the table `bench_ping` of the bare view, and a token for `grid_worker`
   (琅琊小区第一网格);
2. starts gunicorn (`yaohai.wsgi`, DJANGO_SETTINGS_MODULE=bench.filing_settings, --workers sync workers, DEBUG off,
   persistent database connections) on a free port of 127.0.0.1;
3. drives each endpoint with wrk (--threads threads, --connections connections): a warm-up of --warmup seconds,
   then --seconds measured. Every request is a POST with a JSON body and its own idempotency key
   (run prefix-thread-counter), so every API request files a new event;
4. with --ladder, also drives the ladder of bench.filing_urls (a Django no-op, a DRF view with token
   authentication and no other work, the same plus the bare insert), to split the distance between the two into
   what the frameworks cost and what the filing's own work costs;
5. prints requests/s, latency percentiles, the ratio API / bare, and checks that the rows created match the
   requests answered 2xx. wrk stops with requests still in flight; those may still commit after it has gone, so the
   check is: answered 2xx <= rows created <= answered 2xx + (sent - answered). Any non-2xx answer, socket error or
   a count outside that range fails the run (exit 1); a ratio under --min-ratio exits 3;
6. with --profile N (or --profile-only), in-process: the statements of one filing, the CPU time per request of
   every endpoint (this process and its PostgreSQL backend, read from /proc), and the CPU time of each phase of
   a filing. CPU time moves far less than wall time when other processes load the machine.

gunicorn is always stopped at the end. wrk must be installed (`apt-get install -y wrk`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yaohai_filing"
WORKER = "grid_worker"
GRID = "琅琊小区第一网格"
BARE_PATH = "/bench/bare-insert/"
API_PATH = "/api/v1/events/"
# --ladder: (name, path, sends the token, inserts a bench_ping row) — see bench/filing_urls.py.
LADDER = [
    ("django no-op", "/bench/noop/", False, False),
    ("DRF + token, no-op", "/bench/drf-noop/", True, False),
    ("DRF + token + insert", "/bench/drf-insert/", True, True),
]

# The wrk script. Placeholders (@NAME@) are filled by lua_script(). Each thread numbers its requests; the key is
# "<run prefix>-<thread>-<counter>", unique across the run. Statuses are counted in response() because wrk's own
# summary counts 3xx as success. done() prints one JSON line that the runner parses.
LUA = r"""
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  statuses = {}
end

local body_template = [==[@BODY@]==]
local headers = {
  ["Content-Type"] = "application/json",
  ["Accept"] = "application/json",
  @AUTH@
}

function request()
  counter = counter + 1
  local key = "@PREFIX@-" .. tid .. "-" .. counter
  local body = string.gsub(body_template, "@KEY@", key)
  return wrk.format("POST", "@PATH@", headers, body)
end

function response(status, hdrs, body)
  local k = tostring(status)
  statuses[k] = (statuses[k] or 0) + 1
  if status >= 300 and not first_error then
    first_error = tostring(status) .. " " .. string.sub(body or "", 1, 300)
  end
end

function done(summary, latency, requests)
  local sent, counts, parts, err = 0, {}, {}, nil
  for _, t in ipairs(threads) do
    sent = sent + (t:get("counter") or 0)
    for k, v in pairs(t:get("statuses") or {}) do
      counts[k] = (counts[k] or 0) + v
    end
    err = err or t:get("first_error")
  end
  err = string.gsub(err or "", '[%c"\\]', " ")
  for k, v in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', k, v))
  end
  local pcts = {}
  for _, p in ipairs({50, 75, 90, 99, 99.9}) do
    table.insert(pcts, string.format('"%s": %.0f', tostring(p), latency:percentile(p)))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "sent": %d, "statuses": {%s}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.0f, "max": %.0f, "stdev": %.0f, "percentiles": {%s}}, "first_error": "%s"}\n',
    summary.requests, summary.duration, sent, table.concat(parts, ", "),
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency.stdev, table.concat(pcts, ", "), err))
end
"""


@dataclass
class Result:
    name: str
    requests: int
    duration_s: float
    sent: int
    statuses: dict[str, int]
    errors: dict[str, int]
    latency_us: dict
    first_error: str
    rows_created: int = 0
    problems: list[str] = field(default_factory=list)
    counts_rows: bool = True  # False for the ladder's no-op endpoints, which store nothing

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if status.startswith("2"))

    def check(self) -> list[str]:
        problems = []
        bad = {s: n for s, n in self.statuses.items() if not s.startswith("2")}
        if bad:
            problems.append(f"{self.name}: non-2xx responses {bad}; first: {self.first_error!r}")
        socket_errors = {k: v for k, v in self.errors.items() if v and k != "status"}
        if socket_errors:
            problems.append(f"{self.name}: socket errors {socket_errors}")
        in_flight = max(self.sent - self.requests, 0)
        if self.counts_rows and not self.ok <= self.rows_created <= self.ok + in_flight:
            problems.append(
                f"{self.name}: {self.rows_created} rows created for {self.ok} answers 2xx "
                f"({in_flight} requests still in flight when wrk stopped)"
            )
        if self.requests == 0:
            problems.append(f"{self.name}: no request completed")
        self.problems = problems
        return problems


# ---- database and Django ----------------------------------------------------------------------------------------


def ensure_database(url: str) -> bool:
    """Create the database named in the URL when it does not exist; True if it was created."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.filing_settings"
    os.environ["DATABASE_CONN_MAX_AGE"] = "3600"  # as in the gunicorn it starts: one connection kept
    import django

    django.setup()


@dataclass
class Fixture:
    token: str
    grid_id: int
    category_id: int
    tenant: str


def prepare(created: bool) -> Fixture:
    """Schema, demo tree, catalogue, the bench_ping table and grid_worker's token (idempotent)."""
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from events.catalogue import install_event_catalogue
    from events.models import Category
    from grids.models import GridNode, Tenant, User

    call_command("migrate", interactive=False, verbosity=0)
    if created or not User.objects.filter(username=WORKER).exists():
        print("loading the demo tree (load_demo) ...", flush=True)
        call_command("load_demo", quiet=True, stdout=open(os.devnull, "w"))
    for tenant in Tenant.objects.all():
        install_event_catalogue(tenant)
    # The working calendar as a deployment has it (the deadline of each filing reads a window of these rows).
    call_command("seed_calendar", stdout=open(os.devnull, "w"))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_ping (id bigserial PRIMARY KEY, created_at timestamptz)")
    user = User.objects.get(username=WORKER)
    token, _ = Token.objects.get_or_create(user=user)
    grid = GridNode.objects.get(tenant_id=user.tenant_id, name=GRID, kind="grid")
    category = (
        Category.objects.filter(tenant_id=user.tenant_id, parent__isnull=False, is_active=True).order_by("id").first()
    )
    if category is None:
        raise SystemExit("no active subcategory in grid_worker's tenant: the event catalogue is missing")
    connection.close()
    return Fixture(token=token.key, grid_id=grid.pk, category_id=category.pk, tenant=str(user.tenant))


def count_bare() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_ping")
        return cursor.fetchone()[0]


def count_events(prefix: str) -> int:
    from events.models import Event

    return Event.objects.filter(idempotency_key__startswith=f"{prefix}-").count()


def settled(count, *, quiet_for: float = 1.0, limit: float = 30.0) -> int:
    """The count once it has stopped moving: requests wrk left in flight may still be committing."""
    last, since, began = count(), time.monotonic(), time.monotonic()
    while time.monotonic() - began < limit:
        time.sleep(0.25)
        now = count()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_for:
            break
    return last


# ---- gunicorn and wrk -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.filing_settings",
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Persistent connections for the length of the run (each worker opens one and keeps it).
        "DATABASE_CONN_MAX_AGE": "3600",
        "LOG_LEVEL": "WARNING",
    }
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "yaohai.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
        "--timeout", "60", "--no-control-socket", "--error-logfile", str(log), "--log-level", "warning",
    ]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)


def stop_gunicorn(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # its own session: the master and its workers
        proc.wait(timeout=5)


def wait_ready(proc: subprocess.Popen, port: int, log: Path, limit: float = 60.0) -> None:
    began = time.monotonic()
    while time.monotonic() - began < limit:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer /healthz within {limit:.0f} s:\n{log.read_text()[-3000:]}")


def body_for(fixture: Fixture) -> str:
    """The filing's JSON body (ASCII-escaped); @KEY@ is replaced per request by the wrk script."""
    return json.dumps({
        "node": fixture.grid_id,
        "category": fixture.category_id,
        "title": "井盖缺失（压测）",
        "description": "琅琊小区3栋东侧人行道井盖缺失，存在安全隐患。",
        "urgency": 2,
        "idempotency_key": "@KEY@",
    })


def lua_script(path: str, prefix: str, body: str, token: str | None) -> str:
    auth = f'["Authorization"] = "Token {token}",' if token else ""
    return (LUA.replace("@BODY@", body).replace("@AUTH@", auth).replace("@PREFIX@", prefix)
            .replace("@PATH@", path))


def probe(port: int, path: str, body: str, token: str | None) -> None:
    """One request before the load: a 4xx/5xx here is shown in full rather than as a count."""
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body.replace("@KEY@", f"probe-{secrets.token_hex(6)}").encode(),
        method="POST", headers={"Content-Type": "application/json", "Accept": "application/json",
                                **({"Authorization": f"Token {token}"} if token else {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            if r.status != 201:
                raise SystemExit(f"probe of {path}: {r.status} {r.read()[:500]!r}")
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"probe of {path}: {exc.code} {exc.read()[:1000].decode(errors='replace')}") from exc


def run_wrk(name: str, port: int, script: str, *, seconds: int, threads: int, connections: int,
            show: bool) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench_filing_", delete=False) as f:
        f.write(script)
        lua = f.name
    try:
        cmd = ["wrk", f"--threads={threads}", f"--connections={connections}", f"--duration={seconds}s",
               "--timeout=10s", "--latency", f"--script={lua}", f"http://127.0.0.1:{port}/"]
        out = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8",
                             errors="replace", timeout=seconds + 60)
    finally:
        os.unlink(lua)
    if out.returncode != 0:
        raise SystemExit(f"wrk failed ({out.returncode}): {out.stderr}\n{out.stdout}")
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no BENCH_JSON line:\n{out.stdout}\n{out.stderr}")
    if show:
        print("\n".join(x for x in out.stdout.splitlines() if not x.startswith("BENCH_JSON ")))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return Result(name=name, requests=data["requests"], duration_s=data["duration_us"] / 1e6, sent=data["sent"],
                  statuses=data["statuses"], errors=data["errors"], latency_us=data["latency_us"],
                  first_error=data["first_error"])


def measure(name: str, port: int, path: str, body: str, token: str | None, count, prefix_of, args) -> Result:
    """Warm-up, then the measured run; rows created are counted once the server has settled."""
    opts = dict(threads=args.threads, connections=args.connections)
    if args.warmup:
        run_wrk(name, port, lua_script(path, prefix_of("w"), body, token), seconds=args.warmup, show=False, **opts)
    prefix = prefix_of("m")
    before = settled(lambda: count(prefix))
    print(f"--- {name}: POST {path}, {args.seconds} s, {args.threads} threads, {args.connections} connections",
          flush=True)
    result = run_wrk(name, port, lua_script(path, prefix, body, token), seconds=args.seconds, show=args.verbose,
                     **opts)
    result.rows_created = settled(lambda: count(prefix)) - before
    return result


# ---- profile ----------------------------------------------------------------------------------------------------

# The phases of a filing, timed by wrapping these functions (CPU seconds of this process, no profiler overhead).
PHASES = [
    ("whole request (middleware, DRF, view)", "django.core.handlers.base", "BaseHandler.get_response"),
    ("  token authentication", "rest_framework.authentication", "TokenAuthentication.authenticate"),
    ("  EventViewSet.create", "events.api.views", "EventViewSet.create"),
    ("    selectors.report_grid (with the scope)", "events.selectors", "report_grid"),
    ("      the scope query", "grids.scope", "_compute_scopes"),
    ("    services.report_event", "events.services", "report_event"),
    ("      category and validation", "events.services.filing", "_checked"),
    ("      dispatchers to notify", "events.services.filing", "_dispatchers_of"),
    ("      the day's number", "events.services.filing", "_next_reference"),
    ("      Event.save (with the dashboards' rollup)", "events.models", "Event.save"),
    ("      log row", "events.services.filing", "_log"),
    ("      notifications", "events.services.filing", "_notify"),
    ("      COMMIT", "django.db.backends.base.base", "BaseDatabaseWrapper.commit"),
    ("    the 201 body (from the instance)", "events.api.views", "EventViewSet._respond"),
]


def _timed(spent: dict[str, list[float]], label: str):
    """Patch the phase's function with a wrapper that adds its CPU and wall time to `spent`; returns an undo."""
    import functools
    import importlib

    def patch(module_name: str, qualname: str):
        module = importlib.import_module(module_name)
        owner, name = (module, qualname) if "." not in qualname else (
            getattr(module, qualname.split(".")[0]), qualname.split(".")[1])
        original = (owner.__dict__ if isinstance(owner, type) else vars(owner)).get(name)
        if original is None:  # not in this version of the code: shown as zero
            return lambda: None

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label][0] += time.process_time() - cpu
                spent[label][1] += time.perf_counter() - wall

        setattr(owner, name, wrapper)
        return lambda: setattr(owner, name, original)

    return patch


def profile(fixture: Fixture, n: int) -> None:
    """In-process, through Django's test client with DEBUG off: the statements of one filing; CPU per request
    (this process, and the PostgreSQL backend from /proc) for the baseline, the ladder and the filing; CPU per
    phase of a filing. CPU time is far steadier than wall time on a shared machine, and on a saturated machine
    requests per second follow it."""
    import statistics
    from collections import Counter, defaultdict

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    body = body_for(fixture)
    client = Client(HTTP_HOST="127.0.0.1")
    tag = f"p{time.strftime('%Y%m%d%H%M%S')}{secrets.token_hex(2)}"
    seq = iter(range(10**9))
    tick = os.sysconf("SC_CLK_TCK")

    def post(path: str, token: str | None) -> None:
        extra = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
        response = client.post(path, body.replace("@KEY@", f"{tag}-{next(seq)}"), content_type="application/json",
                               **extra)
        if response.status_code != 201:
            raise SystemExit(f"profile: {path} answered {response.status_code}: {response.content[:500]!r}")

    def backend_cpu() -> float:
        connection.ensure_connection()
        with open(f"/proc/{connection.connection.info.backend_pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    endpoints = {"bare insert": (BARE_PATH, None)}
    endpoints.update({name: (path, fixture.token if token else None) for name, path, token, _ in LADDER})
    endpoints["API filing"] = (API_PATH, fixture.token)

    with override_settings(DEBUG=False, SECURE_SSL_REDIRECT=False, ALLOWED_HOSTS=["127.0.0.1"]):
        for path, token in endpoints.values():
            for _ in range(10):
                post(path, token)
        with CaptureQueriesContext(connection) as queries:
            post(API_PATH, fixture.token)
        print(f"\nstatements per API filing: {len(queries.captured_queries)} (bare insert: 1)")
        kinds = Counter()
        for q in queries.captured_queries:
            verb = q["sql"].split()[0]
            table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', q["sql"])
            kinds[f"{verb} {table.group(1)}" if table and verb in ("SELECT", "INSERT", "UPDATE") else verb] += 1
        for kind, count in kinds.items():
            print(f"  {count} x {kind}")

        # CPU per request; rounds interleave the endpoints, so that bursts of load from elsewhere hit them alike.
        cpu: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in endpoints}
        for _ in range(5):
            for name, (path, token) in endpoints.items():
                py, pg, wall = time.process_time(), backend_cpu(), time.perf_counter()
                for _ in range(n):
                    post(path, token)
                cpu[name]["python"].append((time.process_time() - py) / n * 1000)
                cpu[name]["postgres"].append((backend_cpu() - pg) / n * 1000)
                cpu[name]["wall"].append((time.perf_counter() - wall) / n * 1000)
        print(f"\nper request, in-process (median of 5 interleaved rounds of {n}; load average "
              f"{os.getloadavg()[0]:.2f}); python = this process, postgres = its backend:")
        print("| endpoint | python CPU ms | postgres CPU ms | CPU ms | × bare | wall ms |")
        print("|---|---:|---:|---:|---:|---:|")
        bare_total = None
        for name, r in cpu.items():
            py, pg, wall = (statistics.median(r[k]) for k in ("python", "postgres", "wall"))
            bare_total = bare_total or (py + pg)
            print(f"| {name} | {py:.2f} | {pg:.2f} | {py + pg:.2f} | {(py + pg) / bare_total:.1f} | {wall:.2f} |")

        spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        undo = [_timed(spent, label)(module, qualname) for label, module, qualname in PHASES]
        try:
            py = time.process_time()
            for _ in range(n):
                post(API_PATH, fixture.token)
            total = (time.process_time() - py) / n * 1000
        finally:
            for step in reversed(undo):
                step()
    print(f"\nCPU per phase of a filing ({n} filings; this process only; total {total:.2f} ms per filing):")
    print("| phase | CPU ms | wall ms |")
    print("|---|---:|---:|")
    for label, _module, _name in PHASES:
        cpu_s, wall_s = spent[label]
        print(f"| {label.replace('  ', '&nbsp;&nbsp;')} | {cpu_s / n * 1000:.2f} | {wall_s / n * 1000:.2f} |")


# ---- report -----------------------------------------------------------------------------------------------------


def ms(us: float) -> str:
    return f"{us / 1000:.1f}"


def report(results: list[Result], ratio: float, min_ratio: float) -> str:
    lines = [
        "| endpoint | req/s | p50 ms | p90 ms | p99 ms | max ms | answered 2xx | other | rows created | in flight |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        p = r.latency_us["percentiles"]
        other = sum(r.statuses.values()) - r.ok
        lines.append(
            f"| {r.name} | {r.rps:,.0f} | {ms(p['50'])} | {ms(p['90'])} | {ms(p['99'])} | {ms(r.latency_us['max'])} "
            f"| {r.ok:,} | {other:,} | {r.rows_created:,} | {max(r.sent - r.requests, 0)} |"
        )
    verdict = "meets" if ratio >= min_ratio else "BELOW"
    lines.append("")
    lines.append(f"ratio API / bare = {ratio:.2f} ({verdict} the target {min_ratio:.2f})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_FILING_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seconds", type=int, default=20, help="measured seconds per endpoint")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before each measurement")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--min-ratio", type=float, default=0.5)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--verbose", action="store_true", help="print wrk's own report too")
    parser.add_argument("--profile", type=int, metavar="N", default=0,
                        help="after the load runs (or alone, with --profile-only), profile N filings in-process")
    parser.add_argument("--profile-only", action="store_true", help="skip gunicorn and wrk; profile only")
    parser.add_argument("--ladder", action="store_true",
                        help="also load the ladder's endpoints (bench/filing_urls.py): Django no-op, DRF + token "
                             "no-op, DRF + token + the bare insert")
    args = parser.parse_args(argv)

    if shutil.which("wrk") is None:
        print("wrk is not installed; install it with: apt-get install -y wrk", file=sys.stderr)
        return 2
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        print("--database-url must be a PostgreSQL URL", file=sys.stderr)
        return 2

    load_start = os.getloadavg()
    created = ensure_database(args.database_url)
    print(f"database {args.database_url} ({'created' if created else 'exists'})", flush=True)
    setup_django(args.database_url)
    fixture = prepare(created)
    print(f"filing as {WORKER} in {GRID} (grid {fixture.grid_id}, category {fixture.category_id}, {fixture.tenant})")

    if args.profile_only:
        profile(fixture, args.profile or 50)
        return 0

    run_id = f"{time.strftime('%Y%m%d%H%M%S')}{secrets.token_hex(2)}"
    body = body_for(fixture)
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"bench_filing_gunicorn_{run_id}.log"
    proc = start_gunicorn(args.database_url, port, args.workers, log)
    print(f"gunicorn pid {proc.pid} on 127.0.0.1:{port}, {args.workers} sync workers, log {log}", flush=True)
    try:
        wait_ready(proc, port, log)
        probe(port, BARE_PATH, body, None)
        probe(port, API_PATH, body, fixture.token)
        bare = measure("bare insert", port, BARE_PATH, body, None, lambda _prefix: count_bare(),
                       lambda phase: f"{phase}{run_id}", args)
        api = measure("API filing", port, API_PATH, body, fixture.token, count_events,
                      lambda phase: f"{phase}{run_id}", args)
        ladder = []
        for name, path, token, inserts in LADDER if args.ladder else ():
            probe(port, path, body, fixture.token if token else None)
            step = measure(name, port, path, body, fixture.token if token else None,
                           (lambda _prefix: count_bare()) if inserts else (lambda _prefix: 0),
                           lambda phase: f"{phase}{run_id}", args)
            step.counts_rows = inserts
            ladder.append(step)
    finally:
        stop_gunicorn(proc)
        print(f"gunicorn stopped ({proc.returncode})", flush=True)

    ratio = api.rps / bare.rps if bare.rps else 0.0
    load = os.getloadavg()
    print()
    print(report([bare, api, *ladder], ratio, args.min_ratio))
    print(f"load average at the start {load_start[0]:.2f}, at the end {load[0]:.2f} (1 min; {os.cpu_count()} CPUs): "
          "other processes on the machine share the cores with gunicorn, PostgreSQL and wrk")
    problems = [problem for result in (bare, api, *ladder) for problem in result.check()]
    if args.json:
        args.json.write_text(json.dumps({
            "run_id": run_id, "seconds": args.seconds, "threads": args.threads, "connections": args.connections,
            "workers": args.workers, "ratio": ratio, "loadavg_start": load_start, "loadavg_end": load,
            "results": [{**r.__dict__, "rps": r.rps, "ok": r.ok} for r in (bare, api, *ladder)],
        }, indent=2, ensure_ascii=False))
    if args.profile:
        profile(fixture, args.profile)
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    if problems:
        return 1
    return 0 if ratio >= args.min_ratio else 3


if __name__ == "__main__":
    sys.exit(main())
