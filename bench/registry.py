"""The registry at district scale: Yaohai (596 grids) with about a million residents in 350 k households, their
identity numbers and phones sealed as the services seal them, inserted with COPY; then the timings.

    DJANGO_SETTINGS_MODULE=yaohai.settings .venv/bin/python -m bench.registry --residents 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/yaohai_registry_bench [--reset] [--import-rows 10000]

Times (median of --runs after one warm-up), each beside the same read in hand-written SQL on the same connection:
the exact look-up of a person by identity number through the blind index (the district officer), a community's
resident list (the 铁路一村 officer, first and last page), the grid worker's 今日任务 (her 首页 panel), and, with
--import-rows, one import of that many residents as the background job runs it (all or nothing, one transaction).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time

from bench.generate import _ensure_database, _setup_django
from bench.run import median_ms, query_count

CHUNK = 50_000
HOUSES_PER_BUILDING = 36  # 6 floors × 3 units × 2
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰志强海燕婷雪梅晓燕"


def log(message: str) -> None:
    print(message, flush=True)


def _columns(model, values: dict) -> tuple[list[str], list]:
    """Every concrete column of `model`, the given values or the field's default."""
    columns, row = [], []
    for f in model._meta.concrete_fields:
        columns.append(f.column)
        row.append(values[f.column] if f.column in values else f.get_default())
    return columns, row


class Copier:
    """Rows of several tables, written with one COPY per table and chunk."""

    def __init__(self, raw):
        self.raw = raw
        self.pending: dict[str, tuple[list[str], list[list]]] = {}

    def add(self, model, values: dict) -> None:
        columns, row = _columns(model, values)
        self.pending.setdefault(model._meta.db_table, (columns, []))[1].append(row)

    def flush(self) -> None:
        with self.raw.cursor() as cur:
            for table, (columns, rows) in self.pending.items():
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        self.pending = {}


def generate(residents: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from grids.models import Assignment, GridNode, Tenant
    from registry.catalogue import install_registry_catalogue
    from registry.models import (
        Building,
        CareList,
        CareListMember,
        House,
        Household,
        HouseholdMember,
        Resident,
        Visit,
    )
    from registry.services import ID_PURPOSE, PHONE_PURPOSE
    from yaohai.core.personal import crypto
    from yaohai.core.personal.identity import check_digit, mask_id, mask_phone

    tenant = Tenant.objects.get(code="340102")
    install_registry_catalogue(tenant)
    care_list = CareList.objects.get(tenant=tenant, code="elderly_alone")
    grids = list(GridNode.objects.filter(tenant=tenant, kind="grid", is_archived=False).order_by("code"))
    workers = dict(Assignment.objects.filter(tenant=tenant, post__code="grid_worker").values_list("node_id", "user_id"))
    rng = random.Random("registry-bench")
    now = timezone.now()
    today = timezone.localdate(now)
    per_grid = residents // len(grids)
    ids = {m: (m.objects.order_by("-id").values_list("id", flat=True).first() or 0) for m in
           (Building, House, Household, HouseholdMember, Resident, CareListMember, Visit)}
    raw = connection.connection
    copier = Copier(raw)
    began, made, person_no = time.monotonic(), 0, 0
    with raw.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # generated rows are consistent: skip FK triggers
    for grid in grids:
        stamps = {"tenant_id": tenant.pk, "district_id": grid.district_id, "street_id": grid.street_id,
                  "community_id": grid.community_id, "grid_id": grid.pk, "node_id": grid.pk}
        left, house_in_building, building_id = per_grid, HOUSES_PER_BUILDING, None
        while left > 0:
            if house_in_building == HOUSES_PER_BUILDING:
                ids[Building] += 1
                building_id = ids[Building]
                copier.add(Building, {**stamps, "id": building_id, "compound_id": None, "number": f"{building_id}栋",
                                      "floors": 6, "units": 3, "property_company_id": None, "created_at": now,
                                      "lon": 117.3 + rng.random() / 10, "lat": 31.85 + rng.random() / 10})
                house_in_building = 0
            house_in_building += 1
            ids[House] += 1
            floor, unit = (house_in_building - 1) // 6 + 1, (house_in_building - 1) % 3 + 1
            copier.add(House, {**stamps, "id": ids[House], "building_id": building_id, "unit": str(unit),
                               "floor": floor, "number": f"{floor}0{house_in_building % 2 + 1}",
                               "use": "owner_occupied", "created_at": now})
            ids[Household] += 1
            formed = today - dt.timedelta(days=rng.randrange(30, 7000))
            copier.add(Household, {**stamps, "id": ids[Household], "house_id": ids[House], "number": "",
                                   "formed_on": formed, "dissolved_on": None, "created_at": now})
            size = min(left, rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5)))
            for n in range(size):
                person_no += 1
                ids[Resident] += 1
                born = dt.date(1930, 1, 1) + dt.timedelta(days=person_no % 30000)
                female = rng.random() < 0.5
                order = (person_no // 30000) * 2 + (0 if female else 1)
                body = f"340102{born:%Y%m%d}{order:03d}"
                number = body + check_digit(body)
                phone = f"139{person_no:08d}"
                copier.add(Resident, {
                    **stamps, "id": ids[Resident], "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    "sex": "female" if female else "male", "birth_date": born, "id_type": "resident_id",
                    "id_number_encrypted": crypto.encrypt(number, ID_PURPOSE),
                    "id_number_index": crypto.blind_index(number, ID_PURPOSE), "id_number_masked": mask_id(number),
                    "phone_encrypted": crypto.encrypt(phone, PHONE_PURPOSE),
                    "phone_index": crypto.blind_index(phone, PHONE_PURPOSE), "phone_masked": mask_phone(phone),
                    "registration": "registered", "occupation": "", "status": "living", "house_id": ids[House],
                    "created_at": now, "updated_at": now,
                })
                ids[HouseholdMember] += 1
                copier.add(HouseholdMember, {"id": ids[HouseholdMember], "household_id": ids[Household],
                                             "resident_id": ids[Resident], "relation": "head" if n == 0 else "child",
                                             "joined_on": formed, "left_on": None})
                if born.year < 1950 and rng.random() < 0.15:  # the elderly living alone: ~3 % of everyone
                    ids[CareListMember] += 1
                    since = today - dt.timedelta(days=rng.randrange(10, 900))
                    copier.add(CareListMember, {**stamps, "id": ids[CareListMember], "care_list_id": care_list.pk,
                                                "resident_id": ids[Resident], "since": since, "reason": "",
                                                "until": None, "end_reason": "", "created_at": now})
                    visited = today - dt.timedelta(days=rng.randrange(0, 12))
                    if visited >= since and grid.pk in workers:
                        ids[Visit] += 1
                        copier.add(Visit, {**stamps, "id": ids[Visit], "household_id": ids[Household],
                                           "visitor_id": workers[grid.pk], "visited_on": visited, "purpose": "例行走访",
                                           "findings": "", "created_at": now})
            left -= size
            made += size
            if made >= CHUNK:
                copier.flush()
                residents_done = ids[Resident]
                log(f"  {residents_done:,} residents ({time.monotonic() - began:.0f} s)")
                made = 0
    copier.flush()
    with raw.cursor() as cur:
        cur.execute("SET session_replication_role = DEFAULT")
        for model in ids:
            table = model._meta.db_table
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    raw.commit()
    log(f"  {Resident.objects.count():,} residents, {Household.objects.count():,} households, "
        f"{Building.objects.count():,} buildings, {CareListMember.objects.count():,} on care lists "
        f"in {time.monotonic() - began:.0f} s")


def timings(runs: int, import_rows: int) -> list[tuple[str, float, float | None, int | None]]:
    from django.db import connection
    from django.test import Client

    from grids.models import User
    from grids.scope import forget_scope
    from registry import selectors, services
    from registry.models import Resident
    from registry.shell import today_tasks
    from yaohai.core.personal import crypto

    rows = []

    def sql_ms(statement: str, params: list) -> float:
        def run():
            with connection.cursor() as cur:
                cur.execute(statement, params)
                cur.fetchall()
        return median_ms(run, runs)

    officer = User.objects.get(username="district_officer")
    wanted = Resident.objects.filter(tenant__code="340102").order_by("id")[Resident.objects.count() // 2]
    number = crypto.decrypt(wanted.id_number_encrypted, services.ID_PURPOSE)
    index = crypto.blind_index(number, services.ID_PURPOSE)

    def lookup_selector():
        forget_scope(officer)
        found = list(Resident.objects.visible_to(officer).filter(id_number_index=index)[:50])
        assert found == [wanted]

    rows.append(("exact look-up by identity number (query)", median_ms(lookup_selector, runs),
                 sql_ms("SELECT * FROM registry_resident WHERE tenant_id = %s AND district_id = %s "
                        "AND id_number_index = %s LIMIT 50", [wanted.tenant_id, wanted.district_id, index]), None))

    def lookup_service():
        forget_scope(officer)
        assert services.look_up_residents(actor=officer, id_number=number) == [wanted]

    rows.append(("exact look-up, the service (+ its access record)", median_ms(lookup_service, runs), None, None))

    head = User.objects.get(username="tielu_officer")
    client = Client()
    client.force_login(head)
    count = selectors.residents(actor=head).count()
    last = max(1, (count + 49) // 50)
    for label, page in (("first", 1), ("last", last)):
        def listing(page=page):
            response = client.get("/registry/", {"page": page})
            assert response.status_code == 200
        community = head.assignments.first().node
        # The page's ordering read: its 50 ids from the (tenant, community, name, id) index alone.
        sql = ("SELECT id FROM registry_resident "
               "WHERE tenant_id = %s AND community_id = %s ORDER BY name, id LIMIT 50 OFFSET %s")
        rows.append((f"community's resident list ({count:,} people), {label} page", median_ms(listing, runs),
                     sql_ms(sql, [head.tenant_id, community.pk, (page - 1) * 50]),
                     query_count(listing)))

    def floor():
        response = client.get("/registry/things/")
        assert response.status_code == 200

    rows.append(("floor: a registry page with an empty list (/registry/things/)", median_ms(floor, runs), None,
                 query_count(floor)))

    worker = User.objects.get(username="grid_worker")

    def tasks():
        forget_scope(worker)
        today_tasks(worker)

    grid = worker.assignments.first().node
    rows.append(("grid worker's 今日任务 (the 首页 panel)", median_ms(tasks, runs),
                 sql_ms("SELECT m.id, m.since, (SELECT max(v.visited_on) FROM registry_visit v JOIN "
                        "registry_householdmember hm ON hm.household_id = v.household_id WHERE hm.resident_id = "
                        "m.resident_id AND v.visited_on >= m.since) FROM registry_carelistmember m JOIN "
                        "registry_resident r ON r.id = m.resident_id WHERE m.grid_id = %s AND m.until IS NULL "
                        "AND r.status = 'living'", [grid.pk]), None))
    if import_rows:
        rows.append((f"import of {import_rows:,} residents as the job runs it", _import(head, import_rows), None, None))
    return rows


def _import(actor, count: int) -> float:
    """One run (it writes): a residents' sheet of `count` people into the community's buildings."""
    from io import BytesIO

    from openpyxl import Workbook

    from registry import imports
    from registry.models import House
    from yaohai.core.personal.identity import check_digit

    houses = list(House.objects.filter(community_id=actor.assignments.first().node_id).select_related("building")
                  .order_by("id")[:count])
    from registry.models import Resident

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(imports.COLUMNS["residents"])
    first = Resident.objects.filter(id_number_masked__startswith="340103").count()  # a run again: new numbers
    for n in range(first, first + count):
        body = f"340103{dt.date(1960, 1, 1) + dt.timedelta(days=n % 20000):%Y%m%d}{(n // 20000) * 2 + 1:03d}"
        house = houses[n % len(houses)]
        ws.append(["导入" + str(n), "居民身份证", body + check_digit(body), "", "", f"138{n:08d}", "户籍", "",
                   "", house.building.number, house.unit, house.number, "其他", "2026-01-01"])
    out = BytesIO()
    wb.save(out)
    began = time.perf_counter()
    outcome = imports.run(actor=actor, kind="residents", data=out.getvalue(), commit=True)
    took = (time.perf_counter() - began) * 1000
    assert outcome.committed, outcome.errors[:3]
    return took


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/yaohai_registry_bench")
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--import-rows", type=int, default=0, help="also time an import of this many residents")
    args = parser.parse_args(argv)
    _ensure_database(args.database_url, reset=args.reset)
    _setup_django(args.database_url)

    from django.core.management import call_command
    from django.db import connection

    from grids.demo.builder import load_demo
    from registry.models import Resident

    call_command("migrate", verbosity=0)
    load_demo(log=log)
    if not Resident.objects.exists():
        connection.ensure_connection()
        connection.set_autocommit(False)
        try:
            generate(args.residents)
        finally:
            connection.commit()  # the generator's last counts opened a transaction of their own
            connection.set_autocommit(True)
        with connection.cursor() as cur:  # outside the generator's transaction
            for table in ("building", "house", "household", "householdmember", "resident", "carelistmember", "visit"):
                cur.execute(f"VACUUM ANALYZE registry_{table}")
    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        version = cur.fetchone()[0].split(",")[0]
    log(f"\n{Resident.objects.count():,} residents; {version}; median of {args.runs} runs after one warm-up; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores\n")
    log(f"{'what':<62} {'server ms':>10} {'SQL ms':>8} {'queries':>8}")
    log("-" * 91)
    for what, ms, sql, queries in timings(args.runs, args.import_rows):
        log(f"{what:<62} {ms:>10.1f} {'' if sql is None else f'{sql:.1f}':>8} {'' if queries is None else queries:>8}")
    log(f"\nload average after the timings: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
