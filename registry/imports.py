"""The registry arrives as spreadsheets: .xlsx templates, and an all-or-nothing import of buildings, houses,
residents (with their households) and care lists.

The same function previews and imports: it runs every row through registry.services inside one transaction,
each row in a savepoint so that every bad row is reported with its reason (bad check digit, unknown building, an
identity number already in the district …), then rolls the whole transaction back — always for a preview, and
for an import whenever a single row failed. Rights are the services' own (the importer's `registry.edit`), and
every place a row names is looked up within the importer's jurisdiction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from grids.choices import NodeKind
from grids.models import GridNode
from yaohai.core.xlsx import build_sheet

from . import rights as registry_rights
from . import services
from .choices import DocumentType, HouseholdChangeKind, HouseUse, Registration, Relation, Sex
from .models import (
    Building,
    CareList,
    Compound,
    House,
    Household,
    HouseholdChange,
    HouseholdMember,
    Organisation,
    Resident,
)

SYNC_MAX_ROWS = 5000  # up to this many rows a sheet is previewed and imported inside the request
MAX_ROWS = 50000  # beyond SYNC_MAX_ROWS and up to this, it is imported by a background job (registry.exports)
PROGRESS_EVERY = 250
HEADER_SEARCH_ROWS = 5

# The columns of each template; required ones first. Values in closed lists are written in Chinese.
COLUMNS = {
    "buildings": ["网格编码", "楼栋号", "小区", "地址", "层数", "单元数", "建成年份", "物业公司", "经度", "纬度"],
    "houses": ["小区", "楼栋号", "房号", "单元", "楼层", "用途"],
    "residents": ["姓名", "证件类型", "证件号码", "性别", "出生日期", "联系电话", "户籍类型", "职业",
                  "小区", "楼栋号", "单元", "房号", "与户主关系", "入住日期"],
    "care": ["证件号码", "关爱类别", "纳入日期", "原因"],
}
REQUIRED = {
    "buildings": ["网格编码", "楼栋号"],
    "houses": ["楼栋号", "房号", "楼层"],
    "residents": ["姓名"],
    "care": ["证件号码", "关爱类别"],
}
EXAMPLES = {
    "buildings": [["340102002001001", "1栋", "琅琊小区", "琅琊路1号", 6, 3, 1992, "", 117.3101, 31.8702]],
    "houses": [["琅琊小区", "1栋", "101", "1", 1, "自住"]],
    "residents": [["张桂英", "居民身份证", "340102195003070026", "女", "", "13905518230", "户籍", "退休",
                   "琅琊小区", "1栋", "1", "101", "户主", "2026-01-01"]],
    "care": [["340102195003070026", "独居老人", "2026-01-01", "子女在外地"]],
}
TITLES = {
    "buildings": "楼栋导入模板", "houses": "房屋导入模板", "residents": "实有人口导入模板", "care": "关爱对象导入模板",
}

SEX = {"男": Sex.MALE, "女": Sex.FEMALE, **{v: v for v in Sex.values}}
DOCUMENTS = {
    "居民身份证": DocumentType.RESIDENT_ID, "身份证": DocumentType.RESIDENT_ID, "护照": DocumentType.PASSPORT,
    "港澳台居民居住证": DocumentType.HK_MACAO_TAIWAN, "港澳台通行证": DocumentType.HK_MACAO_TAIWAN,
    "外国人永久居留身份证": DocumentType.FOREIGN_PERMANENT, "其他": DocumentType.OTHER, "无": DocumentType.NONE,
    **{v: v for v in DocumentType.values},
}
REGISTRATIONS = {"户籍": Registration.REGISTERED, "流动": Registration.FLOATING, "境外": Registration.OVERSEAS,
                 **{v: v for v in Registration.values}}
USES = {"自住": HouseUse.OWNER_OCCUPIED, "出租": HouseUse.RENTED, "空置": HouseUse.VACANT, "商用": HouseUse.COMMERCIAL,
        **{v: v for v in HouseUse.values}}
RELATIONS = {"户主": Relation.HEAD, "配偶": Relation.SPOUSE, "子女": Relation.CHILD, "父母": Relation.PARENT,
             "孙子女": Relation.GRANDCHILD, "兄弟姐妹": Relation.SIBLING, "租户": Relation.TENANT, "其他": Relation.OTHER,
             **{v: v for v in Relation.values}}


@dataclass
class RowError:
    row: int | None
    message: str

    def __str__(self):
        return f"{_('Row %(n)d') % {'n': self.row}}: {self.message}" if self.row else self.message


@dataclass
class Outcome:
    """What an import did (or would do): rows read, rows written, every error; nothing written when any."""

    kind: str
    rows: int = 0
    written: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[list] = field(default_factory=list)
    committed: bool = False


def template(kind: str) -> bytes:
    """The empty sheet to fill in, with one example row."""
    return build_sheet(TITLES[kind], COLUMNS[kind], EXAMPLES[kind], numbered=False)


def read_sheet(data: bytes, kind: str, max_rows: int = MAX_ROWS) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """The rows below the header, as {column: text}, with their Excel row numbers; or why the file is unreadable."""
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zip, XML and openpyxl errors: a broken file fails in many ways
        return [], [RowError(None, _("The file is not a readable .xlsx workbook."))]
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return [], [RowError(None, _("The workbook has no sheet."))]
        lines = sheet.iter_rows(values_only=True)
        columns, header_at = {}, None
        for number, values in enumerate(lines, start=1):
            names = {str(v).strip(): i for i, v in enumerate(values or ()) if v is not None and str(v).strip()}
            if all(c in names for c in REQUIRED[kind]):
                columns, header_at = names, number
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if header_at is None:
            return [], [RowError(None, _("No header row found: the sheet needs the columns %(columns)s.")
                                 % {"columns": "、".join(REQUIRED[kind])})]
        rows, errors = [], []
        for number, values in enumerate(lines, start=header_at + 1):
            cells = {c: _text(values[i]) if values and i < len(values) else "" for c, i in columns.items()
                     if c in COLUMNS[kind]}
            raw = {c: values[i] if values and i < len(values) else None for c, i in columns.items()}
            if not any(cells.values()):
                continue
            if len(rows) >= max_rows:
                errors.append(RowError(None, _("The sheet has more than %(max)d rows; split it.") % {"max": max_rows}))
                break
            cells["_raw"] = raw
            rows.append((number, cells))
        if not rows and not errors:
            errors.append(RowError(None, _("The sheet has no rows below its header.")))
        return rows, errors
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def run(*, actor, kind: str, data: bytes, commit: bool, max_rows: int = MAX_ROWS, progress=None) -> Outcome:
    """Check (and with `commit`, write) a whole sheet; every bad row is reported and nothing half-imported.
    `progress(done, total)` is told every PROGRESS_EVERY rows (the background job's progress bar)."""
    outcome = Outcome(kind=kind)
    rows, errors = read_sheet(data, kind, max_rows)
    outcome.rows, outcome.errors = len(rows), errors
    if errors:
        return outcome
    context = _Context(actor)
    importer = IMPORTERS[kind]
    if importer is _ResidentSheet:  # the large sheets: checked as a whole, written in bulk (same rules, same rows)
        with transaction.atomic():
            _ResidentSheet(context).run(rows, outcome, commit=commit, progress=progress)
        return outcome
    with transaction.atomic():
        for done, (number, cells) in enumerate(rows):
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, len(rows))
            try:
                with transaction.atomic():
                    importer(context, cells)
                    outcome.written += 1
                    if len(outcome.preview) < 20:
                        outcome.preview.append(_masked_row(kind, cells))
            except _ROW_ERRORS as exc:
                outcome.errors.append(_row_error(number, exc))
        if outcome.errors or not commit:
            transaction.set_rollback(True)
            outcome.written = 0 if outcome.errors else outcome.written
        else:
            outcome.committed = True
    return outcome


def _row_error(number: int, exc: Exception) -> RowError:
    """Why a row was refused, in the importer's language."""
    if isinstance(exc, ValidationError):
        return RowError(number, _messages(exc))
    if isinstance(exc, PermissionDenied):
        return RowError(number, _("You may not keep the registry there."))
    return RowError(number, str(exc))


def _masked_row(kind: str, cells: dict) -> list[str]:
    """A preview line: identity numbers and phones masked like everywhere else."""
    from yaohai.core.personal.identity import mask_id, mask_phone, normalise_id, normalise_phone

    row = []
    for column in COLUMNS[kind]:
        value = cells.get(column, "")
        if column == "证件号码":
            value = mask_id(normalise_id(value))
        elif column == "联系电话":
            value = mask_phone(normalise_phone(value))
        row.append(value)
    return row


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(m for messages in exc.message_dict.values() for m in messages)
    return "；".join(exc.messages)


class _RowProblem(Exception):
    pass


_ROW_ERRORS = (ValidationError, PermissionDenied, _RowProblem)


class _Context:
    """Look-ups within the importer's jurisdiction, cached for the sheet."""

    def __init__(self, actor):
        self.actor = actor
        self.tenant_id = actor.tenant_id
        self._grids, self._compounds, self._buildings, self._orgs, self._houses = {}, {}, {}, {}, {}

    def grid(self, code: str) -> GridNode:
        if code not in self._grids:
            grids = GridNode.objects.visible_to(self.actor).filter(kind=NodeKind.GRID, is_archived=False)
            found = list(grids.filter(code=code)[:1]) or list(grids.filter(name=code)[:2])
            if len(found) != 1:
                raise _RowProblem(_("Unknown grid “%(grid)s” (give the grid's code).") % {"grid": code})
            self._grids[code] = found[0]
        return self._grids[code]

    def compound(self, name: str, grid: GridNode | None = None) -> Compound | None:
        if not name:
            return None
        if name not in self._compounds:
            # Compound names are the district's place names (unique in it, no personal data): a grid worker
            # names the compound of her building even when it spans grids and hangs from the community.
            found = Compound.objects.filter(tenant_id=self.tenant_id, name=name).first()
            if found is None and grid is not None:  # a new compound: in the community, or the grid if only that
                try:
                    found = services.save_compound(
                        actor=self.actor, node=GridNode.objects.get(pk=grid.community_id), name=name
                    )
                except PermissionDenied:
                    found = services.save_compound(actor=self.actor, node=grid, name=name)
            if found is None:
                raise _RowProblem(_("Unknown compound “%(name)s”.") % {"name": name})
            self._compounds[name] = found
        return self._compounds[name]

    def building(self, compound: str, number: str) -> Building:
        key = (compound, number)
        if key not in self._buildings:
            rows = Building.objects.visible_to(self.actor).filter(number=number).select_related("compound")
            rows = rows.filter(compound__name=compound) if compound else rows.filter(compound__isnull=True)
            found = list(rows[:2])
            if len(found) != 1:
                raise _RowProblem(_("Unknown building “%(building)s”.") % {"building": f"{compound}{number}"})
            self._buildings[key] = found[0]
        return self._buildings[key]

    def house(self, cells) -> House | None:
        """The row's house; a building's houses (with their grids) are read once, at its first row."""
        if not cells.get("房号"):
            return None
        building = self.building(cells.get("小区", ""), cells.get("楼栋号", ""))
        if building.pk not in self._houses:
            houses = {}
            for house in House.objects.filter(building=building).order_by("id"):
                houses.setdefault((house.unit, house.number), house)  # the first, as .first() would find
            nodes = GridNode.objects.in_bulk({h.node_id for h in houses.values()})
            for house in houses.values():
                house.building, house.node = building, nodes[house.node_id]
            self._houses[building.pk] = houses
        house = self._houses[building.pk].get((cells.get("单元", ""), cells["房号"]))
        if house is None:
            raise _RowProblem(_("Unknown house “%(house)s”.") % {"house": f"{building} {cells['房号']}"})
        return house

    def organisation(self, name: str) -> Organisation | None:
        if not name or name in ("无", "none"):
            return None
        if name not in self._orgs:
            found = Organisation.objects.visible_to(self.actor).filter(name=name).first()
            if found is None:
                raise _RowProblem(_("Unknown organisation “%(name)s”.") % {"name": name})
            self._orgs[name] = found
        return self._orgs[name]


def _pick(table: dict, value: str, column: str, default=None):
    if not value:
        if default is None:
            raise _RowProblem(_("Fill in “%(column)s”.") % {"column": column})
        return default
    if value not in table:
        raise _RowProblem(_("“%(value)s” is not a value of “%(column)s”.") % {"value": value, "column": column})
    return table[value]


def _int(value: str, column: str, required: bool = False) -> int | None:
    if not value:
        if required:
            raise _RowProblem(_("Fill in “%(column)s”.") % {"column": column})
        return None
    try:
        return int(value)
    except ValueError:
        raise _RowProblem(_("“%(column)s” must be a whole number.") % {"column": column}) from None


def _float(value: str, column: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise _RowProblem(_("“%(column)s” must be a number.") % {"column": column}) from None


def _date(value: str, column: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10].replace("/", "-"))
    except ValueError:
        raise _RowProblem(_("“%(column)s” must be a date like 2026-01-31.") % {"column": column}) from None


def _buildings(ctx: _Context, c: dict) -> None:
    grid = ctx.grid(c["网格编码"])
    services.save_building(
        actor=ctx.actor, node=grid, number=c["楼栋号"], compound=ctx.compound(c.get("小区", ""), grid),
        address=c.get("地址", ""), floors=_int(c.get("层数", ""), "层数") or 1, units=_int(c.get("单元数", ""), "单元数") or 1,
        year_built=_int(c.get("建成年份", ""), "建成年份"), property_company=ctx.organisation(c.get("物业公司", "")),
        lon=_float(c.get("经度", ""), "经度"), lat=_float(c.get("纬度", ""), "纬度"),
    )


def _houses(ctx: _Context, c: dict) -> None:
    services.save_house(
        actor=ctx.actor, building=ctx.building(c.get("小区", ""), c["楼栋号"]), unit=c.get("单元", ""),
        floor=_int(c.get("楼层", ""), "楼层", required=True), number=c["房号"],
        use=_pick(USES, c.get("用途", ""), "用途", HouseUse.OWNER_OCCUPIED),
    )


def _person(ctx: _Context, c: dict) -> tuple[Resident, House]:
    """A row's person, checked as `services.register_resident` checks it, not yet saved, and the house."""
    raw = c["_raw"].get("证件号码")
    if isinstance(raw, int | float) and len(c.get("证件号码", "")) >= 15:
        raise _RowProblem(_("Format the identity number column as text: Excel has rounded the number."))
    house = ctx.house(c)
    node = house.node if house else None
    if node is None:
        raise _RowProblem(_("Give the building and house the person lives in."))
    person = services.build_resident(
        node=node, house=None, name=c["姓名"],
        id_type=_pick(DOCUMENTS, c.get("证件类型", ""), "证件类型", DocumentType.RESIDENT_ID),
        id_number=c.get("证件号码", ""), sex=_pick(SEX, c.get("性别", ""), "性别", "") or None,
        birth_date=_date(c.get("出生日期", ""), "出生日期"), phone=c.get("联系电话", ""),
        registration=_pick(REGISTRATIONS, c.get("户籍类型", ""), "户籍类型", Registration.REGISTERED),
        occupation=c.get("职业", ""),
    )
    services.check_right(ctx.actor, registry_rights.EDIT, person)
    return person, house


@dataclass
class _Joining:
    """One good row of a residents' sheet: the person, the household she forms or joins, how and when."""

    person: Resident
    house: House
    household: Household
    relation: str
    on_date: dt.date
    forms: bool


class _ResidentSheet:
    """A residents' sheet, checked as a whole and written in bulk.

    Row by row it is what `services.register_resident` and then `services.form_household` (the 户主 row) or
    `services.move_in` (the others, into the house's latest household) would do — the same checks in the same
    order, so each bad row gets the same first reason — and it writes the same rows: the people, the households,
    their members, their history (formed, moved in) and the audit trail's rows in the same order. What it saves
    is the queries: the sheet's buildings, their houses and grids, and the houses' open households are read once,
    every identity number of the sheet is checked in one query per thousand through the blind index, and the
    rows are inserted a thousand at a time. A new person has no household to leave and no care-list rows, so the
    services' steps for those are nothing here.
    """

    def __init__(self, ctx: _Context):
        self.ctx = ctx
        self.formed = 0

    def run(self, rows, outcome: Outcome, *, commit: bool, progress=None) -> None:
        people = []
        for done, (number, cells) in enumerate(rows):
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, len(rows))
            try:
                people.append((number, cells, *_person(self.ctx, cells)))
            except _ROW_ERRORS as exc:
                people.append((number, cells, exc, None))
        taken = self._numbers_taken([p for _n, _c, p, _h in people if isinstance(p, Resident)])
        households = self._open_households({h.pk for _n, _c, _p, h in people if h is not None})
        joinings = []
        for number, cells, person, house in people:
            try:
                if isinstance(person, Exception):
                    raise person
                joinings.append(self._joining(cells, person, house, taken, households))
            except _ROW_ERRORS as exc:
                outcome.errors.append(_row_error(number, exc))
                continue
            outcome.written += 1
            if len(outcome.preview) < 20:
                outcome.preview.append(_masked_row("residents", cells))
        if outcome.errors or not commit:
            outcome.written = 0 if outcome.errors else outcome.written
            return
        self._write(joinings)
        outcome.committed = True

    def _numbers_taken(self, people: list[Resident]) -> set[tuple[int, str]]:
        """(tenant, blind index) of the sheet's identity numbers already in the registry: one query a thousand."""
        wanted: dict[int, list[str]] = {}
        for person in people:
            if person.id_number_index:
                wanted.setdefault(person.tenant_id, []).append(person.id_number_index)
        taken = set()
        for tenant_id, indexes in wanted.items():
            for start in range(0, len(indexes), 1000):
                found = Resident.objects.filter(tenant_id=tenant_id, id_number_index__in=indexes[start:start + 1000])
                taken.update((tenant_id, index) for index in found.values_list("id_number_index", flat=True))
        return taken

    def _open_households(self, house_ids: set[int]) -> dict[int, list]:
        """Each house's households not dissolved, locked as `services.move_in` locks the one it joins, keyed
        for the choice of the latest (formed last; of one day, the last made)."""
        households: dict[int, list] = {}
        ids = sorted(house_ids)
        for start in range(0, len(ids), 1000):
            found = Household.objects.select_for_update().filter(
                house_id__in=ids[start:start + 1000], dissolved_on__isnull=True
            ).order_by("id")
            for household in found:
                households.setdefault(household.house_id, []).append(((household.formed_on, 0, household.pk),
                                                                      household))
        return households

    def _joining(self, c: dict, person: Resident, house: House, taken: set, households: dict) -> _Joining:
        actor = self.ctx.actor
        number = (person.tenant_id, person.id_number_index)
        if person.id_number_index and number in taken:
            raise services.duplicate_id()
        relation = _pick(RELATIONS, c.get("与户主关系", ""), "与户主关系", Relation.HEAD)
        on_date = _date(c.get("入住日期", ""), "入住日期") or timezone.localdate()
        forms = relation == Relation.HEAD
        if forms:  # services.form_household: a new household, with no head yet
            household = Household(house=house, node=house.node, number="", formed_on=on_date)
            household.stamp_from(house.node)
        else:  # services.move_in: the latest household of the house
            candidates = households.get(house.pk)
            if not candidates:
                raise _RowProblem(_("The house has no household yet: list its head (户主) first."))
            household = max(candidates, key=lambda pair: pair[0])[1]
            household.house = house  # the same house: named by the audit row without reading it again
        services.check_right(actor, registry_rights.EDIT, household)
        services.check_joining(household, person, relation)
        if forms:  # made after every existing one: the latest of its day
            self.formed += 1
            households.setdefault(house.pk, []).append(((on_date, 1, self.formed), household))
        if person.id_number_index:
            taken.add(number)
        return _Joining(person, house, household, relation, on_date, forms)

    def _write(self, joinings: list[_Joining]) -> None:
        from audit import services as audit

        actor = self.ctx.actor
        created = [audit.snapshot(j.person) for j in joinings]  # as register_resident saved it: no house yet
        for j in joinings:
            j.person.house = j.house  # then its household settles it in the house
        Resident.objects.bulk_create([j.person for j in joinings], batch_size=1000)
        Household.objects.bulk_create([j.household for j in joinings if j.forms], batch_size=1000)
        members, changes, entries = [], [], []
        for j, after in zip(joinings, created, strict=True):
            if j.forms:
                changes.append(HouseholdChange(household=j.household, kind=HouseholdChangeKind.FORMED,
                                               on_date=j.on_date, note="", actor=actor))
            members.append(HouseholdMember(household=j.household, resident=j.person, relation=j.relation,
                                           joined_on=j.on_date))
            changes.append(HouseholdChange(household=j.household, resident=j.person,
                                           kind=HouseholdChangeKind.MOVED_IN, on_date=j.on_date, note="", actor=actor))
            entries.append(audit.build("registry.resident.create", j.person, actor=actor, before={}, after=after))
            if j.forms:
                entries.append(audit.build("registry.household.form", j.household, actor=actor, after={
                    **audit.snapshot(j.household), "head": j.person.pk, "members": []}))
            else:
                entries.append(audit.build("registry.household.move_in", j.household, actor=actor, after={
                    "resident": j.person.pk, "relation": j.relation, "on_date": j.on_date}))
        HouseholdMember.objects.bulk_create(members, batch_size=1000)
        HouseholdChange.objects.bulk_create(changes, batch_size=1000)
        audit.record_many(entries)
        placed = {(j.person.district_id, j.person.street_id, j.person.community_id, j.person.grid_id): j.person
                  for j in joinings}
        for person in placed.values():  # register_resident's word to the dashboards, once per grid
            services.dashboards_changed(person)


def _care(ctx: _Context, c: dict) -> None:
    from yaohai.core.personal.identity import normalise_id

    number = normalise_id(c["证件号码"])
    index = services.personal.index_of(number, services.ID_PURPOSE)
    person = Resident.objects.visible_to(ctx.actor).filter(id_number_index=index).first()
    if person is None:
        raise _RowProblem(_("No resident with this identity number in your jurisdiction."))
    care_list = CareList.objects.filter(tenant_id=person.tenant_id, name=c["关爱类别"], is_active=True).first()
    if care_list is None:
        raise _RowProblem(_("Unknown care list “%(name)s”.") % {"name": c["关爱类别"]})
    services.add_to_care_list(
        actor=ctx.actor, care_list=care_list, resident=person,
        since=_date(c.get("纳入日期", ""), "纳入日期") or timezone.localdate(), reason=c.get("原因", ""),
    )


# Row by row, each in a savepoint; the residents' sheet is checked and written as a whole (_ResidentSheet).
IMPORTERS = {"buildings": _buildings, "houses": _houses, "residents": _ResidentSheet, "care": _care}


# ---- the uploaded sheet between preview and import ---------------------------------------------------------------
# It holds personal data: kept encrypted (yaohai.core.personal.crypto) under MEDIA_ROOT, never served, removed after import
# and after a day at the latest.

STASH_PURPOSE = "registry.import"


def _stash_dir():
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT) / "registry-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stash(data: bytes) -> str:
    """Keep an uploaded sheet (encrypted) for its import; returns the token that names it."""
    import base64
    import time
    import uuid

    from yaohai.core.personal import crypto

    folder = _stash_dir()
    for old in folder.glob("*.sealed"):
        if time.time() - old.stat().st_mtime > 86400:
            old.unlink(missing_ok=True)
    token = uuid.uuid4().hex
    (folder / f"{token}.sealed").write_text(crypto.encrypt(base64.b64encode(data).decode(), STASH_PURPOSE))
    return token


def unstash(token: str, *, remove: bool = False) -> bytes | None:
    import base64

    from yaohai.core.personal import crypto

    if not token or not token.isalnum():
        return None
    path = _stash_dir() / f"{token}.sealed"
    if not path.exists():
        return None
    data = base64.b64decode(crypto.decrypt(path.read_text(), STASH_PURPOSE))
    if remove:
        path.unlink(missing_ok=True)
    return data
