"""A tenant's grid tree as an .xlsx sheet: export it, and import one back (validated whole, applied whole).

The sheet has one row per node in tree order, under the Chinese column headers below (they are data: the
importer finds its columns by these names, so a sheet typed by hand works as well as an exported one).

Import is two steps over the same engine: `preview()` runs every row through the real services inside a
transaction it rolls back, collecting each bad row's number and reasons; `apply()` does the same and keeps the
result only when no row failed. Nothing is ever half-imported.
"""

from __future__ import annotations

import json
import re
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from yaohai.core.xlsx import build_ledger

from . import services
from .choices import KIND_OF_SUBKIND, SUBKINDS, NodeKind, NodeSubkind
from .models import GridNode, Tenant, User

# Column headers, in export order. They are the sheet's data, not interface text: never translated.
COL_KIND = "层级"
COL_SUBKIND = "类型"
COL_NAME = "名称"
COL_CODE = "区划代码"
COL_PARENT = "上级代码"
COL_BOUNDARY = "边界GeoJSON"
COL_ARCHIVED = "已归档"
COLUMNS = (COL_KIND, COL_SUBKIND, COL_NAME, COL_CODE, COL_PARENT, COL_BOUNDARY, COL_ARCHIVED)
REQUIRED_COLUMNS = (COL_SUBKIND, COL_NAME, COL_CODE, COL_PARENT)
# Which column a service's error field is about.
FIELD_COLUMN = {
    "kind": COL_KIND,
    "subkind": COL_SUBKIND,
    "name": COL_NAME,
    "code": COL_CODE,
    "parent": COL_PARENT,
    "boundary": COL_BOUNDARY,
    "is_archived": COL_ARCHIVED,
}

# The Chinese names a sheet uses for levels and kinds (the glossary's terms).
KIND_NAMES = {
    NodeKind.DISTRICT: "区",
    NodeKind.STREET: "街道",
    NodeKind.COMMUNITY: "社区",
    NodeKind.GRID: "网格",
}
SUBKIND_NAMES = {
    NodeSubkind.DISTRICT: "区",
    NodeSubkind.SUBDISTRICT: "街道",
    NodeSubkind.TOWN: "镇",
    NodeSubkind.DEVELOPMENT_ZONE: "开发区",
    NodeSubkind.COMMUNITY: "社区",
    NodeSubkind.VILLAGE: "村",
    NodeSubkind.RESIDENT: "居民网格",
    NodeSubkind.EXCLUSIVE: "专属网格",
}
YES, NO = "是", "否"
TRUE_WORDS = {YES, "y", "yes", "true", "1", "x", "√"}
FALSE_WORDS = {NO, "n", "no", "false", "0"}

MAX_ROWS = 20_000
MAX_LINES = 50_000  # blank lines included: a sheet padded with empty rows is not read forever
NAME_LENGTH = GridNode._meta.get_field("name").max_length
HEADER_SEARCH_ROWS = 10  # the header row is among the first rows (an exported sheet has a title row above it)


# ---------------------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------------------


def export_rows(tenant: Tenant) -> list[list]:
    """The tenant's nodes as sheet rows: every parent before its children, siblings by code (one query)."""
    nodes = list(
        GridNode.objects.filter(tenant=tenant)
        .order_by("tree_id", "lft")
        .values_list("id", "parent_id", "kind", "subkind", "name", "code", "parent__code", "boundary", "is_archived")
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
    return [
        [
            KIND_NAMES.get(kind, kind),
            SUBKIND_NAMES.get(subkind, subkind),
            name,
            code,
            parent_code or "",
            _dump_boundary(boundary),
            YES if archived else NO,
        ]
        for _id, _parent, kind, subkind, name, code, parent_code, boundary, archived in ordered
    ]


def export_tree(tenant: Tenant) -> bytes:
    """The tenant's whole tree as one .xlsx sheet that `parse_tree_workbook` reads back."""
    title = _("Grid tree of %(tenant)s") % {"tenant": tenant.name}
    return build_ledger(title, COLUMNS, export_rows(tenant))


def export_filename(tenant: Tenant) -> str:
    return f"{tenant.code}-{tenant.name}-grid-tree.xlsx"


def _dump_boundary(boundary) -> str:
    # Compact JSON: an Excel cell holds at most 32,767 characters, so very detailed boundaries may not fit in
    # Excel itself (openpyxl and this importer read them back regardless).
    if boundary in (None, "", {}):
        return ""
    return json.dumps(boundary, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------------------------------------------------
# Parsing
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
    boundary: dict | None = None
    archived: bool | None = None  # None: the cell was blank, leave the node as it is
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_root(self) -> bool:
        return KIND_OF_SUBKIND.get(self.subkind) == NodeKind.DISTRICT


class TreeImportError(Exception):
    """The import was refused; `errors` lists every reason and nothing was saved."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def parse_tree_workbook(file) -> tuple[list[TreeRow], list[RowError]]:
    """Read the sheet into rows; return the rows and every problem found (file-level and per cell)."""
    data = file if isinstance(file, bytes | bytearray) else _read(file)
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl's own errors: a broken package fails in many ways
        return [], [RowError(None, _("The file is not a readable .xlsx workbook (%(error)s).") % {"error": exc})]
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return [], [RowError(None, _("The workbook has no sheet."))]
        return _parse_sheet(sheet)
    finally:
        workbook.close()


def _read(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    if hasattr(file, "chunks"):
        return b"".join(file.chunks())
    return file.read()


def _parse_sheet(sheet) -> tuple[list[TreeRow], list[RowError]]:
    lines = sheet.iter_rows(values_only=True)
    header_at, columns = None, {}
    for number, values in enumerate(lines, start=1):
        names = {_header(v): i for i, v in enumerate(values or ()) if _header(v)}
        if COL_NAME in names and COL_SUBKIND in names:
            header_at, columns = number, names
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if header_at is None:
        return [], [
            RowError(None, _("No header row found: the sheet needs the columns %(columns)s.")
                     % {"columns": "、".join(COLUMNS)})
        ]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        return [], [RowError(None, _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})]

    rows: list[TreeRow] = []
    errors: list[RowError] = []
    for number, values in enumerate(lines, start=header_at + 1):
        if number > MAX_LINES:
            errors.append(RowError(None, _("The sheet has more than %(max)d lines.") % {"max": MAX_LINES}))
            break
        cells = {name: _cell(values[i] if values and i < len(values) else None) for name, i in columns.items()}
        if not any(cells.get(c) for c in COLUMNS):
            continue  # blank line
        if len(rows) >= MAX_ROWS:
            errors.append(RowError(None, _("The sheet has more than %(max)d rows.") % {"max": MAX_ROWS}))
            break
        row = _parse_row(number, cells)
        rows.append(row)
        errors.extend(row.errors)
    if not rows and not errors:
        errors.append(RowError(None, _("The sheet has no rows below its header.")))
    return rows, errors


def _header(value) -> str:
    if value is None:
        return ""
    text = str(value).strip().replace(" ", "").replace("（", "(").replace("）", ")")
    return COL_BOUNDARY if text in ("边界(GeoJSON)", "边界", "边界geojson") else text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number
    return str(value).strip()


def _lookup(value: str, names: dict, choices) -> str | None:
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


def _parse_row(number: int, cells: dict[str, str]) -> TreeRow:
    row = TreeRow(
        row=number,
        name=cells.get(COL_NAME, ""),
        code=cells.get(COL_CODE, ""),
        parent_code=cells.get(COL_PARENT, ""),
    )
    if len(row.name) > NAME_LENGTH:
        row.errors.append(
            RowError(number, _("A name has at most %(length)d characters.") % {"length": NAME_LENGTH}, COL_NAME)
        )
    kind_text, subkind_text = cells.get(COL_KIND, ""), cells.get(COL_SUBKIND, "")
    row.kind = _lookup(kind_text, KIND_NAMES, NodeKind)
    if kind_text and row.kind is None:
        row.errors.append(RowError(number, _("Unknown level “%(value)s”.") % {"value": kind_text}, COL_KIND))
    row.subkind = _lookup(subkind_text, SUBKIND_NAMES, NodeSubkind)
    if row.subkind is None and not subkind_text and row.kind is not None and len(SUBKINDS[row.kind]) == 1:
        row.subkind = str(SUBKINDS[row.kind][0])  # a district has one kind only
    if row.subkind is None:
        message = (
            _("Unknown kind “%(value)s”; use one of %(choices)s.")
            % {"value": subkind_text, "choices": "、".join(SUBKIND_NAMES.values())}
            if subkind_text
            else _("The kind is required.")
        )
        row.errors.append(RowError(number, message, COL_SUBKIND))
    elif row.kind is not None and KIND_OF_SUBKIND[row.subkind] != row.kind:
        row.errors.append(
            RowError(
                number,
                _("Level “%(kind)s” does not match kind “%(subkind)s”.") % {"kind": kind_text, "subkind": subkind_text},
                COL_KIND,
            )
        )

    text = cells.get(COL_BOUNDARY, "")
    if text:
        try:
            row.boundary = json.loads(text)
        except ValueError as exc:
            row.errors.append(RowError(number, _("The boundary is not valid JSON: %(error)s") % {"error": exc},
                                       COL_BOUNDARY))
        else:
            if not isinstance(row.boundary, dict):
                row.errors.append(
                    RowError(number, _("The boundary must be a GeoJSON Polygon or MultiPolygon."), COL_BOUNDARY)
                )

    archived = cells.get(COL_ARCHIVED, "")
    if archived:
        if archived.lower() in TRUE_WORDS:
            row.archived = True
        elif archived.lower() in FALSE_WORDS:
            row.archived = False
        else:
            row.errors.append(
                RowError(number, _("Write %(yes)s or %(no)s, or leave it blank.") % {"yes": YES, "no": NO},
                         COL_ARCHIVED)
            )
    return row


# ---------------------------------------------------------------------------------------------------------
# Preview and apply
# ---------------------------------------------------------------------------------------------------------

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


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

    @property
    def kind_label(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    @property
    def subkind_label(self) -> str:
        return SUBKIND_NAMES.get(self.subkind, self.subkind)


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


def preview(tenant: Tenant, rows: list[TreeRow], actor: User | None = None) -> ImportPlan:
    """Run every row through the services and roll everything back: what the import would do, and every error."""
    with transaction.atomic():
        plan = _run(tenant, rows, actor)
        transaction.set_rollback(True)
    return plan


def apply(tenant: Tenant, rows: list[TreeRow], actor: User | None = None) -> ImportPlan:
    """Import the rows in one transaction; on any error save nothing and raise TreeImportError with every error."""
    with transaction.atomic():
        plan = _run(tenant, rows, actor)
        if not plan.ok:
            transaction.set_rollback(True)
    if not plan.ok:
        raise TreeImportError(plan.errors)
    return plan


def _run(tenant: Tenant, rows: list[TreeRow], actor: User | None) -> ImportPlan:
    plan = ImportPlan()
    with services.tree_lock(tenant.pk):
        existing = {n.code: n for n in GridNode.objects.filter(tenant=tenant).select_related("parent")}
        importer = _Importer(tenant, rows, existing, actor, plan)
        importer.run()
    return plan


class _Importer:
    """One pass over the rows inside the caller's transaction; each row's writes are a savepoint of their own."""

    def __init__(self, tenant, rows, existing, actor, plan):
        self.tenant, self.rows, self.existing, self.actor, self.plan = tenant, rows, existing, actor, plan
        self.nodes: dict[str, GridNode] = dict(existing)  # code → node, existing and created so far
        self.failed: dict[str, int] = {}  # code → the row number that failed, for its children's messages
        self.first_row: dict[str, int] = {}
        self.later_row: dict[str, int] = {}
        self.restored: set[int] = set()  # row numbers whose node was brought back into service
        self.by_row: dict[int, GridNode] = {}  # row number → the node it created or updated
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
                    RowError(
                        row.row,
                        _("Code %(code)s already appears on row %(row)d.")
                        % {"code": row.code, "row": self.first_row[row.code]},
                        COL_CODE,
                    )
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

    def _parent_for(self, row: TreeRow) -> tuple[bool, GridNode | None]:
        """The row's parent node; (False, None) after reporting why it cannot be found."""
        if row.is_root:
            if row.parent_code:
                self.error(row, _("A district is the root of its tree and has no parent."), COL_PARENT)
                return False, None
            return True, None
        code = row.parent_code
        if not code:
            self.error(row, _("The parent's code is required."), COL_PARENT)
        elif code in self.failed and code not in self.nodes:
            self.error(row, _("The parent %(code)s on row %(row)d cannot be imported.")
                       % {"code": code, "row": self.failed[code]}, COL_PARENT)
        elif code in self.nodes:
            return True, self.nodes[code]
        elif code in self.later_row:
            self.error(row, _("The parent %(code)s comes later, on row %(row)d; list parents before their children.")
                       % {"code": code, "row": self.later_row[code]}, COL_PARENT)
        else:
            self.error(row, _("No node with code %(code)s exists in this tenant or on an earlier row.")
                       % {"code": code}, COL_PARENT)
        return False, None

    def _write(self, row: TreeRow) -> None:
        found, parent = self._parent_for(row)
        if not found:
            return
        node = self.existing.get(row.code) if row.code else None
        if row.is_root and node is None:
            root = next((n for n in self.existing.values() if n.parent_id is None), None)
            self.error(row, _("The district row must be this tenant's root, code %(code)s.")
                       % {"code": root.code if root else self.tenant.code}, COL_CODE)
            return
        if node is not None and node.parent_id != (parent.pk if parent else None):
            self.error(
                row,
                _("Code %(code)s is already used by “%(name)s” under another parent; the import does not move nodes.")
                % {"code": row.code, "name": node.name},
                COL_CODE,
            )
            return
        try:
            if node is None:
                self._create(row, parent)
            else:
                self._update(row, node)
        except ValidationError as exc:
            self._report(row, exc)

    def _create(self, row: TreeRow, parent: GridNode) -> None:
        node = services.create_node(
            parent=parent, subkind=row.subkind, name=row.name, code=row.code or None, boundary=row.boundary,
            actor=self.actor,
        )
        self.nodes[node.code] = self.by_row[row.row] = node
        self._plan(row, CREATE, node, parent.code)

    def _update(self, row: TreeRow, node: GridNode) -> None:
        boundary = row.boundary.get("geometry") if _is_feature(row.boundary) else row.boundary
        changes = []
        if row.name != node.name:
            changes.append(_("name: %(old)s → %(new)s") % {"old": node.name, "new": row.name})
        if row.subkind != node.subkind:
            changes.append(
                _("kind: %(old)s → %(new)s")
                % {"old": SUBKIND_NAMES.get(node.subkind, node.subkind), "new": SUBKIND_NAMES.get(row.subkind)}
            )
        if boundary != node.boundary:
            if boundary is None:
                changes.append(_("boundary removed"))
            elif node.boundary is None:
                changes.append(_("boundary added"))
            else:
                changes.append(_("boundary changed"))
        if changes:
            node = services.update_node(
                node=node, name=row.name, subkind=row.subkind, boundary=row.boundary, actor=self.actor
            )
            self.nodes[node.code] = node
        self.by_row[row.row] = node
        self._plan(row, UPDATE if changes else UNCHANGED, node, node.parent.code if node.parent_id else "",
                   changes)

    def _plan(self, row, action, node, parent_code, changes=None):
        self.plan.rows.append(
            PlannedRow(
                row=row.row, action=action, kind=node.kind, subkind=node.subkind, name=node.name, code=node.code,
                parent_code=parent_code, changes=list(changes or []),
            )
        )

    def _planned(self, row: TreeRow) -> PlannedRow | None:
        return next((p for p in reversed(self.plan.rows) if p.row == row.row), None)

    def _restore(self, row: TreeRow) -> None:
        node = self.existing.get(row.code)
        if node is None or not node.is_archived:
            return
        try:
            services.restore_node(node=node, actor=self.actor)
        except ValidationError as exc:
            self._report(row, exc, COL_ARCHIVED)
            return
        node.is_archived = False
        self.restored.add(row.row)

    def _archive(self, row: TreeRow) -> None:
        node = self.by_row[row.row]
        if _is_archived(node):
            return
        try:
            services.archive_node(node=node, actor=self.actor)
        except ValidationError as exc:
            self._report(row, exc, COL_ARCHIVED)
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
                    self.error(row, message, FIELD_COLUMN.get(name, column))
        else:
            for message in exc.messages:
                self.error(row, message, column)


def _is_feature(value) -> bool:
    return isinstance(value, dict) and value.get("type") == "Feature"


def _is_archived(node: GridNode) -> bool:
    return GridNode.objects.filter(pk=node.pk, is_archived=True).exists()


# ---------------------------------------------------------------------------------------------------------
# The admin's upload: checked, then kept under a random token between the preview and the confirmation
# ---------------------------------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_TTL_SECONDS = 60 * 60
SESSION_KEY = "grids_tree_imports"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def upload_dir() -> Path:
    """Private to the server (not under MEDIA_ROOT, which a web server may publish)."""
    return Path(getattr(settings, "GRID_TREE_IMPORT_DIR", "") or Path(tempfile.gettempdir()) / "yaohai-tree-imports")


class TreeUploadForm(forms.Form):
    """Pick the tenant whose tree the sheet describes, and the sheet (.xlsx, at most 5 MB)."""

    tenant = forms.ModelChoiceField(queryset=Tenant.objects.none(), label=gettext_lazy("Tenant"))
    file = forms.FileField(label=gettext_lazy("Workbook (.xlsx)"))

    def __init__(self, *args, tenants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant"].queryset = tenants
        self.content = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_BYTES // 2**20})
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an .xlsx workbook."))
        content = _read(upload)
        if not content.startswith(b"PK\x03\x04"):
            raise ValidationError(_("The file is not an .xlsx workbook."))
        try:
            load_workbook(BytesIO(content), read_only=True).close()
        except Exception as exc:  # a broken package fails in many ways inside zipfile and openpyxl
            raise ValidationError(
                _("The file is not a readable .xlsx workbook (%(error)s).") % {"error": exc}
            ) from exc
        self.content = content
        return upload


def stash_upload(request, tenant: Tenant, content: bytes, filename: str) -> str:
    """Keep an uploaded sheet for this session; return the token that names it."""
    folder = upload_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _purge_expired(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.xlsx").write_bytes(content)
    uploads = dict(request.session.get(SESSION_KEY, {}))
    uploads[token] = {"tenant": tenant.pk, "filename": filename[:200], "at": time.time()}
    request.session[SESSION_KEY] = uploads
    return token


def load_upload(request, token: str) -> tuple[dict, bytes] | None:
    """The sheet this session stashed under the token, or None (unknown, someone else's, or expired)."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or not _TOKEN.fullmatch(token) or time.time() - entry["at"] > UPLOAD_TTL_SECONDS:
        return None
    try:
        return entry, (upload_dir() / f"{token}.xlsx").read_bytes()
    except OSError:
        return None


def drop_upload(request, token: str) -> None:
    uploads = dict(request.session.get(SESSION_KEY, {}))
    if uploads.pop(token, None) is not None:
        request.session[SESSION_KEY] = uploads
    if _TOKEN.fullmatch(token):
        (upload_dir() / f"{token}.xlsx").unlink(missing_ok=True)


def _purge_expired(folder: Path) -> None:
    limit = time.time() - UPLOAD_TTL_SECONDS
    for path in folder.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            pass
