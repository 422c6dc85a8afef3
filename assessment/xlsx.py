"""The month's sheet as .xlsx: a title row, 序号, and two header rows — each indicator's name merged over its
value and points, the ranks under one merged heading. The same look as yaohai.core.xlsx's sheets, which are
one sheet per file; this workbook has two (grid workers, nodes) and an A4 landscape page set-up."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from yaohai.core.xlsx import append_row, text_cell

from .months import label
from .selectors import NodeBoard

FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def value_text(item: dict) -> str:
    if item.get("points") is None:
        return "—"
    return f"{item['numerator']}/{item['denominator']}"


def points(item: dict):
    return None if item.get("points") is None else float(item["points"])


def _headers(ws, lead: list[str], indicators, ranks: list[str]) -> int:
    """Rows 2–3: the lead columns and 总分 merged down, indicators over 数值/得分, ranks over their levels."""
    col = 1
    for title in ["序号", *lead]:
        text_cell(ws, 2, col, title)
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
        col += 1
    for indicator in indicators:
        text_cell(ws, 2, col, str(indicator.label))
        ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + 1)
        ws.cell(row=3, column=col, value="数值")
        ws.cell(row=3, column=col + 1, value="得分")
        col += 2
    ws.cell(row=2, column=col, value="总分")
    ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    col += 1
    ws.cell(row=2, column=col, value="排名")
    ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + len(ranks) - 1)
    for offset, title in enumerate(ranks):
        text_cell(ws, 3, col + offset, title)
    last = col + len(ranks) - 1
    for row in (2, 3):
        for c in range(1, last + 1):
            cell = ws.cell(row=row, column=c)
            cell.font, cell.fill, cell.alignment, cell.border = Font(bold=True), FILL, CENTRE, BOX
    return last


def _sheet(ws, title: str, lead: list[str], indicators, ranks: list[str], rows: list[list]) -> None:
    last = _headers(ws, lead, indicators, ranks)
    text_cell(ws, 1, 1, title).font = Font(bold=True, size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    for index, values in enumerate(rows, start=1):
        row = append_row(ws, [index, *values])  # names as typed stay text (yaohai.core.xlsx)
        for c in range(1, last + 1):
            ws.cell(row=row, column=c).border = BOX
    for c in range(1, last + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16 if c in range(2, 2 + len(lead)) else 9
    ws.freeze_panes = ws.cell(row=4, column=2 + len(lead))
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.print_title_rows = "2:3"


def _items(row, indicators) -> list:
    by_key = {item["key"]: item for item in row.items}
    out = []
    for indicator in indicators:
        item = by_key.get(indicator.key, {})
        out += [value_text(item), points(item)]
    return out


def build_sheet(board: NodeBoard, indicators) -> bytes:
    """The workbook of one node's month: sheet 网格员 (every grid worker below), sheet 节点 (the node, its children)."""
    run = board.run
    state = "已发布" if run.is_published else "草稿"
    title = f"{board.node.name} {label(run.month)} 网格化服务管理考核表（第{run.version}版 · {state}）"
    wb = Workbook()
    workers = wb.active
    workers.title = "网格员"
    _sheet(
        workers,
        title,
        ["网格员", "网格", "社区", "街道"],
        indicators,
        ["社区内", "街道内", "全区"],
        [
            [
                str(r.user), r.node.name, r.node.parent.name, r.node.parent.parent.name,
                *_items(r, indicators), float(r.total), r.rank_in_community, r.rank_in_street, r.rank_in_district,
            ]
            for r in board.workers
        ],
    )
    nodes = wb.create_sheet("节点")
    node_rows = ([board.own] if board.own else []) + board.children
    _sheet(
        nodes,
        title,
        ["节点", "层级", "上级"],
        indicators,
        ["社区内", "街道内", "全区"],
        [
            [
                r.node.name, r.node.get_kind_display(), r.node.parent.name if r.node.parent_id else "",
                *_items(r, indicators), float(r.total), r.rank_in_community, r.rank_in_street, r.rank_in_district,
            ]
            for r in node_rows
        ],
    )
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
