"""`manage.py load_demo_assessment`: the last three months scored for every district, the two older published by
the district's 网格长, the newest left a draft; a second run changes nothing."""

import pytest
from django.core.management import call_command

from assessment.choices import RunStatus
from assessment.models import AssessmentRun
from assessment.months import current_month, previous_month

pytestmark = pytest.mark.django_db


def test_demo_assessment_scores_and_publishes_the_last_months(world, capsys):
    call_command("load_demo_assessment")
    newest = previous_month(current_month())
    older = [previous_month(previous_month(newest)), previous_month(newest)]
    for key in ("A", "B"):
        runs = {r.month: r for r in AssessmentRun.objects.filter(tenant=world.tenants[key])}
        assert sorted(runs) == [*older, newest]
        assert runs[newest].status == RunStatus.DRAFT
        for month in older:
            assert runs[month].status == RunStatus.PUBLISHED
            assert runs[month].published_by == world.users[f"{key}:grid_head"]
    assert "已发布" in capsys.readouterr().out
    call_command("load_demo_assessment")
    assert AssessmentRun.objects.count() == 6
    assert "跳过" in capsys.readouterr().out
