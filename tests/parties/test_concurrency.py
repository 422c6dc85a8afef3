"""Concurrent sign-ups never overbook an activity (PostgreSQL: SQLite serialises writers by itself)."""

import pytest
from django.db import connection  # noqa: F401  (read by the skipif condition)

from parties import services
from parties.models import Activity, SignUp
from tests.parties.centres import NOW, activity
from tests.registry import factories as registry
from tests.threads import run_threads
from yaohai.core.errors import Conflict

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 8
PLACES = 3


def test_concurrent_sign_ups_take_no_more_places_than_there_are(world):
    event = activity(world, capacity=PLACES)
    crowd = [registry.resident(world.node("A/S1/C1/G1"), name=f"居民{n}", id_number=registry.make_id(seq=n), phone="")
             for n in range(THREADS)]

    def signer(person):
        def job():
            try:
                services.sign_up(activity=event.pk, resident=person, now=NOW)
                return "in"
            except Conflict:
                return "full"

        return job

    results = run_threads([signer(person) for person in crowd])
    assert sorted(results) == ["full"] * (THREADS - PLACES) + ["in"] * PLACES
    assert SignUp.objects.filter(activity=event).count() == PLACES
    assert Activity.objects.get(pk=event.pk).signed_up == PLACES
