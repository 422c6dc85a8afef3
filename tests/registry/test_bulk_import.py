"""The residents' sheet is checked as a whole and written in bulk: the rows it writes are the rows the services
would write row by row (people, households, members, history, audit trail), its bad rows get the services'
reasons, and its queries do not grow with the rows."""

import datetime as dt

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import Entry
from registry import imports, services
from registry.choices import Relation
from registry.models import Household, HouseholdChange, HouseholdMember, Resident
from tests.registry.factories import building, make_id
from tests.registry.test_sheets import sheet

GRID = "A/S1/C1/G1"
HEAD = "A/S1/C1:grid_head"


def _houses(grid, count, number="9"):
    b = building(grid, number=number)
    return [
        services.save_house(actor=None, building=b, unit="1", floor=1 + i % 6, number=str(100 + i))
        for i in range(count)
    ]


def _rows(count, *, per_house=2, first_house=0):
    """`count` people, `per_house` to a house: a 户主 then the others."""
    rows = []
    for i in range(count):
        rows.append(
            {
                "姓名": f"导入{i}",
                "证件号码": make_id(born=dt.date(1970, 1, 1) + dt.timedelta(days=i)),
                "楼栋号": "9",
                "单元": "1",
                "房号": str(100 + first_house + i // per_house),
                "与户主关系": "户主" if i % per_house == 0 else "子女",
                "联系电话": f"1390000{i:04d}",
                "入住日期": "2026-01-01",
            }
        )
    return rows


def _written(since_resident: int, since_entry: int) -> dict:
    """What was written after the given ids, with ids replaced by names (two runs make different ids)."""
    people = dict(Resident.objects.filter(pk__gt=since_resident).values_list("pk", "name"))

    def household_key(pk):
        h = Household.objects.get(pk=pk)
        return (
            h.house_id,
            h.formed_on.isoformat(),
            h.number,
            list(h.members.order_by("id").values_list("resident__name", flat=True)),
        )

    def plain(summary):  # each value is [before, after]; a person's id is named
        return {
            k: ([people.get(x, x) for x in v] if k in ("head", "resident") else v) for k, v in summary.items()
        }

    entries = []
    for e in Entry.objects.filter(pk__gt=since_entry).order_by("id"):
        name = (
            people[int(e.object_id)]
            if e.object_type == "registry.Resident"
            else household_key(int(e.object_id))
        )
        entries.append(
            (e.action, e.kind, e.object_type, name, e.object_repr, e.actor_id, e.tenant_id, plain(e.summary))
        )
    residents = list(
        Resident.objects.filter(pk__gt=since_resident)
        .order_by("id")
        .values(
            "name",
            "sex",
            "birth_date",
            "id_type",
            "id_number_index",
            "id_number_masked",
            "phone_index",
            "phone_masked",
            "registration",
            "occupation",
            "status",
            "house_id",
            "node_id",
            "district_id",
            "street_id",
            "community_id",
            "grid_id",
            "tenant_id",
        )
    )
    members = list(
        HouseholdMember.objects.filter(resident_id__in=people)
        .order_by("id")
        .values_list("household__house_id", "resident__name", "relation", "joined_on", "left_on")
    )
    changes = [
        (household_key(c.household_id), people.get(c.resident_id), c.kind, c.on_date, c.note, c.actor_id)
        for c in HouseholdChange.objects.filter(household__members__resident_id__in=people)
        .distinct()
        .order_by("id")
    ]
    households = sorted(
        household_key(pk)
        for pk in Household.objects.filter(members__resident_id__in=people)
        .values_list("pk", flat=True)
        .distinct()
    )
    return {
        "residents": residents,
        "households": households,
        "members": members,
        "changes": changes,
        "audit": entries,
    }


def _last_ids():
    return (
        Resident.objects.order_by("-id").values_list("id", flat=True).first() or 0,
        Entry.objects.order_by("-id").values_list("id", flat=True).first() or 0,
    )


def test_the_bulk_import_writes_what_the_services_write_row_by_row(world):
    grid = world.node(GRID)
    head = world.user(HEAD)
    houses = _houses(grid, 6)
    # A household already in the house: the sheet's first person of house 100 joins it (no 户主 row for it).
    old = services.register_resident(actor=None, node=grid, name="老户主", id_number=make_id(), house=None)
    services.form_household(actor=None, house=houses[0], head=old, on_date=dt.date(2020, 1, 1))
    rows = [{**r, "与户主关系": "配偶"} if i == 0 else r for i, r in enumerate(_rows(9, per_house=3))]
    rows.append(
        {**_rows(1)[0], "姓名": "第二户户主", "证件号码": make_id(), "房号": "101"}
    )  # a 2nd household in 101
    rows.append(
        {**_rows(1)[0], "姓名": "跟第二户", "证件号码": make_id(), "房号": "101", "与户主关系": "租户"}
    )

    by_services = {}
    with transaction.atomic():
        since = _last_ids()
        for r in rows:  # what the importer did before: the services, row by row
            house = next(h for h in houses if h.number == r["房号"])
            person = services.register_resident(
                actor=head, node=house.node, name=r["姓名"], id_number=r["证件号码"], phone=r["联系电话"]
            )
            relation = imports.RELATIONS[r["与户主关系"]]
            on = dt.date.fromisoformat(r["入住日期"])
            if relation == Relation.HEAD:
                services.form_household(actor=head, house=house, head=person, on_date=on)
            else:
                household = (
                    Household.objects.filter(house=house, dissolved_on__isnull=True)
                    .order_by("-formed_on", "-id")
                    .first()
                )
                services.move_in(
                    actor=head, household=household, resident=person, relation=relation, on_date=on
                )
        by_services = _written(*since)
        transaction.set_rollback(True)

    since = _last_ids()
    outcome = imports.run(actor=head, kind="residents", data=sheet("residents", rows), commit=True)
    assert outcome.committed and outcome.written == len(rows), outcome.errors
    by_import = _written(*since)
    assert by_import == by_services
    assert len(by_import["audit"]) == 2 * len(rows)
    assert len(by_import["changes"]) == len(rows) + 3 + 2  # 3 households formed; the old one's own two rows
    assert Household.objects.get(house=houses[0]).members.filter(left_on__isnull=True).count() == 4


def test_bad_rows_get_the_services_reasons_and_nothing_is_written(world):
    grid = world.node(GRID)
    _houses(grid, 3)
    twice = make_id()
    rows = [
        {**_rows(1)[0], "证件号码": twice},  # good: heads house 100
        {
            **_rows(1)[0],
            "姓名": "重号",
            "证件号码": twice,
            "与户主关系": "子女",
        },  # the same number again in the sheet
        {
            **_rows(1)[0],
            "姓名": "无户",
            "证件号码": make_id(),
            "房号": "102",
            "与户主关系": "子女",
        },  # no household yet
        {
            **_rows(1)[0],
            "姓名": "坏户主",
            "证件号码": twice[:-1] + ("0" if twice[-1] != "0" else "1"),
            "房号": "101",
        },
        {**_rows(1)[0], "姓名": "跟坏户主", "证件号码": make_id(), "房号": "101", "与户主关系": "子女"},
        {**_rows(1)[0], "姓名": "没房", "证件号码": make_id(), "房号": "999"},
    ]
    before = (Resident.objects.count(), Household.objects.count(), Entry.objects.count())
    outcome = imports.run(
        actor=world.user(HEAD), kind="residents", data=sheet("residents", rows), commit=True
    )
    by_row = {e.row: e.message for e in outcome.errors}
    assert sorted(by_row) == [4, 5, 6, 7, 8] and not outcome.committed and outcome.written == 0
    assert "已在" in by_row[4] or "already in the registry" in by_row[4]
    assert "户主" in by_row[5] and "户主" in by_row[7]  # its head's row failed: the house has no household
    assert "校验" in by_row[6] or "check digit" in by_row[6]
    assert "999" in by_row[8]
    assert (Resident.objects.count(), Household.objects.count(), Entry.objects.count()) == before


def test_the_queries_of_a_residents_import_do_not_grow_with_its_rows(world):
    """Row by row it took ~23 queries a person; the sheet's look-ups are now made once and its rows inserted a
    thousand at a time, so 40 people cost the same few queries as 20."""
    grid = world.node(GRID)
    _houses(grid, 40)
    head = world.user(HEAD)

    def queries(count, first_house):
        data = sheet("residents", _rows(count, first_house=first_house))
        with CaptureQueriesContext(connection) as captured:
            outcome = imports.run(actor=head, kind="residents", data=data, commit=True)
        assert outcome.committed and outcome.written == count, outcome.errors
        return len(captured)

    small, large = queries(20, 0), queries(40, 10)
    assert Resident.objects.count() == 60
    assert large - small <= 2, (small, large)  # was ~20 × 23 = 460 more
    assert large <= 20
