"""Generate the bench database: the demo districts (Yaohai: 13 streets, 66 communities, 596 grids, with staff; and
Luyang as the second tenant) plus events spread over two years (events.history), inserted with COPY.

    DJANGO_SETTINGS_MODULE=yaohai.settings .venv/bin/python -m bench.generate --events 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/yaohai_bench

The database is created if missing and migrated; `--reset` drops it first. Events get the scope stamps of their
grid, a subcategory of the tenant's default taxonomy (events.catalogue), statuses in proportions that depend on
their age (old events are mostly closed), deadlines from the reporting time, the log rows the KPIs read
(report for every event, accept or reject for those answered — kept on the event as `answered_at` too —,
verify_pass for closed ones, verify_fail for those sent back for rework), approved
extension requests on 6 % of the dispatched events, and a paused clock on 5 % of those in progress.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

SECOND_TENANT_SHARE = 0.1  # the second tenant gets this many events per event of the first
CHUNK = 50_000  # events per COPY statement


def _ensure_database(url: str, *, reset: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaohai.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def _copy_events(tenant, count: int, *, now: dt.datetime, days: int, log) -> int:
    from django.db import connection

    from events.history import history_rows
    from events.models import Event

    fields = Event._meta.concrete_fields
    columns = [f.column for f in fields]
    # Columns the generator does not know (added by later migrations) take their model default.
    defaults = {f.column: f.get_default() for f in fields}
    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM events_event")
        first_id = cur.fetchone()[0] + 1
    raw = connection.connection  # the psycopg connection under Django's
    began = time.monotonic()
    rows = history_rows(tenant, count, first_id=first_id, now=now, days=days, seed=f"events-{tenant.code}")
    next(rows)  # the generator's reads happen before any COPY holds the connection
    done = log_rows = 0
    with raw.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # generated rows are consistent: skip FK triggers
        while done < count:
            # One COPY per chunk: the connection is never held in COPY mode for long.
            chunk = min(CHUNK, count - done)
            pending_logs, pending_extensions = [], []
            with cur.copy(f"COPY events_event ({', '.join(columns)}) FROM STDIN") as ev_copy:
                for _ in range(chunk):
                    row, logs, extensions = next(rows)
                    ev_copy.write_row([row[c] if c in row else defaults[c] for c in columns])
                    pending_logs.extend(logs)
                    pending_extensions.extend(extensions)
            with cur.copy(
                "COPY events_extensionrequest (event_id, requested_by_id, amount, time_unit, reason, status, "
                "decided_by_id, decided_at, decision_note, created_at) FROM STDIN"
            ) as ext_copy:
                for entry in pending_extensions:
                    ext_copy.write_row(entry)
            with cur.copy(
                "COPY events_eventlog (event_id, actor_id, action, from_status, to_status, created_at, note) "
                "FROM STDIN"
            ) as log_copy:
                for entry in pending_logs:
                    log_copy.write_row([*entry, ""])
            done += chunk
            log_rows += len(pending_logs)
            log(f"  {tenant.name}: {done:,} events ({time.monotonic() - began:.0f} s)")
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute("SELECT setval(pg_get_serial_sequence('events_event', 'id'), (SELECT MAX(id) FROM events_event))")
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('events_eventlog', 'id'), (SELECT MAX(id) FROM events_eventlog))"
        )
    raw.commit()
    log(f"  {tenant.name}: {count:,} events and {log_rows:,} log rows in {time.monotonic() - began:.0f} s")
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events of the first tenant (Yaohai)")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/yaohai_bench")
    parser.add_argument("--days", type=int, default=730, help="spread the events over this many days back")
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the bench needs PostgreSQL")

    def log(message):
        print(message, flush=True)

    _ensure_database(args.database_url, reset=args.reset)
    _setup_django(args.database_url)

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from events import rollups
    from events.catalogue import install_event_catalogue
    from events.models import Event
    from grids.demo.builder import load_demo
    from grids.demo.data import DISTRICTS
    from grids.models import Tenant

    began = time.monotonic()
    call_command("migrate", verbosity=0)
    log("migrated")
    load_demo(log=log)
    tenants = [Tenant.objects.get(code=spec.code) for spec in DISTRICTS]
    for tenant in tenants:
        install_event_catalogue(tenant)
    if Event.objects.exists():
        log(f"the database already holds {Event.objects.count():,} events; use --reset to start again")
        return 1
    now = timezone.now()
    connection.ensure_connection()
    connection.set_autocommit(False)
    try:
        _copy_events(tenants[0], args.events, now=now, days=args.days, log=log)
        for tenant in tenants[1:]:
            _copy_events(tenant, int(args.events * SECOND_TENANT_SHARE), now=now, days=args.days, log=log)
    finally:
        connection.set_autocommit(True)
    # COPY bypassed Event.save: count the dashboards' rollups from the events, set-based.
    rollup_began = time.monotonic()
    rows = rollups.rebuild()
    log(f"  {rows:,} rollup rows in {time.monotonic() - rollup_began:.0f} s")
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE events_eventrollup")
        cur.execute("VACUUM ANALYZE events_event")
        cur.execute("VACUUM ANALYZE events_eventlog")
        cur.execute("VACUUM ANALYZE events_extensionrequest")
    log(f"done in {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
