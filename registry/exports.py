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

RESIDENTS_KIND = "registry.residents"
HEADERS = ["姓名", "性别", "出生日期", "证件类型", "证件号码", "联系电话", "户籍类型", "职业", "状态", "小区", "楼栋号",
           "单元", "房号", "社区", "网格"]


def residents_sheet(*, actor, rows, reason: str = "", lines: list | None = None) -> tuple[bytes, int]:
    """The sheet of `rows` (already scoped by the caller's selector; at most EXPORT_MAX_ROWS, which the exports
    service checks). With a reason, people inside the actor's reveal scope are written in full and recorded;
    everyone else stays masked. Returns (content, unmasked)."""
    rows = rows.select_related("house__building__compound", "community", "grid").defer(None)
    reveal = scope_for(actor, registry_rights.REVEAL) if reason else None
    unmasked, lines = [], ([] if lines is None else lines)  # `lines`: the caller's list, to count the rows
    for r in rows.iterator(chunk_size=2000):
        plain = None
        if reveal is not None and reveal.covers(r):
            plain = services.plain_values(r)
            unmasked.append(r)
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
                     summary={"rows": len(lines), "unmasked": 0})
    title = "实有人口台账" if not unmasked else "实有人口台账（含完整个人信息，严禁外传）"
    return build_sheet(title, HEADERS, lines), len(unmasked)


# ---- the residents' sheet through the exports app: at once when small, else a background job --------------------
# A large list (up to EXPORT_MAX_ROWS) is built by the exports' task for its owner, under the owner's scope and
# reveal right of that moment; the people written in full are recorded (who, whose, when, why) when it is built.


def _clean_residents(*, actor, parameters: dict) -> dict:
    from django.core.exceptions import ValidationError

    from .forms import ResidentFilterForm
    from .selectors import care_lists

    form = ResidentFilterForm(
        {k: parameters.get(k) or "" for k in ("q", "status", "care_list")}, care_lists=list(care_lists(actor=actor))
    )
    if not form.is_valid():
        raise ValidationError([m for messages in form.errors.values() for m in messages])
    reason = str(parameters.get("reason") or "").strip()
    if reason:
        if scope_for(actor, registry_rights.REVEAL).is_empty:
            raise ValidationError(_("You may not see personal data here."))
        reason = services.reason_for_access(reason)  # the reveal's rule: a reason of 2 to 200 characters
    data = form.cleaned_data
    return {"q": data.get("q") or "", "status": data.get("status") or "", "care_list": data.get("care_list"),
            "reason": reason}


def _residents_rows(actor, parameters: dict):
    from .selectors import residents

    return residents(actor=actor, q=parameters["q"], status=parameters["status"], care_list=parameters["care_list"])


def _residents_title(*, actor, parameters: dict) -> str:
    return _("Residents' sheet with full numbers") if parameters.get("reason") else _("Residents' sheet")


def _build_residents(*, actor, parameters: dict):
    from exports.registry import Sheet

    rows = []
    content, _unmasked = residents_sheet(actor=actor, rows=_residents_rows(actor, parameters),
                                         reason=parameters.get("reason") or "", lines=rows)
    return Sheet(filename="实有人口台账.xlsx", content=content, rows=len(rows))


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

    register(ExportKind(key=RESIDENTS_KIND, clean=_clean_residents, title=_residents_title, build=_build_residents,
                        count=lambda *, actor, parameters, limit: _residents_rows(actor, parameters)
                        .values("pk")[:limit].count()))
    register(ExportKind(key=IMPORT_KIND, clean=_clean_import, count=lambda *, actor, parameters, limit: parameters["rows"],
                        title=_import_title, build=_run_import))
