"""A query-string value a page or API list cannot read is refused with a 400 saying which parameter and why —
never read as its default (`?is_overdue=maybe`, `?from=garbage`, `?period=century` answered 200), and never a 500
(`created_at__gte=…+23:27` reached PostgreSQL: "time zone displacement out of range"; `/exports/abc/download/`)."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from tests.events.conftest import HEAD

NODE = "A/S1/C1"


def _url(ev, name, query, node=False):
    url = reverse(name, args=[ev.world.nodes[NODE].pk]) if node else reverse(name)
    return f"{url}?{query}"


BAD = [
    ("event-list", "is_overdue=maybe", False, "is_overdue"),
    ("event-list", "created_at__gte=2026-01-01T00:00:00%2B23:27", False, "created_at__gte"),
    ("event-list", "created_at__lt=2026-01-01T00:00:00-15:00", False, "created_at__lt"),
    ("event-list", "after=garbage", False, "after"),
    ("node-list", "is_archived=maybe", False, "is_archived"),
    ("node-list", "cursor=garbage", False, "cursor"),
    ("assignment-list", "cursor=garbage", False, "cursor"),
    ("notification-list", "cursor=garbage", False, "cursor"),
    ("export-list", "cursor=garbage", False, "cursor"),
    ("events:list", "after=garbage", False, "after"),
    ("events:list", "date_from=garbage", False, None),
    ("events:list", "overdue=maybe", False, None),
    ("events:todo", "after=garbage", False, "after"),
    ("dashboards:node", "from=garbage", True, "from"),
    ("dashboards:node", "to=2026-13-01", True, "to"),
    ("dashboards:node", "period=century", True, "period"),
    ("dashboards:screen", "period=century", True, "period"),
    ("dashboards:export", "from=garbage", True, None),  # refused by the export's own check (its 400 page)
]


@pytest.mark.parametrize(("name", "query", "node", "parameter"), BAD, ids=[f"{n}?{q}" for n, q, _, _ in BAD])
def test_an_unreadable_value_is_a_400_naming_the_parameter(name, query, node, parameter, ev, client_for):
    client = client_for(HEAD)
    response = client.get(_url(ev, name, query, node))
    assert response.status_code == 400, response.status_code
    if response["Content-Type"].startswith("application/json"):
        assert parameter in response.json()
    elif parameter:
        body = response.content.decode()
        assert 'data-testid="bad-query"' in body and f"{parameter}:" in body


GOOD = [
    ("event-list", "is_overdue=true", False),
    ("event-list", "is_overdue=0", False),
    ("event-list", "created_at__gte=2026-01-01T00:00:00%2B08:00", False),
    ("event-list", "created_at__gte=2026-01-01T00:00:00-14:00", False),
    ("node-list", "is_archived=false", False),
    ("dashboards:node", "from=2026-11-01&to=2026-11-30&period=week", True),
    ("dashboards:screen", "period=month", True),
    ("events:list", "overdue=on", False),
    ("events:list", "overdue=", False),
]


@pytest.mark.parametrize(("name", "query", "node"), GOOD, ids=[f"{n}?{q}" for n, q, _ in GOOD])
def test_readable_values_still_answer(name, query, node, ev, client_for):
    assert client_for(HEAD).get(_url(ev, name, query, node)).status_code == 200


def test_the_offset_filter_still_filters(ev, client_for):
    import datetime as dt
    from urllib.parse import quote

    event = ev.report()
    at = event.created_at.replace(microsecond=0)
    client = client_for(HEAD)

    def ids(lookup, when, hours):
        text = quote(when.astimezone(dt.timezone(dt.timedelta(hours=hours))).isoformat())
        return [row["id"] for row in client.get(f"{reverse('event-list')}?created_at__{lookup}={text}").json()["results"]]

    second = dt.timedelta(seconds=1)
    assert ids("gte", at, 8) == ids("gte", at, -14) == ids("gte", at, 14) == [event.pk]
    assert ids("gte", at + second, 8) == ids("gte", at + second, -14) == []
    assert ids("lt", at, 14) == ids("lt", at, -1) == []
    assert ids("lt", at + second, -14) == [event.pk]


def test_the_refusal_is_in_the_users_language(ev, client_for):
    client = client_for(HEAD)
    with override("zh-hans"):
        response = client.get(f"{reverse('event-list')}?is_overdue=maybe", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "true" in response.json()["is_overdue"][0] and "请" in response.json()["is_overdue"][0]


def test_a_download_of_a_job_id_that_is_no_number_is_a_404(world, client_for):
    response = client_for(HEAD).get("/api/v1/exports/abc/download/")
    assert response.status_code == 404
