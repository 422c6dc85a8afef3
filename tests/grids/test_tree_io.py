import json
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from grids import services, tree_io
from grids.models import GridNode, Tenant
from tests.world import make_user


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read the messages' wording: compare against the English msgids (zh-hans is the default)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

HEADERS = list(tree_io.COLUMNS)
SQUARE = {"type": "Polygon", "coordinates": [[[117.30, 31.85], [117.36, 31.85], [117.36, 31.90], [117.30, 31.90], [117.30, 31.85]]]}
INSIDE = {"type": "Polygon", "coordinates": [[[117.31, 31.86], [117.32, 31.86], [117.32, 31.87], [117.31, 31.86]]]}


def sheet(rows, headers=HEADERS) -> bytes:
    """A plain workbook: a header row, then the rows (the way a person would type one)."""
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def tree_snapshot(tenant):
    """The tree as comparable data: every node with its parent's code, stamps as codes, and its place."""
    nodes = GridNode.objects.filter(tenant=tenant).order_by("tree_id", "lft")
    by_pk = {n.pk: n.code for n in nodes}
    return [
        (
            n.level, n.kind, n.subkind, n.name, n.code, by_pk.get(n.parent_id), n.boundary, n.is_archived,
            tuple(by_pk.get(getattr(n, f"{lvl}_id")) for lvl in ("district", "street", "community", "grid")),
        )
        for n in nodes
    ]


def build_source_tree():
    tenant = services.create_tenant(name="丙区", code="340104", boundary=SQUARE)
    root = GridNode.objects.get(tenant=tenant, parent__isnull=True)
    street = services.create_node(parent=root, subkind="town", name="丙镇", boundary=SQUARE)
    zone = services.create_node(parent=root, subkind="development_zone", name="丙开发区")
    village = services.create_node(parent=street, subkind="village", name="丙村", code=street.code + "007")
    services.create_node(parent=village, subkind="resident", name="一组", boundary=INSIDE)
    services.create_node(parent=village, subkind="exclusive", name="小学")
    community = services.create_node(parent=zone, subkind="community", name="园区社区")
    old = services.create_node(parent=community, subkind="resident", name="旧网格")
    services.archive_node(node=old)
    return tenant


def test_export_then_import_on_a_fresh_tenant_creates_the_same_tree():
    # Build a tree, export it, and roll it all back: the same district then starts afresh from the file.
    with transaction.atomic():
        source = build_source_tree()
        expected = tree_snapshot(source)
        content = tree_io.export_tree(source)
        transaction.set_rollback(True)
    assert not Tenant.objects.filter(code="340104").exists()

    tenant = services.create_tenant(name="丙区", code="340104")
    rows, errors = tree_io.parse_tree_workbook(content)
    assert errors == []
    plan = tree_io.preview(tenant, rows)
    assert plan.ok, plan.errors
    assert (plan.created, plan.updated) == (7, 1)  # the root only takes its boundary
    assert GridNode.objects.filter(tenant=tenant).count() == 1  # a preview saves nothing

    tree_io.apply(tenant, rows)
    assert tree_snapshot(tenant) == expected
    assert tree_io.export_rows(tenant) == _export_rows_of(content)


def _export_rows_of(content: bytes):
    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(content)).active
    return [[("" if v is None else v) for v in row[1:]] for row in ws.iter_rows(min_row=3, values_only=True)]


def test_reimporting_an_export_changes_nothing(world):
    tenant = world.tenants["A"]
    before = tree_snapshot(tenant)
    rows, errors = tree_io.parse_tree_workbook(tree_io.export_tree(tenant))
    assert errors == []
    plan = tree_io.apply(tenant, rows)
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 15)
    assert tree_snapshot(tenant) == before


def test_labels_codes_and_updates(world):
    tenant = world.tenants["A"]
    street = world.node("A/S1")
    community = world.node("A/S1/C1")
    content = sheet(
        [
            ["街道", "镇", "新镇", "340102009", "340102", "", ""],
            ["社区", "village", "新村", "340102009001", "340102009", json.dumps(INSIDE), "否"],
            ["网格", "专属网格", "医院", 340102009001001, 340102009001, "", ""],  # codes typed as numbers
            ["", "居民网格", "自动编码网格", "", "340102009001", "", "是"],
            ["社区", "社区", "改名社区", community.code, street.code, "", ""],
        ]
    )
    rows, errors = tree_io.parse_tree_workbook(content)
    assert errors == []
    plan = tree_io.apply(tenant, rows)
    assert (plan.created, plan.updated) == (4, 1)
    assert GridNode.objects.get(tenant=tenant, code="340102009001001").subkind == "exclusive"
    auto = GridNode.objects.get(tenant=tenant, name="自动编码网格")
    assert auto.code == "340102009001002" and auto.is_archived
    assert GridNode.objects.get(tenant=tenant, code="340102009001").boundary == INSIDE
    assert world.node("A/S1/C1").name == "改名社区"


def test_bad_rows_are_each_reported_and_nothing_is_saved(world):
    tenant = world.tenants["A"]
    community = world.node("A/S1/C1")
    grid = world.node("A/S1/C1/G1")
    before = tree_snapshot(tenant)
    content = sheet(
        [
            ["街道", "街道", "好街道", "340102009", "340102", "", ""],  # row 2: fine
            ["网格", "居民网格", "错层网格", "340102009001", "340102009", "", ""],  # row 3: grid under a street
            ["社区", "社区", "好社区", "340102009002", "340102009", "", ""],  # row 4: fine
            ["社区", "社区", "重复社区", "340102009002", "340102009", "", ""],  # row 5: code already on row 4
            ["网格", "居民网格", "坏边界", "340102009002001", "340102009002", "{not json", ""],  # row 6
            ["网格", "居民网格", "孤儿", "340102777001001", "340102777001", "", ""],  # row 7: unknown parent
            ["网格", "居民网格", "", "340102009002002", "340102009002", "", ""],  # row 8: no name
            ["网格", "居民网格", "自交", "340102009002003", "340102009002",
             json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}), ""],  # row 9
            ["网格", "居民网格", grid.name, "340102001001009", community.code, "", ""],  # row 10: name clash
            ["网格", "鸭子", "怪类型", "340102009002004", "340102009002", "", ""],  # row 11: unknown kind
        ]
    )
    rows, parse_errors = tree_io.parse_tree_workbook(content)
    assert {e.row for e in parse_errors} == {6, 11}
    plan = tree_io.preview(tenant, rows)
    by_row = {}
    for error in plan.errors:
        by_row.setdefault(error.row, []).append(error)
    assert set(by_row) == {3, 5, 6, 7, 8, 9, 10, 11}
    assert by_row[3][0].column == "上级代码"
    assert "row 4" in str(by_row[5][0])
    assert by_row[6][0].column == "边界GeoJSON"
    assert "340102777001" in by_row[7][0].message
    assert by_row[8][0].column == "名称"
    assert by_row[9][0].column == "边界GeoJSON"
    assert by_row[10][0].column == "名称"
    assert by_row[11][0].column == "类型"

    with pytest.raises(tree_io.TreeImportError) as exc:
        tree_io.apply(tenant, rows)
    assert {e.row for e in exc.value.errors} == set(by_row)
    assert tree_snapshot(tenant) == before
    assert not GridNode.objects.filter(code__startswith="340102009").exists()


def test_file_level_problems():
    assert tree_io.parse_tree_workbook(b"not a zip")[1][0].row is None
    rows, errors = tree_io.parse_tree_workbook(sheet([["x"]], headers=["名称"]))
    assert rows == [] and "类型" in errors[0].message or "区划代码" in errors[0].message


def test_an_existing_code_under_another_parent_is_not_a_move(world):
    tenant = world.tenants["A"]
    grid = world.node("A/S1/C1/G1")
    rows, _ = tree_io.parse_tree_workbook(
        sheet([["网格", "居民网格", grid.name, grid.code, world.node("A/S2/C1").code, "", ""]])
    )
    plan = tree_io.preview(tenant, rows)
    assert [e.row for e in plan.errors] == [2]
    assert world.node("A/S1/C1/G1").parent_id == world.nodes["A/S1/C1"].pk


# ---------------------------------------------------------------------------------------------------------
# The admin pages
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(world, client):
    user = make_user("root", None, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_changelist_offers_export_and_import(superuser_client):
    page = superuser_client.get(reverse("admin:grids_gridnode_changelist")).content.decode()
    assert reverse("admin:grids_gridnode_tree_export") in page
    assert reverse("admin:grids_gridnode_tree_import") in page


def test_admin_export(superuser_client, world):
    tenant = world.tenants["B"]
    response = superuser_client.get(reverse("admin:grids_gridnode_tree_export"), {"tenant": tenant.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows, errors = tree_io.parse_tree_workbook(response.content)
    assert errors == [] and len(rows) == 15 and rows[0].code == tenant.code
    chooser = superuser_client.get(reverse("admin:grids_gridnode_tree_export"))
    assert chooser.status_code == 200 and tenant.name in chooser.content.decode()


def test_admin_import_preview_then_confirm(superuser_client, world):
    tenant = world.tenants["A"]
    street = world.node("A/S1")
    content = sheet(
        [
            ["社区", "社区", "导入社区", street.code + "009", street.code, "", ""],
            ["网格", "居民网格", "导入网格", street.code + "009001", street.code + "009", "", ""],
        ]
    )
    url = reverse("admin:grids_gridnode_tree_import")
    assert superuser_client.get(url).status_code == 200
    upload = SimpleUploadedFile("tree.xlsx", content, content_type=tree_io_xlsx_type())
    response = superuser_client.post(url, {"tenant": tenant.pk, "file": upload})
    assert response.status_code == 302
    preview_url = response["Location"]
    page = superuser_client.get(preview_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "导入社区" in html and "导入网格" in html and 'name="confirm"' in html
    assert not GridNode.objects.filter(name="导入社区").exists()  # the preview saved nothing

    done = superuser_client.post(preview_url, {"confirm": "1"})
    assert done.status_code == 302
    community = GridNode.objects.get(tenant=tenant, name="导入社区")
    assert GridNode.objects.get(name="导入网格").parent_id == community.pk
    # The token is spent: confirming twice imports nothing more.
    assert superuser_client.post(preview_url, {"confirm": "1"}).status_code in (302, 404)
    assert GridNode.objects.filter(name="导入网格").count() == 1


def test_admin_import_shows_errors_and_has_no_confirm(superuser_client, world):
    tenant = world.tenants["A"]
    content = sheet([["网格", "居民网格", "孤儿", "340102777001001", "340102777001", "", ""]])
    url = reverse("admin:grids_gridnode_tree_import")
    response = superuser_client.post(
        url, {"tenant": tenant.pk, "file": SimpleUploadedFile("t.xlsx", content)}
    )
    page = superuser_client.get(response["Location"]).content.decode()
    assert "340102777001" in page and 'name="confirm"' not in page
    assert re.search(r"\b2\b", page)
    assert superuser_client.post(response["Location"], {"confirm": "1"}).status_code == 200
    assert not GridNode.objects.filter(name="孤儿").exists()


def test_admin_import_refuses_what_is_not_an_xlsx(superuser_client, world):
    url = reverse("admin:grids_gridnode_tree_import")
    response = superuser_client.post(
        url, {"tenant": world.tenants["A"].pk, "file": SimpleUploadedFile("t.xlsx", b"PK\x03\x04 but no zip")}
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = superuser_client.post(
        url, {"tenant": world.tenants["A"].pk, "file": SimpleUploadedFile("t.csv", b"a,b")}
    )
    assert response.status_code == 200 and "file" in response.context["form"].errors


def test_admin_import_needs_staff_rights_on_the_tenant(world, client):
    # A tenant admin may import into their own tenant only; the other tenant is not offered.
    client.force_login(world.user("A:admin"))
    url = reverse("admin:grids_gridnode_tree_import")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert world.tenants["A"].name in html and world.tenants["B"].name not in html
    content = sheet([["街道", "街道", "越权街道", "340103009", "340103", "", ""]])
    response = client.post(url, {"tenant": world.tenants["B"].pk, "file": SimpleUploadedFile("t.xlsx", content)})
    assert response.status_code == 200 and "tenant" in response.context["form"].errors
    assert client.get(reverse("admin:grids_gridnode_tree_export"), {"tenant": world.tenants["B"].pk}).status_code == 403
    assert client.get(reverse("admin:grids_gridnode_tree_export")).status_code == 200  # their one tree


def test_tree_pages_are_closed_to_other_staff(world, client):
    client.force_login(make_user("clerk", world.tenants["A"], is_staff=True))
    for name in ("tree_export", "tree_import"):
        assert client.get(reverse(f"admin:grids_gridnode_{name}")).status_code == 403


def test_names_too_long_for_the_column_are_row_errors(world):
    rows, errors = tree_io.parse_tree_workbook(
        sheet([["街道", "街道", "长" * 101, "340102009", "340102", "", ""]])
    )
    assert [(e.row, e.column) for e in errors] == [(2, "名称")]


def tree_io_xlsx_type():
    from yaohai.core.xlsx import XLSX_TYPE

    return XLSX_TYPE
