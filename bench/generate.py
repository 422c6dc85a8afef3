"""Generate the bench database: the demo districts (Yaohai: 13 streets, 66 communities, 596 grids, with staff; and
Luyang as the second tenant) plus events spread over two years, inserted with COPY.

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
import random
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


# Status mix by age: (status, weight). Recent events are still moving; old ones are settled.
RECENT_MIX = [
    ("reported", 5), ("accepted", 5), ("dispatched", 7), ("in_progress", 10), ("handled", 5), ("rework", 3),
    ("rejected", 5), ("closed", 60),
]
OLD_MIX = [("closed", 88), ("rejected", 6), ("in_progress", 2), ("accepted", 1), ("handled", 1), ("rework", 2)]
OPEN = {"reported", "accepted", "dispatched", "in_progress", "handled", "rework"}


def _pick(rng: random.Random, mix: list[tuple[str, int]]) -> str:
    return rng.choices([s for s, _w in mix], weights=[w for _s, w in mix])[0]


def _grids(tenant):
    """(grid node, reporter id, weight) for every live grid of the tenant."""
    from grids.models import Assignment, GridNode, User

    grids = list(GridNode.objects.filter(tenant=tenant, kind="grid", is_archived=False).order_by("code"))
    workers = dict(
        Assignment.objects.filter(tenant=tenant, post__code="grid_worker").values_list("node_id", "user_id")
    )
    fallback = User.objects.filter(tenant=tenant).order_by("id").values_list("id", flat=True).first()
    rng = random.Random(f"weights-{tenant.code}")
    return [(g, workers.get(g.pk, fallback), rng.uniform(0.3, 3.0)) for g in grids]


def _events_for(tenant, count: int, *, first_id: int, now: dt.datetime, days: int, seed: str):
    """Yield (event row dict, [log rows]) for `count` events of the tenant (reads nothing once started)."""
    from events.models import Category

    rng = random.Random(seed)
    grids = _grids(tenant)
    weights = [w for _g, _r, w in grids]
    cats = list(Category.objects.filter(tenant=tenant, parent__isnull=False).values_list("id", "name", "parent_id"))
    yield None  # everything is read: the caller may now open its COPY on the same connection
    cat_weights = [rng.uniform(0.5, 4) for _ in cats]
    span = days * 86400
    grid_picks = rng.choices(range(len(grids)), weights=weights, k=count)
    cat_picks = rng.choices(range(len(cats)), weights=cat_weights, k=count)
    for i in range(count):
        pk = first_id + i
        grid, reporter, _w = grids[grid_picks[i]]
        cat_id, cat_name, main_id = cats[cat_picks[i]]
        created = now - dt.timedelta(seconds=rng.random() * span)
        age_days = (now - created).total_seconds() / 86400
        status = _pick(rng, RECENT_MIX if age_days < 30 else OLD_MIX)
        on_spot = status == "closed" and rng.random() < 0.2
        accept_due = created + dt.timedelta(hours=rng.choice((1, 2, 4)))
        handle_due = created + dt.timedelta(days=rng.choice((1, 2, 3, 5, 10)))
        verify_due = handle_due + dt.timedelta(days=rng.choice((1, 2)))
        reworked = status == "rework" or (status in ("handled", "closed") and not on_spot and rng.random() < 0.08)
        closed_at = due_at = None
        escalation = 0
        if status == "closed":
            if on_spot:
                accept_due = handle_due = verify_due = None
                closed_at = created + dt.timedelta(minutes=rng.uniform(5, 90))
            else:
                late = rng.random() < 0.12
                limit = (verify_due - created).total_seconds()
                closed_at = created + dt.timedelta(seconds=limit * (rng.uniform(1.05, 2.0) if late else rng.uniform(0.1, 0.98)))
                escalation = 1 if late and rng.random() < 0.8 else 0
            if closed_at > now:
                closed_at = now
        elif status in OPEN:
            due_at = {"reported": accept_due, "handled": verify_due}.get(status, handle_due)
        dispatched = status in ("dispatched", "in_progress", "handled", "rework", "closed") and not on_spot
        extended = dispatched and rng.random() < 0.06
        paused_at = None
        if status == "in_progress" and rng.random() < 0.05:
            paused_at, due_at = created + dt.timedelta(hours=rng.uniform(2, 48)), None
            if paused_at > now:
                paused_at = now
        overdue = due_at is not None and due_at <= now
        if overdue and rng.random() < 0.9:
            escalation = 1
        # Accepted or rejected (受理 / 不予受理) unless still waiting or handled on the spot: ~90 % within the
        # acceptance window, the rest up to 8 hours late (the assessment's on-time acceptance).
        answered_at = None
        if status != "reported" and accept_due is not None:
            if rng.random() < 0.9:
                answered_at = created + (accept_due - created) * rng.uniform(0.05, 0.95)
            else:
                answered_at = accept_due + dt.timedelta(hours=rng.uniform(0.1, 8))
            answered_at = min(answered_at, now)
        row = {
            "id": pk,
            "tenant_id": grid.tenant_id,
            "district_id": grid.district_id,
            "street_id": grid.street_id,
            "community_id": grid.community_id,
            "grid_id": grid.grid_id,
            "node_id": grid.pk,
            "reference": f"B{pk:010d}",
            "category_id": cat_id,
            "main_category_id": main_id,
            "rework_count": int(reworked),
            "extension_count": int(extended),
            "title": cat_name,
            "description": "",
            "lon": None,
            "lat": None,
            "urgency": 1 if rng.random() < 0.85 else 2,
            "status": status,
            "source": "grid_worker" if rng.random() < 0.7 else "hotline",
            "reporter_id": reporter,
            "resident_name": "",
            "resident_phone_encrypted": "",
            "resident_phone_index": "",
            "resident_phone_masked": "",
            "handled_on_spot": on_spot,
            "current_unit_id": None,
            "current_handler_id": None,
            "handled_by_id": reporter if status in ("handled", "closed", "rework") else None,
            "accept_due": accept_due,
            "handle_due": handle_due if status != "reported" else None,
            "verify_due": verify_due if status in ("handled", "closed") else None,
            "due_at": due_at,
            "is_near_deadline": overdue,
            "is_overdue": overdue,
            "paused_at": paused_at,
            "paused_remaining": dt.timedelta(hours=8) if paused_at else None,
            "escalation_level": escalation,
            "answered_at": answered_at,
            "escalated_to_id": grid.community_id if escalation else None,
            "escalated_deadline": due_at if overdue else None,
            "reject_reason": "invalid" if status == "rejected" else "",
            "duplicate_of_id": None,
            "close_reason": "fixed" if status == "closed" else "",
            "responsible_party": "",
            "closed_at": closed_at,
            "idempotency_key": None,
            "created_at": created,
            "updated_at": closed_at or created,
        }
        logs = [(pk, reporter, "report", "", "reported", created)]
        if answered_at is not None:
            answer = ("reject", "rejected") if status == "rejected" else ("accept", "accepted")
            logs.append((pk, reporter, answer[0], "reported", answer[1], answered_at))
        if reworked:
            logs.append((pk, reporter, "verify_fail", "handled", "rework", created + dt.timedelta(hours=20)))
        if status == "closed":
            action = "handle_on_spot" if on_spot else "verify_pass"
            logs.append((pk, reporter, action, "handled" if not on_spot else "reported", "closed", closed_at))
        extensions = []
        if extended:
            asked = created + dt.timedelta(hours=rng.uniform(4, 30))
            extensions.append((pk, reporter, 2, "working_days", "等待配件", "approved", reporter, asked, "", asked))
        yield row, logs, extensions


def _copy_events(tenant, count: int, *, now: dt.datetime, days: int, log) -> int:
    from django.db import connection

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
    rows = _events_for(tenant, count, first_id=first_id, now=now, days=days, seed=f"events-{tenant.code}")
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
                "COPY events_extensionrequest (event_id, requested_by_id, amount, unit, reason, status, "
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
