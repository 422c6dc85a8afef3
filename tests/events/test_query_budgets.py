"""Query budgets: pages and API answers run the same number of queries for 10 and 1,000 rows."""

import pytest
from django.urls import reverse

from events.models import Event, EventLog

from .conftest import HEAD
from .test_pages import _bulk_events

pytestmark = pytest.mark.django_db


def count_queries(django_assert_max_num_queries, client, url, budget=30):
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["events:list", "events:todo", "events:export", "event-list"])
def test_lists_do_not_grow_with_rows(ev, client_for, django_assert_max_num_queries, name):
    client = client_for(HEAD)
    _bulk_events(ev, 10)
    small = count_queries(django_assert_max_num_queries, client, reverse(name))
    _bulk_events(ev, 990)  # 1,000 events: the bar
    assert count_queries(django_assert_max_num_queries, client, reverse(name)) == small


def test_detail_does_not_grow_with_its_timeline(ev, client_for, django_assert_max_num_queries):
    client = client_for(HEAD)
    event = ev.event_in("closed")
    url = reverse("events:detail", args=[event.pk])
    small = count_queries(django_assert_max_num_queries, client, url)
    api_small = count_queries(django_assert_max_num_queries, client, reverse("event-detail", args=[event.pk]))
    log = EventLog.objects.filter(event=event).last()
    EventLog.objects.bulk_create(
        [EventLog(event=event, actor=log.actor, action="accept", from_status="closed", to_status="closed",
                  note=f"note {i}") for i in range(40)]
    )
    assert Event.objects.get(pk=event.pk).logs.count() > 40
    assert count_queries(django_assert_max_num_queries, client, url) == small
    assert count_queries(django_assert_max_num_queries, client, reverse("event-detail", args=[event.pk])) == api_small
