"""A tenant's grid tree as an .xlsx sheet: export it, and import one back (validated whole, applied whole).

The engine is the generic tree machinery's (grids.trees.sheets); this module describes the grid tree's sheet —
its Chinese column headers (data, not interface text: never translated), the names of its levels and kinds, the
boundary column — and writes through grids.services. `preview()` runs every row through the real services inside
a transaction it rolls back; `apply()` keeps the result only when no row failed. Nothing is ever half-imported.
"""

from __future__ import annotations

import json
import re
import secrets
import tempfile
import time
from io import BytesIO
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .choices import NodeKind, NodeSubkind
from .models import GridNode, Tenant, User
from .tree_spec import GRID_TREE
from .trees.sheets import (  # noqa: F401  (the grid tree's names for the engine's types)
    CREATE,
    FALSE_WORDS,
    MAX_LINES,
    MAX_ROWS,
    NO,
    TRUE_WORDS,
    UNCHANGED,
    UPDATE,
    YES,
    ExtraColumn,
    ImportPlan,
    PlannedRow,
    RowError,
    TreeImportError,
    TreeRow,
    TreeSheet,
    TreeWriter,
)
from .trees.sheets import read_upload as _read

# Column headers, in export order. They are the sheet's data, not interface text: never translated.
COL_KIND = "层级"
COL_SUBKIND = "类型"
COL_NAME = "名称"
COL_CODE = "区划代码"
COL_PARENT = "上级代码"
COL_BOUNDARY = "边界GeoJSON"
COL_ARCHIVED = "已归档"

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
NAME_LENGTH = GridNode._meta.get_field("name").max_length


def _dump_boundary(boundary) -> str:
    # Compact JSON: an Excel cell holds at most 32,767 characters, so very detailed boundaries may not fit in
    # Excel itself (openpyxl and this importer read them back regardless).
    if boundary in (None, "", {}):
        return ""
    return json.dumps(boundary, ensure_ascii=False, separators=(",", ":"))


def _parse_boundary(text: str):
    try:
        value = json.loads(text)
    except ValueError as exc:
        return None, _("The boundary is not valid JSON: %(error)s") % {"error": exc}
    if not isinstance(value, dict):
        return None, _("The boundary must be a GeoJSON Polygon or MultiPolygon.")
    return value, None


def _is_feature(value) -> bool:
    return isinstance(value, dict) and value.get("type") == "Feature"


def _stored_boundary(value):
    """A boundary as the node stores it: a Feature keeps only its geometry."""
    return value.get("geometry") if _is_feature(value) else value


def _boundary_change(old, new) -> str:
    if new is None:
        return _("boundary removed")
    if old is None:
        return _("boundary added")
    return _("boundary changed")


BOUNDARY = ExtraColumn(
    header=COL_BOUNDARY,
    field="boundary",
    parse=_parse_boundary,
    dump=_dump_boundary,
    aliases=("边界(GeoJSON)", "边界", "边界geojson"),
    normalise=_stored_boundary,
    describe_change=_boundary_change,
)

GRID_SHEET = TreeSheet(
    spec=GRID_TREE,
    writer=TreeWriter(
        create=lambda **kw: services.create_node(**kw),
        update=lambda **kw: services.update_node(**kw),
        archive=lambda **kw: services.archive_node(**kw),
        restore=lambda **kw: services.restore_node(**kw),
    ),
    kind_names=KIND_NAMES,
    subkind_names=SUBKIND_NAMES,
    subkind_choices=NodeSubkind,
    title=lambda tenant: _("Grid tree of %(tenant)s") % {"tenant": tenant.name},
    filename=lambda tenant: f"{tenant.code}-{tenant.name}-grid-tree.xlsx",
    extra=(BOUNDARY,),
    col_kind=COL_KIND,
    col_subkind=COL_SUBKIND,
    col_name=COL_NAME,
    col_code=COL_CODE,
    col_parent=COL_PARENT,
    col_archived=COL_ARCHIVED,
    root_row_not_root=gettext_lazy("The district row must be this tenant's root, code %(code)s."),
)
COLUMNS = GRID_SHEET.columns
REQUIRED_COLUMNS = GRID_SHEET.required_columns


def export_rows(tenant: Tenant) -> list[list]:
    """The tenant's nodes as sheet rows: every parent before its children, siblings by code (one query)."""
    return GRID_SHEET.export_rows(tenant)


def export_tree(tenant: Tenant) -> bytes:
    """The tenant's whole tree as one .xlsx sheet that `parse_tree_workbook` reads back."""
    return GRID_SHEET.export(tenant)


def export_filename(tenant: Tenant) -> str:
    return GRID_SHEET.filename(tenant)


def parse_tree_workbook(file) -> tuple[list[TreeRow], list[RowError]]:
    """Read the sheet into rows; return the rows and every problem found (file-level and per cell)."""
    return GRID_SHEET.parse(file)


def preview(tenant: Tenant, rows: list[TreeRow], actor: User | None = None) -> ImportPlan:
    """Run every row through the services and roll everything back: what the import would do, and every error."""
    return GRID_SHEET.preview(tenant, rows, actor)


def apply(tenant: Tenant, rows: list[TreeRow], actor: User | None = None) -> ImportPlan:
    """Import the rows in one transaction; on any error save nothing and raise TreeImportError with every error."""
    return GRID_SHEET.apply(tenant, rows, actor)


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
        from openpyxl import load_workbook  # loaded with the first upload, not with the app

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
