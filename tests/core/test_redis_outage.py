"""Faults: Redis (the cache and the broker) goes away while events are filed and the deadline sweep runs. Nothing is
lost: every filing is answered 201 and stored, the sweep flags and escalates every overdue event, the dashboards
are computed instead of cached; when Redis is back the cache serves again, and the dashboard counts every event."""

import datetime as dt
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from events import services
from events.catalogue import install_event_catalogue
from events.models import Category, Event

pytestmark = [pytest.mark.django_db]

WORKER = "A/S1/C1/G1:grid_worker"
HEAD = "A/S1/C1:grid_head"
GRID = "A/S1/C1/G1"


class PrivateRedis:
    """A redis-server of this test's own on a free port (the shared one is never stopped)."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping())
        except redis.exceptions.ConnectionError:
            return False


@pytest.fixture
def outage():
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (apt-get install redis-server)")
    server = PrivateRedis()
    server.start()
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=caches, DASHBOARD_CACHE_SECONDS=300, CELERY_BROKER_URL=server.url):
        yield server
    if server.process.poll() is None:
        server.stop()


def test_filings_and_the_sweep_lose_nothing_while_redis_is_down(world, client_for, outage):
    tenant = world.tenants["A"]
    install_event_catalogue(tenant)
    category = Category.objects.filter(tenant=tenant, parent__isnull=False).first()
    worker, head = client_for(WORKER), client_for(HEAD)
    community = world.nodes["A/S1/C1"]
    dashboard = reverse("dashboards:node", args=[community.pk])
    assert head.get(dashboard).status_code == 200  # computed and cached while Redis is up

    outage.stop()
    assert not outage.answers()
    filed = []
    for n in range(5):
        response = worker.post(
            reverse("event-list"),
            {"node": world.nodes[GRID].pk, "category": category.pk, "title": f"井盖缺失 {n}", "idempotency_key": f"o-{n}"},
        )
        assert response.status_code == 201, response.content[:300]
        filed.append(response.json()["id"])
    assert Event.objects.filter(pk__in=filed).count() == 5

    # The sweep runs late, during the outage (beat could not send it; run_periodic or the next beat runs it).
    later = timezone.now() + dt.timedelta(days=60)
    result = services.sweep_deadlines(now=later)
    assert result.overdue >= 5 and result.escalated >= 5
    for event in Event.objects.filter(pk__in=filed):
        assert event.is_overdue and event.escalated_deadline == event.due_at and event.escalation_level == 1
    assert services.sweep_deadlines(now=later).escalated == 0  # a second run finds nothing left to do

    page = head.get(dashboard)  # computed without the cache
    assert page.status_code == 200

    outage.start()  # back, empty (no persistence): the cache fills again
    response = worker.post(
        reverse("event-list"),
        {"node": world.nodes[GRID].pk, "category": category.pk, "title": "井盖缺失 6", "idempotency_key": "o-6"},
    )
    assert response.status_code == 201
    assert Event.objects.filter(tenant=tenant).count() == 6
    assert head.get(dashboard).status_code == 200
    assert any(key for key in redis.Redis.from_url(outage.url).scan_iter(count=100)), "nothing cached after the outage"

