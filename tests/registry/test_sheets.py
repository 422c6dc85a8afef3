"""Sheets: templates, an all-or-nothing import that reports every bad row, and exports masked unless revealed."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from registry import imports, services
from registry.models import AccessRecord, Building, CareListMember, HouseholdMember, Resident
from tests.registry.factories import house, make_id, resident

GRID = "A/S1/C1/G1"
HEAD = "A/S1/C1:grid_head"
WORKER = f"{GRID}:grid_worker"


def sheet(kind, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["标题行"])
    ws.append(imports.COLUMNS[kind])
    for row in rows:
        ws.append([row.get(c, "") for c in imports.COLUMNS[kind]])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def cells(sheet_bytes):
    ws = load_workbook(BytesIO(sheet_bytes), read_only=True).worksheets[0]
    return " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def upload(client, kind, data):
    return client.post(reverse("registry:import"), {"kind": kind, "sheet": SimpleUploadedFile("s.xlsx", data)})


def test_templates_read_back_as_their_own_columns(world, client_for):
    for kind in imports.COLUMNS:
        response = client_for(HEAD).get(reverse("registry:import-template", args=[kind]))
        assert response.status_code == 200
        rows, errors = imports.read_sheet(response.content, kind)
        assert not errors and len(rows) == 1


def test_bad_rows_are_all_reported_and_nothing_is_imported(world, client_for):
    grid = world.node(GRID)
    taken = make_id()
    existing = resident(grid, name="老住户", id_number=taken, house=house(grid, number="1", building=None))
    b = existing.house.building
    good = make_id()
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    data = sheet("residents", [
        {"姓名": "甲", "证件号码": make_id(), "楼栋号": b.number, "单元": "1", "房号": "1"},
        {"姓名": "乙", "证件号码": bad_check, "楼栋号": b.number, "单元": "1", "房号": "1", "与户主关系": "配偶"},
        {"姓名": "丙", "证件号码": make_id(), "楼栋号": "99栋", "单元": "1", "房号": "1"},
        {"姓名": "丁", "证件号码": taken, "楼栋号": b.number, "单元": "1", "房号": "1", "与户主关系": "子女"},
    ])
    before = Resident.objects.count()
    response = upload(client_for(WORKER), "residents", data)
    body = response.content.decode()
    assert "check digit" in body or "校验码" in body
    assert "Unknown building" in body or "未知楼栋" in body
    assert "already in the registry" in body or "已在" in body
    for row in (4, 5, 6):
        assert f"Row {row}" in body or f"第 {row} 行" in body
    assert "Row 3" not in body and "第 3 行" not in body
    assert Resident.objects.count() == before
    assert bad_check not in body


def test_a_good_sheet_is_previewed_then_imported_whole(world, client_for):
    grid = world.node(GRID)
    client = client_for(WORKER)
    buildings = sheet("buildings", [
        {"网格编码": grid.code, "楼栋号": "7栋", "小区": "测试小区", "层数": 6, "单元数": 2, "建成年份": 1995},
    ])
    preview = upload(client, "buildings", buildings)
    assert "import-preview" in preview.content.decode(), (preview.context["outcome"], preview.context["form"].errors)
    assert not Building.objects.exists()
    done = client.post(reverse("registry:import"), {"token": preview.context["token"], "kind": "buildings"})
    assert done.status_code == 200 and Building.objects.get().compound.name == "测试小区"
    assert upload(client, "houses", sheet("houses", [
        {"小区": "测试小区", "楼栋号": "7栋", "单元": "1", "楼层": 1, "房号": "101", "用途": "出租"},
    ])).status_code == 200
    token = upload(client, "houses", sheet("houses", [
        {"小区": "测试小区", "楼栋号": "7栋", "单元": "1", "楼层": 1, "房号": "101", "用途": "出租"},
    ])).context["token"]
    client.post(reverse("registry:import"), {"token": token, "kind": "houses"})
    mother, son = make_id(female=True), make_id()
    people = sheet("residents", [
        {"姓名": "母亲", "证件号码": mother, "联系电话": "13900001111", "小区": "测试小区", "楼栋号": "7栋", "单元": "1",
         "房号": "101", "与户主关系": "户主", "入住日期": "2020-05-01"},
        {"姓名": "儿子", "证件号码": son, "小区": "测试小区", "楼栋号": "7栋", "单元": "1", "房号": "101",
         "与户主关系": "子女", "入住日期": "2020-05-01"},
    ])
    preview = upload(client, "residents", people)
    assert mother not in preview.content.decode()  # the preview is masked too
    client.post(reverse("registry:import"), {"token": preview.context["token"], "kind": "residents"})
    assert list(HouseholdMember.objects.order_by("id").values_list("resident__name", "relation")) == [
        ("母亲", "head"), ("儿子", "child"),
    ]
    care = upload(client, "care", sheet("care", [{"证件号码": mother, "关爱类别": "独居老人", "纳入日期": "2026-01-01"}]))
    client.post(reverse("registry:import"), {"token": care.context["token"], "kind": "care"})
    assert CareListMember.objects.get().resident.name == "母亲"


def test_export_is_masked_and_scoped(world, client_for):
    number = make_id()
    resident(world.node(GRID), name="本社区人", id_number=number, phone="13905518230")
    resident(world.node("A/S1/C2/G1"), name="隔壁社区人")
    content = cells(client_for(HEAD).get(reverse("registry:export")).content)
    assert "本社区人" in content and "隔壁社区人" not in content
    assert number not in content and "13905518230" not in content and "139****8230" in content
    assert not AccessRecord.objects.exists()


def test_full_export_needs_the_right_and_is_recorded(world, client_for):
    number = make_id()
    person = resident(world.node(GRID), name="本社区人", id_number=number, phone="13905518230")
    assert client_for(WORKER).post(reverse("registry:export"), {"reason": "上报民政"}).status_code == 403
    assert client_for(HEAD).post(reverse("registry:export"), {"reason": ""}).status_code == 400
    response = client_for(HEAD).post(reverse("registry:export"), {"reason": "上报民政"})
    assert number in cells(response.content) and "13905518230" in cells(response.content)
    assert set(AccessRecord.objects.values_list("resident", "kind", "field", "reason")) == {
        (person.pk, "export", "id_number", "上报民政"), (person.pk, "export", "phone", "上报民政"),
    }


def test_service_level_import_is_all_or_nothing(world):
    worker = world.user(WORKER)
    b = services.save_building(actor=None, node=world.node(GRID), number="3", floors=5)
    data = sheet("houses", [
        {"楼栋号": "3", "单元": "1", "楼层": 1, "房号": "101"},
        {"楼栋号": "3", "单元": "1", "楼层": 9, "房号": "901"},  # the building has 5 floors
    ])
    outcome = imports.run(actor=worker, kind="houses", data=data, commit=True)
    assert [e.row for e in outcome.errors] == [4] and not outcome.committed
    assert not b.houses.exists()
