"""The read replica (yaohai.core.replica): dashboards, sheets and the assessment's pages read from it; writes, and
the reads of a request or task after it wrote, go to the primary; a browser that wrote reads from the primary for a
while. Two aliases on one PostgreSQL test database: `replica` mirrors `default` (settings TEST MIRROR), and its
connection is made read-only, as a hot standby is, so a write routed to it would fail. The queries of each
connection are captured separately."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager

import pytest
from django.db import connection, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import cache as dashboard_cache
from events.models import Event, EventRollup
from exports import services as exports
from exports.models import ExportJob
from grids.models import Tenant
from yaohai.core import replica

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


@pytest.fixture
def on(settings):
    """A replica configured; its connection read-only, as a standby's is."""
    settings.READ_REPLICA = True
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    yield
    connections[replica.REPLICA].close()


@contextmanager
def captured():
    """The statements sent to each alias, as {"default": [sql, …], "replica": [sql, …]}."""
    seen = {}
    with ExitStack() as stack:
        contexts = {alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
                    for alias in ("default", replica.REPLICA)}
        yield seen
    seen.update({alias: [q["sql"] for q in ctx.captured_queries] for alias, ctx in contexts.items()})


def _touching(statements, table):
    return [sql for sql in statements if f'"{table}"' in sql]


def test_reads_go_to_the_replica_only_inside_replica_reads(on):
    Tenant.objects.create(name="丙区", code="340104")
    assert router.db_for_read(Tenant) == "default"
    with captured() as seen:
        with replica.replica_reads():
            assert router.db_for_read(Tenant) == "replica"
            assert list(Tenant.objects.values_list("code", flat=True)) == ["340104"]
        assert Tenant.objects.count() == 1
    assert len(_touching(seen["replica"], "grids_tenant")) == 1
    assert len(_touching(seen["default"], "grids_tenant")) == 1  # the count, outside


def test_a_write_goes_to_the_primary_and_later_reads_follow_it(on):
    with captured() as seen:
        with replica.replica_reads():
            Tenant.objects.exists()  # replica
            Tenant.objects.create(name="丙区", code="340104")  # primary (the replica's connection is read-only)
            assert replica.wrote()
            assert router.db_for_read(Tenant) == "default"
            assert Tenant.objects.get(code="340104").name == "丙区"  # read-after-write: the primary
    assert len(_touching(seen["replica"], "grids_tenant")) == 1
    assert [sql.split()[0] for sql in _touching(seen["default"], "grids_tenant")] == ["INSERT", "SELECT"]


def test_a_read_inside_a_transaction_stays_in_it(on):
    with replica.replica_reads(), transaction.atomic():
        assert router.db_for_read(Tenant) == "default"
    with replica.replica_reads():
        assert router.db_for_read(Tenant) == "replica"


def test_off_by_default(settings):
    assert settings.READ_REPLICA is False  # no DATABASE_REPLICA_URL in the tests' environment
    with replica.replica_reads():
        assert router.db_for_read(Tenant) == "default"
    assert router.allow_migrate("replica", "grids") is False
    assert router.allow_migrate("default", "grids") is True


def test_the_dashboard_reads_from_the_replica(on, board, client_for):
    client = client_for("A:admin")
    node = board.world.nodes["A/S1/C1"]
    with captured() as seen:
        response = client.get(reverse("dashboards:node", args=[node.pk]))
    assert response.status_code == 200
    assert replica.PIN_COOKIE not in response.cookies  # a GET that wrote nothing pins nothing
    assert _touching(seen["replica"], "events_eventrollup"), "the panels' sums come from the replica"
    assert not _touching(seen["default"], "events_eventrollup")
    assert _touching(seen["default"], "django_session")  # the session, before the view: the primary


def test_a_request_that_wrote_pins_the_browser_to_the_primary(on, board, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    worker = client_for("A/S1/C1/G1:grid_worker")
    node = board.world.nodes["A/S1/C1/G1"]
    payload = {"node": node.pk, "category": board.category().pk, "title": "路灯不亮", "idempotency_key": "replica-1"}
    with captured() as seen:
        filed = worker.post(reverse("event-list"), payload, content_type="application/json")
    assert filed.status_code == 201, filed.content
    assert not seen["replica"], "a filing reads and writes the primary only"
    assert int(filed.cookies[replica.PIN_COOKIE].value) > 0
    assert filed.cookies[replica.PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS

    # The filer's next page (the cookie travels with the test client) reads the primary: their event is on it.
    dashboard_cache.retire_all()
    with captured() as seen:
        shown = worker.get(reverse("dashboards:node", args=[node.pk]))
    assert shown.status_code == 200
    assert not seen["replica"]
    assert _touching(seen["default"], "events_eventrollup")

    # Another browser, not pinned, reads the replica.
    other = client_for("A:admin")
    dashboard_cache.retire_all()
    with captured() as seen:
        assert other.get(reverse("dashboards:node", args=[node.pk])).status_code == 200
    assert _touching(seen["replica"], "events_eventrollup")


def test_a_small_sheet_reads_the_replica_and_writes_its_audit_row_on_the_primary(on, board):
    head = board.world.user("A/S1/C1:grid_head")
    with captured() as seen:
        answer = exports.request_export(actor=head, kind="events.list", parameters={})
    assert answer.sheet is not None
    assert answer.sheet.rows == Event.objects.filter(community=board.world.nodes["A/S1/C1"]).count()
    assert _touching(seen["replica"], "events_event")
    assert not _touching(seen["default"], "events_event")
    assert [sql.split()[0] for sql in _touching(seen["default"], "audit_entry")][:1] == ["INSERT"]
    assert not any(sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for sql in seen["replica"])


def test_a_background_sheet_reads_the_replica_between_its_own_writes(on, board, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    head = board.world.user("A/S1/C1:grid_head")
    job = exports.queue_job(actor=head, kind="events.list", parameters={}, language="zh-hans")
    with captured() as seen:
        assert exports.run_job(job_id=job.pk) == "done"
    assert _touching(seen["replica"], "events_event"), "the rows of the sheet"
    writes = [sql.split()[0] for sql in _touching(seen["default"], "grids_exportjob")]
    assert writes.count("UPDATE") == 2  # claimed, finished
    assert not _touching(seen["replica"], "grids_exportjob")  # its own job is read where it was written
    assert ExportJob.objects.get(pk=job.pk).row_count == Event.objects.filter(community=board.world.nodes["A/S1/C1"]).count()


def test_the_assessment_pages_read_the_replica(on, board, client_for):
    client = client_for("A:admin")
    with captured() as seen:
        response = client.get(reverse("assessment:node", args=[board.world.nodes["A"].pk]))
    assert response.status_code in (200, 400)  # 400: no month scored yet is an answer too; it was read
    assert any("events_assessmentrun" in sql for sql in seen["replica"])
    assert not any("events_assessmentrun" in sql for sql in seen["default"])


def test_a_cached_dashboard_computed_from_the_replica_outlives_no_write_it_may_miss(settings):
    settings.REPLICA_PIN_SECONDS = 15
    written = dashboard_cache._token(at=1000.0)
    untouched = dashboard_cache._token(at=0)
    assert dashboard_cache.replica_window([untouched, written], at=1005.0) == pytest.approx(10.0)
    assert dashboard_cache.replica_window([untouched, written], at=1015.5) is None
    assert dashboard_cache.replica_window([untouched], at=1005.0) is None
    assert dashboard_cache.replica_window(["a-token-of-before"], at=1005.0) is None


def test_rollups_on_the_primary_match_what_the_replica_shows(on, board):
    """The same database behind both names here: what the replica returns is what the primary holds."""
    with replica.replica_reads():
        from_replica = sorted(EventRollup.objects.values_list("node_id", "day", "s_reported"))
    assert from_replica == sorted(EventRollup.objects.values_list("node_id", "day", "s_reported"))
