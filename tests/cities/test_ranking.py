"""The city's ranking of its districts: the assessment's indicators and scoring, one yardstick for all districts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Score
from assessment.months import current_month, previous_month
from assessment.services import compute_month
from cities.ranking import rank_districts
from yaohai.core.indicators import month_bounds

pytestmark = pytest.mark.django_db


def test_a_district_ranks_with_the_total_its_own_assessment_gives_it(board, hefei):
    """With the default scheme (a new district's), a district's total in the city is its district score."""
    world = board.world
    month = timezone.localtime(board.base).date().replace(day=1)
    now = month_bounds(month)[1] + dt.timedelta(hours=1)
    scores = {s.node.name: s for s in rank_districts(districts=[world.node("A"), world.node("B")], month=month, now=now)}
    for key in ("A", "B"):
        run = compute_month(actor=world.user(f"{key}:admin"), tenant=world.tenants[key], month=month, now=now)
        own = Score.objects.get(run=run, subject_kind="district")
        city = scores[world.node(key).name]
        assert city.total == own.total
        mine = {item["key"]: item["points"] for item in city.items}
        assert mine and mine == {indicator: own.indicators[indicator][2] for indicator in mine}
    ordered = sorted(scores.values(), key=lambda s: s.rank)
    assert ordered[0].total >= ordered[1].total and ordered[0].rank == 1


def test_the_ranking_page(world, hefei, client_for):
    client = client_for("hefei:officer")
    url = reverse("cities:assessment", args=[hefei.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('data-testid="city-ranking-row"') == 2 and "甲区" in body and "乙区" in body
    assert f"{previous_month(current_month()):%Y-%m}" in body
    for bad in ("2026-13", "soon", f"{current_month():%Y-%m}"):
        assert client.get(url, {"month": bad}).status_code == 400
