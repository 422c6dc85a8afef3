"""Faults: the database connection dropped in the middle of a write (PostgreSQL restarted, a failover) gives the
user a clear 503 in their language and leaves nothing half-written; the next request works again."""


import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from events.catalogue import install_event_catalogue
from events.choices import Source, Urgency
from events.models import Category, Event, EventLog, Notification
from yaohai.core import backup

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKER = "A/S1/C1/G1:grid_worker"
GRID = "A/S1/C1/G1"


@pytest.fixture
def category(world):
    if connection.vendor != "postgresql":
        pytest.skip("kills a PostgreSQL backend")
    install_event_catalogue(world.tenants["A"])
    return Category.objects.filter(tenant=world.tenants["A"], parent__isnull=False).first()


class DropConnectionAfterInsert:
    """An execute wrapper: once the event's INSERT has run, the server ends this session (as a restart would), so
    the statements after it in the same transaction fail."""

    def __init__(self):
        self.fired = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not self.fired and sql.lstrip().upper().startswith('INSERT INTO "EVENTS_EVENT"'):
            self.fired = True
            pid = context["connection"].connection.info.backend_pid
            with psycopg.connect(backup.with_database_name(backup.database_url(), connection.settings_dict["NAME"]),
                                 autocommit=True) as killer:
                killer.execute("SELECT pg_terminate_backend(%s)", [pid])
        return result


def _photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.events.images import jpeg_bytes

    return [SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")]


def _counts():
    return Event.objects.count(), EventLog.objects.count(), Notification.objects.count()


@pytest.mark.parametrize("via", ["api", "page"])
def test_a_dropped_connection_mid_write_is_a_clear_503_and_writes_nothing(world, category, client_for, via):
    client = client_for(WORKER)
    before = _counts()
    if via == "api":
        url = reverse("event-list")
        data = {"node": world.nodes[GRID].pk, "category": category.pk, "title": "路灯不亮", "idempotency_key": "k-1"}
    else:
        url = reverse("events:report")
        data = {"urgency": Urgency.NORMAL, "source": Source.GRID_WORKER, "photos": _photo(), "grid": world.nodes[GRID].pk, "main_category": category.parent_id, "category": category.pk, "title": "路灯不亮", "idempotency_key": "k-1"}
    dropper = DropConnectionAfterInsert()
    with connection.execute_wrapper(dropper):
        response = client.post(url, data)
    assert dropper.fired, "the event's INSERT never ran: the request did not get as far as writing"
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.json()["detail"] if via == "api" else response.content.decode()
    assert "数据库暂时不可用" in body and "未保存" in body  # zh-hans, the default language
    assert _counts() == before  # the event's row was written, then lost with its transaction: nothing partial

    if via == "page":
        data["photos"] = _photo()
    again = client_for(WORKER).post(url, data)
    assert again.status_code in (201, 302), again.content[:500]
    assert Event.objects.count() == before[0] + 1
