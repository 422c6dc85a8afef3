"""The residents' sheet (台账): masked, or — for holders of the reveal right, with a reason — in full, each
person's identity number and phone then recorded as exported (who, whose, when, why)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import Kind as AuditKind
from grids.scope import scope_for
from registry import rights as registry_rights
from yaohai.core.xlsx import build_sheet

from . import services
from .choices import AccessKind, PersonalField

MAX_ROWS = 10000
HEADERS = ["姓名", "性别", "出生日期", "证件类型", "证件号码", "联系电话", "户籍类型", "职业", "状态", "小区", "楼栋号",
           "单元", "房号", "社区", "网格"]


def residents_sheet(*, actor, rows, reason: str = "") -> tuple[bytes, int]:
    """The sheet of `rows` (already scoped by the caller's selector). With a reason, people inside the actor's
    reveal scope are written in full and recorded; everyone else stays masked. Returns (content, unmasked)."""
    rows = list(
        rows.select_related("house__building__compound", "community", "grid").defer(None)[: MAX_ROWS + 1]
    )
    if len(rows) > MAX_ROWS:
        raise ValueError(_("More than %(max)d people: narrow the list first.") % {"max": MAX_ROWS})
    reveal = scope_for(actor, registry_rights.REVEAL) if reason else None
    unmasked = [r for r in rows if reveal is not None and reveal.covers(r)]
    full = {r.pk: services.plain_values(r) for r in unmasked}
    lines = []
    for r in rows:
        plain = full.get(r.pk)
        house = r.house
        building = house.building if house else None
        lines.append([
            r.name, r.get_sex_display(), r.birth_date.isoformat() if r.birth_date else "", r.get_id_type_display(),
            plain["id_number"] if plain else r.id_number_masked, plain["phone"] if plain else r.phone_masked,
            r.get_registration_display(), r.occupation, r.get_status_display(),
            building.compound.name if building and building.compound_id else "", building.number if building else "",
            house.unit if house else "", house.number if house else "",
            r.community.name if r.community_id else "", r.grid.name if r.grid_id else "",
        ])
    if unmasked:
        services.record_access(
            actor=actor, residents=unmasked, kind=AccessKind.EXPORT,
            fields=[PersonalField.ID_NUMBER, PersonalField.PHONE], reason=reason,
        )
    else:  # a masked sheet still carries names, births and addresses: one access row for it
        audit.record("registry.sheet", None, kind=AuditKind.READ, actor=actor, tenant_id=actor.tenant_id,
                     summary={"rows": len(rows), "unmasked": 0})
    title = "实有人口台账" if not unmasked else "实有人口台账（含完整个人信息，严禁外传）"
    return build_sheet(title, HEADERS, lines), len(unmasked)


# ---- a large sheet imported by a background job (exports.ExportJob: the one job system) -----------------------

IMPORT_KIND = "registry.import"


def _clean_import(*, actor, parameters: dict) -> dict:
    from django.core.exceptions import ValidationError

    from .imports import IMPORTERS, MAX_ROWS

    kind, upload, rows = parameters.get("sheet"), str(parameters.get("upload") or ""), parameters.get("rows")
    if kind not in IMPORTERS or not upload.isalnum() or not isinstance(rows, int) or not 0 < rows <= MAX_ROWS:
        raise ValidationError(_("The uploaded sheet has expired; upload it again."))
    if scope_for(actor, registry_rights.EDIT).is_empty:
        raise ValidationError(_("You may not keep the registry there."))
    return {"sheet": kind, "upload": upload, "rows": rows}


def _import_title(*, actor, parameters: dict) -> str:
    from .forms import IMPORT_KINDS

    label = dict(IMPORT_KINDS).get(parameters["sheet"], parameters["sheet"])
    return _("Import: %(kind)s, %(rows)s rows") % {"kind": label, "rows": f"{parameters['rows']:,}"}


def _run_import(*, actor, parameters: dict):
    """Import the stashed sheet all or nothing under the owner's scope, telling the job's progress; a sheet with
    any bad row fails the job with the reasons (nothing written). The result is a short sheet of what was done."""
    from django.core.exceptions import ValidationError

    from exports import progress
    from exports.registry import Sheet

    from .imports import run, unstash

    data = unstash(parameters["upload"])
    if data is None:
        raise ValidationError(_("The uploaded sheet has expired; upload it again."))
    try:
        outcome = run(actor=actor, kind=parameters["sheet"], data=data, commit=True, progress=progress.report)
    finally:
        unstash(parameters["upload"], remove=True)  # personal data: gone once tried, whatever the outcome
    if not outcome.committed:
        shown = "；".join(str(e) for e in outcome.errors[:20])
        more = len(outcome.errors) - 20
        raise ValidationError(
            _("Nothing was imported: %(n)d rows have errors. %(errors)s") % {"n": len(outcome.errors), "errors": shown}
            + (_(" … and %(more)d more.") % {"more": more} if more > 0 else "")
        )
    title = _import_title(actor=actor, parameters=parameters)
    content = build_sheet(title, [_("Rows read"), _("Rows imported")], [[outcome.rows, outcome.written]],
                           numbered=False)
    return Sheet(filename=f"{title}.xlsx", content=content, rows=outcome.written)


def register_kinds() -> None:
    """Called from RegistryConfig.ready()."""
    from exports.registry import ExportKind, register

    register(ExportKind(key=IMPORT_KIND, clean=_clean_import, count=lambda *, actor, parameters, limit: parameters["rows"],
                        title=_import_title, build=_run_import))
