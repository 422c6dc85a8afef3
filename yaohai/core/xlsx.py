"""Formatted .xlsx ledgers (台账): a title row, 序号, bold headers, frozen panes — one writer for every export."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_ledger(title: str, headers: Sequence[str], rows: Iterable[Sequence], *, numbered: bool = True) -> bytes:
    """One sheet: the title merged across the columns, then the header row, then the rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    columns = (["序号"] if numbered else []) + list(headers)
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, header in enumerate(columns, start=1):
        cell = ws.cell(row=2, column=col, value=str(header))
        cell.font, cell.fill = Font(bold=True), fill
    widths = [len(str(h)) * 2 + 2 for h in columns]
    for index, row in enumerate(rows, start=1):
        values = ([index] if numbered else []) + ["" if v is None else v for v in row]
        ws.append(values)
        for col, value in enumerate(values):
            widths[col] = min(max(widths[col], len(str(value)) * 2 + 2), 60)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A3"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)
