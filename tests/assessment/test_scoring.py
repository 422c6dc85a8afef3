"""Each indicator against the hand-computed fixture (tests/assessment/conftest.py), ranks, and determinism."""

from decimal import Decimal

import pytest
from django.db import connection

from assessment import services
from assessment.choices import SubjectKind
from assessment.models import AssessmentRun, Score

from .conftest import DISTRICT_HEAD, NOW, OCTOBER, W1, W2

pytestmark = pytest.mark.django_db


def compute(world, actor=DISTRICT_HEAD, tenant="A", **kwargs):
    return services.compute_month(
        actor=world.user(actor), tenant=world.tenants[tenant], month=OCTOBER, now=NOW, **kwargs
    )


def worker_row(run, world, key):
    return Score.objects.get(run=run, subject_kind=SubjectKind.WORKER, user=world.users[key])


def node_row(run, world, path):
    return Score.objects.get(run=run, user__isnull=True, node=world.nodes[path])


def points(row):
    return {key: item["points"] for key, item in row.breakdown().items()}


def test_grid_worker_indicators_match_the_hand_computed_values(month, world):
    run = compute(world)
    row = worker_row(run, world, W1)
    items = row.breakdown()
    assert (items["reporting_volume"]["numerator"], items["reporting_volume"]["denominator"]) == (6, 20)
    assert (items["on_time_acceptance"]["numerator"], items["on_time_acceptance"]["denominator"]) == (4, 6)
    assert (items["on_time_closure"]["numerator"], items["on_time_closure"]["denominator"]) == (4, 5)
    assert (items["rework"]["numerator"], items["rework"]["denominator"]) == (1, 3)
    assert (items["overdue"]["numerator"], items["overdue"]["denominator"]) == (3, 7)
    assert points(row) == {
        "reporting_volume": "30.00",
        "on_time_acceptance": "66.67",
        "on_time_closure": "80.00",
        "rework": "66.67",
        "overdue": "57.14",
        "satisfaction": None,  # no event rated: no points (weight 0)
        "topics_on_time": None,  # parties' indicator: no consultation topic due here
        "mediation_success": None,  # mediation's indicators: no case concluded in this world, no points
        "mediation_on_time": None,
        "patrol_coverage": None,  # the registry's: no building, no care-list member in this world
        "care_visits_on_time": None,
    }
    assert row.total == Decimal("60.76")
    assert row.node_id == world.nodes["A/S1/C1/G1"].pk
    assert row.community_id == world.nodes["A/S1/C1"].pk and row.street_id == world.nodes["A/S1"].pk


def test_node_scores_roll_up_their_grids(month, world):
    run = compute(world)
    assert node_row(run, world, "A/S1/C1/G1").total == Decimal("61.76")  # volume 7 of 20: every reporter counts
    assert node_row(run, world, "A/S1/C1/G2").total == Decimal("81.00")
    community = node_row(run, world, "A/S1/C1")
    assert points(community) == {
        "reporting_volume": "20.00",  # 8 of 2 grids × 20
        "on_time_acceptance": "71.43",
        "on_time_closure": "83.33",
        "rework": "75.00",
        "overdue": "62.50",
        "satisfaction": None,
        "topics_on_time": None,
        "mediation_success": None,
        "mediation_on_time": None,
        "patrol_coverage": None,
        "care_visits_on_time": None,
    }
    assert community.total == Decimal("62.87")
    assert node_row(run, world, "A/S1").total == Decimal("60.87")
    assert node_row(run, world, "A/S1/C2").total == Decimal("0.00")
    assert worker_row(run, world, W2).total == Decimal("81.00")


def test_ranks_inside_community_street_and_district(month, world):
    run = compute(world)
    w1, w2 = worker_row(run, world, W1), worker_row(run, world, W2)
    assert (w2.rank_in_community, w2.rank_in_street, w2.rank_in_district) == (1, 1, 1)
    assert (w1.rank_in_community, w1.rank_in_street, w1.rank_in_district) == (2, 2, 2)
    idle = worker_row(run, world, "A/S1/C2/G1:grid_worker")
    assert (idle.total, idle.rank_in_community, idle.rank_in_street, idle.rank_in_district) == (0, 1, 3, 3)
    community = node_row(run, world, "A/S1/C1")
    assert (community.rank_in_community, community.rank_in_street, community.rank_in_district) == (None, 1, 1)
    street = node_row(run, world, "A/S1")
    assert (street.rank_in_community, street.rank_in_street, street.rank_in_district) == (None, None, 1)
    district = node_row(run, world, "A")
    assert (district.rank_in_community, district.rank_in_street, district.rank_in_district) == (None, None, None)


def test_every_worker_and_node_of_the_tenant_is_scored_once(month, world):
    run = compute(world)
    rows = Score.objects.filter(run=run)
    assert rows.filter(subject_kind=SubjectKind.WORKER).count() == 8  # one grid worker on each of the 8 grids
    assert rows.filter(subject_kind=SubjectKind.GRID).count() == 8
    assert rows.filter(subject_kind=SubjectKind.COMMUNITY).count() == 4
    assert rows.filter(subject_kind=SubjectKind.STREET).count() == 2
    assert rows.filter(subject_kind=SubjectKind.DISTRICT).count() == 1
    assert not rows.exclude(tenant=world.tenants["A"]).exists()
    other = compute(world, actor="B:admin", tenant="B")
    b_grid = Score.objects.get(run=other, user__isnull=True, node=world.nodes["B/S1/C1/G1"])
    assert b_grid.breakdown()["reporting_volume"]["numerator"] == 1


def _rows(run):
    fields = [f.name for f in Score._meta.concrete_fields if f.name not in ("id", "run")]
    return sorted(Score.objects.filter(run=run).values_list(*fields), key=repr)


def test_scoring_twice_gives_identical_rows(month, world):
    first = compute(world)
    before = _rows(first)
    ids = set(Score.objects.filter(run=first).values_list("id", flat=True))
    second = compute(world)
    assert second.pk == first.pk and second.version == 1  # a draft is recomputed in place
    assert _rows(second) == before
    assert not Score.objects.filter(pk__in=ids).exists()  # its rows were replaced, not added to
    assert AssessmentRun.objects.filter(tenant=world.tenants["A"], month=OCTOBER).count() == 1


def test_a_weight_given_to_satisfaction_is_shared_among_the_others(month, world):
    from assessment.models import SchemeIndicator

    SchemeIndicator.objects.filter(scheme__tenant=world.tenants["A"], key="satisfaction").update(weight=50)
    run = compute(world)
    row = worker_row(run, world, W1)
    assert row.breakdown()["satisfaction"] == {"numerator": 0, "denominator": 0, "points": None, "weight": 50}
    assert row.total == Decimal("60.76")  # nothing rated: its weight goes to the others, pro rata
    assert next(i for i in run.scheme if i["key"] == "satisfaction") == {"key": "satisfaction", "weight": 50,
                                                                         "target": None}


def test_the_ranks_written_are_sql_rank_over_the_totals(month, world):
    """The ranks computed in Python before the INSERT are RANK() OVER (PARTITION BY kind, stamp ORDER BY total
    DESC) of the stored rows, ties sharing a rank (the fixture's idle subjects all score 0.00)."""
    from django.db.models import F, Window
    from django.db.models.functions import Rank

    from assessment.scoring import RANKED_IN

    run = compute(world)
    windows = {
        level: Window(Rank(), partition_by=[F("subject_kind"), F(f"{level}_id")], order_by=F("total").desc())
        for level in RANKED_IN
    }
    rows = Score.objects.filter(run=run).annotate(**{f"sql_{level}": w for level, w in windows.items()})
    checked = 0
    for row in rows:
        for level, kinds in RANKED_IN.items():
            expected = getattr(row, f"sql_{level}") if row.subject_kind in kinds else None
            assert getattr(row, f"rank_in_{level}") == expected, (row, level)
            checked += 1
    assert checked == 3 * 23
    totals = list(Score.objects.filter(run=run, subject_kind=SubjectKind.WORKER).values_list("total", flat=True))
    assert len(totals) - len(set(totals)) >= 5  # ties were there to share ranks


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the INSERT from one JSON document is PostgreSQL's")
def test_the_postgresql_insert_writes_what_bulk_create_writes(month, world):
    from assessment import scoring

    run = compute(world)
    rows = scoring.score_rows(run)
    other = AssessmentRun.objects.create(
        tenant=run.tenant, month=run.month, version=2, reason="comparison", scheme=run.scheme, as_of=run.as_of,
        computed_at=run.computed_at, status="published", published_at=run.computed_at,  # one draft a month
    )
    scoring._insert_generic("default", other, rows)
    assert _rows(other) == _rows(run)
    assert connection.vendor == "postgresql"
    # The ids follow the list's order in both.
    order = [(r["subject_kind"], r["node_id"], r["user_id"]) for r in rows]
    for written in (run, other):
        assert list(Score.objects.filter(run=written).order_by("id").values_list("subject_kind", "node", "user")) == order


def test_a_breakdown_stored_before_the_compact_form_reads_the_same(month, world):
    from assessment.indicators import ITEM_FIELDS
    from assessment.selectors import breakdown

    run = compute(world)
    row = worker_row(run, world, W1)
    compact = row.breakdown()
    assert row.indicators["rework"] == [1, 3, "66.67", 15]
    row.indicators = {key: dict(zip(ITEM_FIELDS, value, strict=True)) for key, value in row.indicators.items()}
    row.save(update_fields=["indicators"])
    row.refresh_from_db()
    assert isinstance(row.indicators["rework"], dict)
    assert row.breakdown() == compact
    assert [(i["key"], i["numerator"], i["points"]) for i in breakdown(row)][:2] == [
        ("reporting_volume", 6, "30.00"), ("on_time_acceptance", 4, "66.67"),
    ]
