"""The tenant key on data (docs/scale.md). No cross-tenant query on a hot path (docs/scale.md, the tenant key): on a distributed PostgreSQL keyed by tenant
a statement that names the tenant goes to one node; one that does not is sent to every node. The pages a district
uses all day — the dashboard computed, the event list, 待办, a filing through the API — are read here statement by
statement: every statement that touches a distributed table (tests/test_tenant_key.py) names the tenant, except
those listed with the reason."""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import cache as dashboard_cache
from yaohai.core.tenant_key import conversion_ddl, is_distributed, project_models, tenant_field

pytestmark = pytest.mark.django_db

POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
DISTRIBUTED = {m._meta.db_table: tenant_field(m).column for m in project_models() if is_distributed(m)}


def _tables(sql: str) -> set[str]:
    return {name for name in re.findall(r'(?:FROM|JOIN|INTO|UPDATE)\s+"(\w+)"', sql) if name in DISTRIBUTED}


def names_the_tenant(sql: str) -> bool:
    if sql.lstrip().upper().startswith("INSERT"):
        return True  # the row carries its tenant: it goes to the tenant's node
    return bool(re.search(r'"?\b(tenant_id|chain)"? (= |IN \()', sql))


def shape(sql: str) -> str:
    """A statement as "VERB table by col, col": the columns its WHERE compares, without the values."""
    verb = sql.split()[0].upper()
    table = sorted(_tables(sql))[0] if verb != "SELECT" else re.search(r'FROM\s+"(\w+)"', sql).group(1)
    where = sql.partition(" WHERE ")[2]
    columns = sorted(set(re.findall(r'"\w+"\."(\w+)"\s*(?:=|IN|<|>|IS)', where)) | set(re.findall(r'\b(\w+) = ', where)))
    return f"{verb} {table} by {', '.join(columns) or '-'}"


# Statements of the hot paths that do not name the tenant, by shape, each with the reason. On Citus each would be
# sent to every node. None now: the three there were (the home nodes by id, the reported grid by id, the
# dispatchers' assignments by node) name the tenant the caller knows. A new one is fixed or listed here.
FAN_OUT: dict[str, str] = {}


def fan_out(statements: list[str]) -> list[str]:
    return sorted({shape(sql) for sql in statements if _tables(sql) and not names_the_tenant(sql)} - set(FAN_OUT))


def _statements(call) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code in (200, 201), response.status_code
    return [q["sql"] for q in ctx.captured_queries]


def test_the_dashboard_computed(board, client_for):
    client = client_for("A:admin")
    for path in ("A", "A/S1/C1"):
        dashboard_cache.retire_all()
        url = reverse("dashboards:node", args=[board.world.nodes[path].pk])
        shown = _statements(lambda url=url: client.get(url))
        assert not fan_out(shown), (path, fan_out(shown))


def test_the_event_list_and_the_work_queue(board, client_for):
    found = {}
    for key in ("A:admin", "A/S1/C1:grid_head", "A/S1/C1/G1:grid_worker"):
        client = client_for(key)
        for url in (reverse("events:list"), reverse("events:todo")):
            shown = _statements(lambda url=url, client=client: client.get(url))
            found.update({shape: (key, url) for shape in fan_out(shown)})
    assert not found, found


def test_a_filing(board, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    node = board.world.nodes["A/S1/C1/G1"]
    payload = {"node": node.pk, "category": board.category().pk, "title": "井盖缺失", "idempotency_key": "hot-1"}
    client = client_for("A/S1/C1/G1:grid_worker")
    shown = _statements(lambda: client.post(reverse("event-list"), payload, content_type="application/json"))
    assert not fan_out(shown), fan_out(shown)


@POSTGRES
def test_the_conversion_ddl_holds_on_the_data(board):
    """The keys of the conversion (tenant_key_ddl --no-citus) run on PostgreSQL over a district's data — events
    through every step, the rollups, the audit trail: each composite foreign key (tenant, x_id) → (tenant, id) is
    checked against the rows, so a row pointing at another tenant's row fails here. Rolled back."""
    statements = conversion_ddl(citus=False)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the fixture's deferred checks first: ALTER needs none pending
    assert any("PRIMARY KEY (\"tenant_id\", \"id\")" in s and '"events_event"' in s for s in statements)
    assert any('FOREIGN KEY ("tenant_id", "event_id") REFERENCES "events_event"' in s for s in statements)
    assert any('ALTER TABLE "events_eventlog" ADD COLUMN tenant_id' in s for s in statements)
    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the deferred keys now
            cursor.execute('SELECT count(*) FROM "events_eventlog" WHERE tenant_id IS NULL')
            assert cursor.fetchone()[0] == 0
        transaction.set_rollback(True)
