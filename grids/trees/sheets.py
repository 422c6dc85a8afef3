"""A tenant's tree as an .xlsx sheet: export it, and import one back (validated whole, applied whole).

The sheet has one row per node in tree order, under column headers that are data, not interface text (the
importer finds its columns by these names, so a sheet typed by hand works as well as an exported one). A tree
describes its sheet with a `TreeSheet`: the spec, the names its levels and kinds go by in a sheet, any columns
of its own (the grid tree's boundary), and the `TreeWriter` — the tree's own services the importer writes through.

Import is two steps over the same engine: `preview()` runs every row through the real services inside a
transaction it rolls back, collecting each bad row's number and reasons; `apply()` does the same and keeps the
result only when no row failed. Nothing is ever half-imported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yaohai.core.xlsx import build_sheet

from .locks import tree_lock
from .spec import TreeSpec

YES, NO = "是", "否"
TRUE_WORDS = {YES, "y", "yes", "true", "1", "x", "√"}
FALSE_WORDS = {NO, "n", "no", "false", "0"}
MAX_ROWS = 20_000
MAX_LINES = 50_000  # blank lines included: a sheet padded with empty rows is not read forever
HEADER_SEARCH_ROWS = 10  # the header row is among the first rows (an exported sheet has a title row above it)
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


def _same(value):
    return value


@dataclass(frozen=True)
class ExtraColumn:
    """A column of a tree's own, read into and written from one field of its nodes."""

    header: str
    field: str
    parse: Callable[[str], tuple[object, str | None]]  # cell text → (value, error message or None)
    dump: Callable[[object], str]
    aliases: tuple[str, ...] = ()  # other headers (spaces removed, full-width brackets made ASCII) meaning it
    normalise: Callable[[object], object] = _same  # a parsed value as the node would store it, to compare
    describe_change: Callable[[object, object], str | None] = lambda old, new: None


@dataclass(frozen=True)
class TreeWriter:
    """The tree's own services, which the importer writes through (each validates, locks and logs)."""

    create: Callable[..., models.Model]  # (parent=, subkind=, name=, code=, actor=, **extra) → node
    update: Callable[..., models.Model]  # (node=, name=, subkind=, actor=, **extra) → node
    archive: Callable[..., object]  # (node=, actor=)
    restore: Callable[..., object]  # (node=, actor=)


@dataclass(frozen=True, eq=False)
class TreeSheet:
    """How one kind of tree reads and writes as a sheet."""

    spec: TreeSpec
    writer: TreeWriter
    kind_names: Mapping[str, str]  # kind → its name in a sheet
    subkind_names: Mapping[str, str]
    subkind_choices: type[models.TextChoices]
    title: Callable[[object], str]  # tenant → the sheet's title
    filename: Callable[[object], str]  # tenant → the download's name
    extra: tuple[ExtraColumn, ...] = ()
    col_kind: str = "层级"
    col_subkind: str = "类型"
    col_name: str = "名称"
    col_code: str = "代码"
    col_parent: str = "上级代码"
    col_archived: str = "已归档"
    root_row_not_root: str = gettext_lazy("The root row must be this tenant's root, code %(code)s.")

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.col_kind, self.col_subkind, self.col_name, self.col_code, self.col_parent,
                *(c.header for c in self.extra), self.col_archived)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return (self.col_subkind, self.col_name, self.col_code, self.col_parent)

    def field_column(self, name: str) -> str:
        """Which column a service's error field is about."""
        fixed = {"kind": self.col_kind, "subkind": self.col_subkind, "name": self.col_name, "code": self.col_code,
                 "parent": self.col_parent, "is_archived": self.col_archived}
        fixed.update({c.field: c.header for c in self.extra})
        return fixed.get(name, "")

    # -- export -------------------------------------------------------------------------------------------------

    def export_rows(self, tenant) -> list[list]:
        """The tenant's nodes as sheet rows: every parent before its children, siblings by code (one query)."""
        extras = [c.field for c in self.extra]
        nodes = list(
            self.spec.model.objects.filter(tenant=tenant)
            .order_by("tree_id", "lft")
            .values_list("id", "parent_id", "kind", "subkind", "name", "code", "parent__code", *extras, "is_archived")
        )
        children: dict[int | None, list] = {}
        for node in nodes:
            children.setdefault(node[1], []).append(node)
        ids = {node[0] for node in nodes}
        # Walk from the roots (and, should the tree be broken, from any node whose parent is elsewhere).
        stack = sorted((n for n in nodes if n[1] is None or n[1] not in ids), key=lambda n: n[5], reverse=True)
        ordered = []
        while stack:
            node = stack.pop()
            ordered.append(node)
            stack.extend(sorted(children.get(node[0], ()), key=lambda n: n[5], reverse=True))
        rows = []
        for node in ordered:
            _id, _parent, kind, subkind, name, code, parent_code = node[:7]
            values = node[7:-1]
            rows.append([
                self.kind_names.get(kind, kind),
                self.subkind_names.get(subkind, subkind),
                name,
                code,
                parent_code or "",
                *(column.dump(value) for column, value in zip(self.extra, values, strict=True)),
                YES if node[-1] else NO,
            ])
        return rows

    def export(self, tenant) -> bytes:
        """The tenant's whole tree as one .xlsx sheet that `parse` reads back."""
        return build_sheet(self.title(tenant), self.columns, self.export_rows(tenant))

    # -- parsing ------------------------------------------------------------------------------------------------

    def parse(self, file) -> tuple[list[TreeRow], list[RowError]]:
        """Read the sheet into rows; return the rows and every problem found (file-level and per cell)."""
        from openpyxl import load_workbook  # loaded with the first upload, not with the app

        data = file if isinstance(file, bytes | bytearray) else read_upload(file)
        try:
            workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # zipfile, XML and openpyxl's own errors: a broken package fails in many ways
            return [], [RowError(None, _("The file is not a readable .xlsx workbook (%(error)s).") % {"error": exc})]
        try:
            sheet = workbook.worksheets[0] if workbook.worksheets else None
            if sheet is None:
                return [], [RowError(None, _("The workbook has no sheet."))]
            return self._parse_sheet(sheet)
        finally:
            workbook.close()

    def _parse_sheet(self, sheet) -> tuple[list[TreeRow], list[RowError]]:
        lines = sheet.iter_rows(values_only=True)
        header_at, columns = None, {}
        for number, values in enumerate(lines, start=1):
            names = {self._header(v): i for i, v in enumerate(values or ()) if self._header(v)}
            if self.col_name in names and self.col_subkind in names:
                header_at, columns = number, names
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if header_at is None:
            return [], [
                RowError(None, _("No header row found: the sheet needs the columns %(columns)s.")
                         % {"columns": "、".join(self.columns)})
            ]
        missing = [c for c in self.required_columns if c not in columns]
        if missing:
            return [], [RowError(None, _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})]

        rows: list[TreeRow] = []
        errors: list[RowError] = []
        for number, values in enumerate(lines, start=header_at + 1):
            if number > MAX_LINES:
                errors.append(RowError(None, _("The sheet has more than %(max)d lines.") % {"max": MAX_LINES}))
                break
            cells = {name: _cell(values[i] if values and i < len(values) else None) for name, i in columns.items()}
            if not any(cells.get(c) for c in self.columns):
                continue  # blank line
            if len(rows) >= MAX_ROWS:
                errors.append(RowError(None, _("The sheet has more than %(max)d rows.") % {"max": MAX_ROWS}))
                break
            row = self._parse_row(number, cells)
            rows.append(row)
            errors.extend(row.errors)
        if not rows and not errors:
            errors.append(RowError(None, _("The sheet has no rows below its header.")))
        return rows, errors

    def _header(self, value) -> str:
        if value is None:
            return ""
        text = str(value).strip().replace(" ", "").replace("（", "(").replace("）", ")")
        for column in self.extra:
            if text in column.aliases:
                return column.header
        return text

    def _parse_row(self, number: int, cells: dict[str, str]) -> TreeRow:
        spec = self.spec
        row = TreeRow(
            row=number,
            name=cells.get(self.col_name, ""),
            code=cells.get(self.col_code, ""),
            parent_code=cells.get(self.col_parent, ""),
        )
        name_length = spec.model._meta.get_field("name").max_length
        if len(row.name) > name_length:
            row.errors.append(RowError(number, _("A name has at most %(length)d characters.") % {"length": name_length},
                                       self.col_name))
        kind_text, subkind_text = cells.get(self.col_kind, ""), cells.get(self.col_subkind, "")
        row.kind = _lookup(kind_text, self.kind_names, spec.kind_choices)
        if kind_text and row.kind is None:
            row.errors.append(RowError(number, _("Unknown kind “%(value)s”.") % {"value": kind_text}, self.col_kind))
        row.subkind = _lookup(subkind_text, self.subkind_names, self.subkind_choices)
        if row.subkind is None and not subkind_text and row.kind is not None and len(spec.subkinds[row.kind]) == 1:
            row.subkind = str(spec.subkinds[row.kind][0])  # a level with one kind only
        if row.subkind is None:
            message = (
                _("Unknown sub-kind “%(value)s”; use one of %(choices)s.")
                % {"value": subkind_text, "choices": "、".join(self.subkind_names.values())}
                if subkind_text
                else _("The sub-kind is required.")
            )
            row.errors.append(RowError(number, message, self.col_subkind))
        else:
            kind = spec.kind_of_subkind[row.subkind]
            row.is_root = spec.parent_kind.get(kind) is None
            if row.kind is not None and kind != row.kind:
                row.errors.append(
                    RowError(number, _("Kind “%(kind)s” does not match sub-kind “%(subkind)s”.")
                             % {"kind": kind_text, "subkind": subkind_text}, self.col_kind)
                )
        for column in self.extra:
            text = cells.get(column.header, "")
            if text:
                value, error = column.parse(text)
                if error:
                    row.errors.append(RowError(number, error, column.header))
                else:
                    row.extra[column.field] = value

        archived = cells.get(self.col_archived, "")
        if archived:
            if archived.lower() in TRUE_WORDS:
                row.archived = True
            elif archived.lower() in FALSE_WORDS:
                row.archived = False
            else:
                row.errors.append(
                    RowError(number, _("Write %(yes)s or %(no)s, or leave it blank.") % {"yes": YES, "no": NO},
                             self.col_archived)
                )
        return row

    # -- preview and apply --------------------------------------------------------------------------------------

    def preview(self, tenant, rows: list[TreeRow], actor=None) -> ImportPlan:
        """Run every row through the services and roll everything back: what the import would do, and every error."""
        with transaction.atomic():
            plan = self._run(tenant, rows, actor)
            transaction.set_rollback(True)
        return plan

    def apply(self, tenant, rows: list[TreeRow], actor=None) -> ImportPlan:
        """Import the rows in one transaction; on any error save nothing and raise TreeImportError with every error."""
        with transaction.atomic():
            plan = self._run(tenant, rows, actor)
            if not plan.ok:
                transaction.set_rollback(True)
        if not plan.ok:
            raise TreeImportError(plan.errors)
        return plan

    def _run(self, tenant, rows: list[TreeRow], actor) -> ImportPlan:
        plan = ImportPlan()
        with tree_lock(self.spec, tenant.pk):
            existing = {n.code: n for n in self.spec.model.objects.filter(tenant=tenant).select_related("parent")}
            _Importer(self, tenant, rows, existing, actor, plan).run()
        return plan


# ---------------------------------------------------------------------------------------------------------
# Rows, errors and plans
# ---------------------------------------------------------------------------------------------------------


@dataclass
class RowError:
    """One reason a row (or, with row None, the whole file) cannot be imported."""

    row: int | None
    message: str
    column: str = ""

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(_("Row %(row)d") % {"row": self.row})
        if self.column:
            where.append(self.column)
        return f"{' · '.join(where)}: {self.message}" if where else self.message


@dataclass
class TreeRow:
    """One parsed data row of the sheet; `errors` holds what was wrong with its cells."""

    row: int
    kind: str | None = None
    subkind: str | None = None
    name: str = ""
    code: str = ""
    parent_code: str = ""
    extra: dict = field(default_factory=dict)  # the tree's own columns, by field name
    archived: bool | None = None  # None: the cell was blank, leave the node as it is
    is_root: bool = False
    errors: list[RowError] = field(default_factory=list)


class TreeImportError(Exception):
    """The import was refused; `errors` lists every reason and nothing was saved."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class PlannedRow:
    """What importing one row does: create a node, update one, or leave one as it is."""

    row: int
    action: str
    kind: str
    subkind: str
    name: str
    code: str
    parent_code: str
    changes: list[str] = field(default_factory=list)
    kind_label: str = ""
    subkind_label: str = ""


@dataclass
class ImportPlan:
    """The outcome of running the rows: what each row does, and every error (empty: the import can be applied)."""

    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)


def read_upload(file) -> bytes:
    """The bytes of an uploaded or opened file."""
    if hasattr(file, "seek"):
        file.seek(0)
    if hasattr(file, "chunks"):
        return b"".join(file.chunks())
    return file.read()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number
    return str(value).strip()


def _lookup(value: str, names: Mapping, choices) -> str | None:
    if not value:
        return None
    if value in choices.values:
        return value
    for code, name in names.items():
        if value == name:
            return str(code)
    lowered = value.lower()
    for code, label in choices.choices:
        if lowered in (str(label).lower(), code.replace("_", " ")):
            return code
    return None


class _Importer:
    """One pass over the rows inside the caller's transaction; each row's writes are a savepoint of their own."""

    def __init__(self, sheet: TreeSheet, tenant, rows, existing, actor, plan):
        self.sheet, self.writer = sheet, sheet.writer
        self.tenant, self.rows, self.existing, self.actor, self.plan = tenant, rows, existing, actor, plan
        self.nodes: dict[str, models.Model] = dict(existing)  # code → node, existing and created so far
        self.failed: dict[str, int] = {}  # code → the row number that failed, for its children's messages
        self.first_row: dict[str, int] = {}
        self.later_row: dict[str, int] = {}
        self.restored: set[int] = set()  # row numbers whose node was brought back into service
        self.by_row: dict[int, models.Model] = {}  # row number → the node it created or updated
        for row in rows:
            if row.code:
                self.later_row.setdefault(row.code, row.row)

    def error(self, row: TreeRow, message: str, column: str = "") -> None:
        self.plan.errors.append(RowError(row.row, message, column))
        if row.code:
            self.failed.setdefault(row.code, row.row)

    def run(self) -> None:
        good = []
        for row in self.rows:
            if row.errors:
                self.plan.errors.extend(row.errors)
                if row.code:
                    self.failed.setdefault(row.code, row.row)
                continue
            if row.code and row.code in self.first_row:
                # Not marked as failed: the code's first row stands, and its children follow that one.
                self.plan.errors.append(
                    RowError(row.row, _("Code %(code)s already appears on row %(row)d.")
                             % {"code": row.code, "row": self.first_row[row.code]}, self.sheet.col_code)
                )
                continue
            if row.code:
                self.first_row[row.code] = row.row
            good.append(row)
        # Restore first (a new child may need its parent back in service), then write rows, then archive.
        for row in good:
            if row.archived is False:
                self._restore(row)
        for row in good:
            if row.code not in self.failed:
                self._write(row)
        for row in good:
            if row.archived and row.row in self.by_row:
                self._archive(row)
        for planned in self.plan.rows:
            if planned.row in self.restored:
                planned.changes.insert(0, _("restored"))
                if planned.action == UNCHANGED:
                    planned.action = UPDATE

    def _parent_for(self, row: TreeRow):
        """The row's parent node; (False, None) after reporting why it cannot be found."""
        col = self.sheet.col_parent
        if row.is_root:
            if row.parent_code:
                self.error(row, str(self.sheet.spec.root_has_no_parent), col)
                return False, None
            return True, None
        code = row.parent_code
        if not code:
            self.error(row, _("The parent's code is required."), col)
        elif code in self.failed and code not in self.nodes:
            self.error(row, _("The parent %(code)s on row %(row)d cannot be imported.")
                       % {"code": code, "row": self.failed[code]}, col)
        elif code in self.nodes:
            return True, self.nodes[code]
        elif code in self.later_row:
            self.error(row, _("The parent %(code)s comes later, on row %(row)d; list parents before their children.")
                       % {"code": code, "row": self.later_row[code]}, col)
        else:
            self.error(row, _("No node with code %(code)s exists in this tenant or on an earlier row.")
                       % {"code": code}, col)
        return False, None

    def _write(self, row: TreeRow) -> None:
        found, parent = self._parent_for(row)
        if not found:
            return
        node = self.existing.get(row.code) if row.code else None
        if row.is_root and node is None:
            root = next((n for n in self.existing.values() if n.parent_id is None), None)
            self.error(row, str(self.sheet.root_row_not_root) % {"code": root.code if root else self.tenant.code},
                       self.sheet.col_code)
            return
        if node is not None and node.parent_id != (parent.pk if parent else None):
            self.error(
                row,
                _("Code %(code)s is already used by “%(name)s” under another parent; the import does not move nodes.")
                % {"code": row.code, "name": node.name},
                self.sheet.col_code,
            )
            return
        try:
            if node is None:
                self._create(row, parent)
            else:
                self._update(row, node)
        except ValidationError as exc:
            self._report(row, exc)

    def _extra_values(self, row: TreeRow) -> dict:
        return {column.field: row.extra.get(column.field) for column in self.sheet.extra}

    def _create(self, row: TreeRow, parent) -> None:
        node = self.writer.create(
            parent=parent, subkind=row.subkind, name=row.name, code=row.code or None, actor=self.actor,
            **self._extra_values(row),
        )
        self.nodes[node.code] = self.by_row[row.row] = node
        self._plan(row, CREATE, node, parent.code)

    def _update(self, row: TreeRow, node) -> None:
        changes = []
        if row.name != node.name:
            changes.append(_("name: %(old)s → %(new)s") % {"old": node.name, "new": row.name})
        if row.subkind != node.subkind:
            names = self.sheet.subkind_names
            changes.append(
                _("sub-kind: %(old)s → %(new)s")
                % {"old": names.get(node.subkind, node.subkind), "new": names.get(row.subkind)}
            )
        for column in self.sheet.extra:
            old, new = getattr(node, column.field), column.normalise(row.extra.get(column.field))
            if old != new:
                change = column.describe_change(old, new)
                if change:
                    changes.append(change)
        if changes:
            node = self.writer.update(
                node=node, name=row.name, subkind=row.subkind, actor=self.actor, **self._extra_values(row)
            )
            self.nodes[node.code] = node
        self.by_row[row.row] = node
        self._plan(row, UPDATE if changes else UNCHANGED, node, node.parent.code if node.parent_id else "", changes)

    def _plan(self, row, action, node, parent_code, changes=None):
        self.plan.rows.append(
            PlannedRow(
                row=row.row, action=action, kind=node.kind, subkind=node.subkind, name=node.name, code=node.code,
                parent_code=parent_code, changes=list(changes or []),
                kind_label=self.sheet.kind_names.get(node.kind, node.kind),
                subkind_label=self.sheet.subkind_names.get(node.subkind, node.subkind),
            )
        )

    def _planned(self, row: TreeRow) -> PlannedRow | None:
        return next((p for p in reversed(self.plan.rows) if p.row == row.row), None)

    def _restore(self, row: TreeRow) -> None:
        node = self.existing.get(row.code)
        if node is None or not node.is_archived:
            return
        try:
            self.writer.restore(node=node, actor=self.actor)
        except ValidationError as exc:
            self._report(row, exc, self.sheet.col_archived)
            return
        node.is_archived = False
        self.restored.add(row.row)

    def _archive(self, row: TreeRow) -> None:
        node = self.by_row[row.row]
        if self.sheet.spec.model.objects.filter(pk=node.pk, is_archived=True).exists():
            return
        try:
            self.writer.archive(node=node, actor=self.actor)
        except ValidationError as exc:
            self._report(row, exc, self.sheet.col_archived)
            return
        planned = self._planned(row)
        if planned is not None:
            planned.changes.append(_("archived"))
            if planned.action == UNCHANGED:
                planned.action = UPDATE

    def _report(self, row: TreeRow, exc: ValidationError, column: str = "") -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.error(row, message, self.sheet.field_column(name) or column)
        else:
            for message in exc.messages:
                self.error(row, message, column)
