"""Add generated events to an already loaded demo database of any backend (SQLite too), with bulk_create.

For screenshots and trying the dashboards by hand; bench.generate (COPY, PostgreSQL) is the one for timing.

    DJANGO_DEBUG=1 DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python manage.py migrate
    DJANGO_DEBUG=1 DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python manage.py load_demo
    DJANGO_DEBUG=1 DATABASE_URL=sqlite:////tmp/demo.sqlite3 DJANGO_SETTINGS_MODULE=yaohai.settings \\
        .venv/bin/python -m bench.demo_events --events 30000 --days 120
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=30000)
    parser.add_argument("--days", type=int, default=120)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaohai.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from bench.generate import _events_for
    from events import rollups
    from events.catalogue import install_event_catalogue
    from events.models import Event, EventLog, ExtensionRequest
    from grids.demo.data import DISTRICTS
    from grids.models import Tenant

    now = timezone.now()
    for index, spec in enumerate(DISTRICTS):
        tenant = Tenant.objects.get(code=spec.code)
        install_event_catalogue(tenant)
        count = args.events if index == 0 else args.events // 10
        first_id = (Event.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        rows = _events_for(tenant, count, first_id=first_id, now=now, days=args.days, seed=f"demo-{spec.code}")
        next(rows)
        events, logs, extensions = [], [], []
        for row, log_rows, extension_rows in rows:
            events.append(Event(**row))
            extensions += [
                ExtensionRequest(
                    event_id=e, requested_by_id=by, amount=n, unit=unit, reason=reason, status=status,
                    decided_by_id=decider, decided_at=at, decision_note=note,
                )
                for e, by, n, unit, reason, status, decider, at, note, _created in extension_rows
            ]
            logs += [
                EventLog(event_id=e, actor_id=a, action=act, from_status=f, to_status=t, created_at=at)
                for e, a, act, f, t, at in log_rows
            ]
        reported_at = {e.pk: e.created_at for e in events}
        with transaction.atomic():
            Event.objects.bulk_create(events, batch_size=2000)
            # created_at is auto_now_add (bulk_create stamped "now" on the objects): put the generated times back.
            for e in events:
                e.created_at = reported_at[e.pk]
            Event.objects.bulk_update(events, ["created_at"], batch_size=2000)
            # The log rows keep the time they were written: only their existence matters to the KPIs.
            EventLog.objects.bulk_create(logs, batch_size=5000)
            ExtensionRequest.objects.bulk_create(extensions, batch_size=5000)
            rollups.rebuild(tenant.pk)  # the bulk writes bypassed Event.save: recount the dashboards' rollups
        print(f"{tenant.name}: {count:,} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
