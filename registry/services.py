"""Every write to the registry: keyword-only, atomic, scoped. Views, the API, imports and commands call these.

`actor=None` is the system (commands, the demo, imports already checked); a person must hold `registry.edit`
over the record's node. Personal data goes in through here (normalised, validated, encrypted) and comes out only
through `reveal_*`, which checks `registry.reveal` and writes an access record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import Kind as AuditKind
from dashboards import cache as dashboard_cache
from grids.choices import NodeKind
from grids.models import GridNode
from grids.scope import scope_for
from registry import rights as registry_rights
from yaohai.core.personal import fields as personal
from yaohai.core.personal.identity import normalise_document, parse_resident_id, validate_phone

from .choices import (
    AccessKind,
    DocumentType,
    HouseholdChangeKind,
    HouseUse,
    OrganisationKind,
    PersonalField,
    Registration,
    Relation,
    ResidentStatus,
    Sex,
)
from .models import (
    AccessRecord,
    Building,
    CareList,
    CareListMember,
    Compound,
    House,
    Household,
    HouseholdChange,
    HouseholdMember,
    Organisation,
    Resident,
    Thing,
    ThingType,
)

ID_PURPOSE, PHONE_PURPOSE, CONTACT_PURPOSE = "resident.id_number", "resident.phone", "organisation.contact_phone"


def check_right(actor, right: str, record) -> None:
    """The actor holds `right` over the record's node (the system, `None`, always does)."""
    if actor is None:
        return
    if not scope_for(actor, right).covers(record):
        raise PermissionDenied(_("You may not do this here."))


def _choice(value: str, choices, label: str) -> str:
    if value not in choices.values:
        raise ValidationError({label: _("Choose one of the offered values.")})
    return value


def _grid(node: GridNode) -> GridNode:
    if node.kind != NodeKind.GRID or node.is_archived:
        raise ValidationError({"node": _("Choose a grid in service.")})
    return node


def _point(lon, lat) -> tuple[float | None, float | None]:
    if (lon is None) != (lat is None):
        raise ValidationError({"lon": _("Give both longitude and latitude, or neither.")})
    if lon is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError({"lon": _("The point is not on the map.")})
    return lon, lat


def audit_write(action: str, obj, actor, before: dict | None = None) -> None:
    """The registry's one audit helper for writes: the row's facts before and after (never a plain identity
    number or phone: `audit.snapshot` leaves out ciphertexts and blind indexes)."""
    audit.record(f"registry.{action}", obj, actor=actor, before=before or {}, after=audit.snapshot(obj))
    dashboards_changed(obj)


def dashboards_changed(record) -> None:
    """A scoped record under these nodes was written: their dashboards' coverage panel is computed again."""
    stamps = [getattr(record, f"{level}_id", None) for level in ("district", "street", "community", "grid")]
    dashboard_cache.changed("registry", stamps)


def _before(obj) -> dict:
    return audit.snapshot(obj) if obj is not None and obj.pk is not None else {}


def _saved(obj) -> str:
    return "update" if obj.pk is not None else "create"


# ---- places ---------------------------------------------------------------------------------------------------


@transaction.atomic
def save_compound(
    *, actor, node: GridNode, name: str, address: str = "", no_property_company: bool = False,
    no_supervising_department: bool = False, no_security: bool = False, lon=None, lat=None,
    compound: Compound | None = None,
) -> Compound:
    """Create or edit a compound (小区 / 院落) of a community or a grid."""
    if node.kind not in (NodeKind.COMMUNITY, NodeKind.GRID) or node.is_archived:
        raise ValidationError({"node": _("A compound belongs to a community or a grid in service.")})
    before, verb = _before(compound), _saved(compound or Compound())
    compound = compound or Compound()
    compound.node = node
    compound.stamp_from(node)
    check_right(actor, registry_rights.EDIT, compound)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give a name.")})
    if Compound.objects.filter(tenant_id=node.tenant_id, name=name).exclude(pk=compound.pk).exists():
        raise ValidationError({"name": _("A compound of this name exists already.")})
    compound.name, compound.address = name, address
    compound.no_property_company, compound.no_supervising_department = no_property_company, no_supervising_department
    compound.no_security = no_security
    compound.lon, compound.lat = _point(lon, lat)
    compound.save()
    audit_write(f"compound.{verb}", compound, actor, before)
    return compound


@transaction.atomic
def save_organisation(
    *, actor, node: GridNode, name: str, kind: str, credit_code: str = "", address: str = "", contact_name: str = "",
    contact_phone: str | None = None, lon=None, lat=None, organisation: Organisation | None = None,
) -> Organisation:
    """Create or edit an organisation of a grid (驻格单位); a phone of None leaves the stored one as it is."""
    before, verb = _before(organisation), _saved(organisation or Organisation())
    organisation = organisation or Organisation()
    organisation.node = _grid(node)
    organisation.stamp_from(node)
    check_right(actor, registry_rights.EDIT, organisation)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give a name.")})
    if Organisation.objects.filter(tenant_id=node.tenant_id, name=name).exclude(pk=organisation.pk).exists():
        raise ValidationError({"name": _("An organisation of this name exists already.")})
    organisation.name, organisation.kind = name, _choice(kind, OrganisationKind, "kind")
    organisation.credit_code, organisation.address, organisation.contact_name = credit_code, address, contact_name
    if contact_phone is not None:
        personal.set_field(organisation, "contact_phone", CONTACT_PURPOSE, validate_phone(contact_phone))
    organisation.lon, organisation.lat = _point(lon, lat)
    organisation.save()
    audit_write(f"organisation.{verb}", organisation, actor, before)
    return organisation


@transaction.atomic
def save_building(
    *, actor, node: GridNode, number: str, compound: Compound | None = None, address: str = "", floors: int = 1,
    units: int = 1, year_built: int | None = None, property_company: Organisation | None = None, lon=None, lat=None,
    building: Building | None = None,
) -> Building:
    """Create or edit a building standing in a grid; its houses and their people follow it into a new grid."""
    before, verb = _before(building), _saved(building or Building())
    building = building or Building()
    moved = building.pk is not None and building.node_id != node.pk
    building.node = _grid(node)
    building.stamp_from(node)
    check_right(actor, registry_rights.EDIT, building)
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": _("Give the building number.")})
    for other, label in ((compound, "compound"), (property_company, "property_company")):
        if other is not None and other.tenant_id != node.tenant_id:
            raise ValidationError({label: _("Choose one of the offered values.")})
    same = Building.objects.filter(tenant_id=node.tenant_id, compound=compound, number=number)
    if compound is None:
        same = same.filter(node=node)
    if same.exclude(pk=building.pk).exists():
        raise ValidationError({"number": _("This building number exists already.")})
    if not (1 <= int(floors) <= 200 and 1 <= int(units) <= 50):
        raise ValidationError({"floors": _("Floors and units must be positive.")})
    if year_built is not None and not 1800 <= int(year_built) <= timezone.localdate().year:
        raise ValidationError({"year_built": _("Give a plausible year.")})
    building.number, building.compound, building.address = number, compound, address
    building.floors, building.units, building.year_built = floors, units, year_built
    building.property_company = property_company
    building.lon, building.lat = _point(lon, lat)
    building.save()
    if moved:
        _restamp_building(building)
    audit_write(f"building.{verb}", building, actor, before)
    return building


def _restamp_building(building: Building) -> None:
    """A building placed in another grid takes its houses, households and residents (and their care) along."""
    stamps = {"node_id": building.node_id, **{f"{lv}_id": getattr(building, f"{lv}_id") for lv in
                                              ("district", "street", "community", "grid")}}
    House.objects.filter(building=building).update(**stamps)
    Household.objects.filter(house__building=building).update(**stamps)
    Resident.objects.filter(house__building=building).update(**stamps)
    CareListMember.objects.filter(resident__house__building=building).update(**stamps)


@transaction.atomic
def save_house(
    *, actor, building: Building, floor: int, number: str, unit: str = "", use: str = HouseUse.OWNER_OCCUPIED,
    house: House | None = None,
) -> House:
    """Create or edit a house of a building."""
    before, verb = _before(house), _saved(house or House())
    house = house or House()
    if house.pk and house.building_id != building.pk:
        raise ValidationError({"building": _("A house stays in its building.")})
    house.building, house.node = building, building.node
    house.stamp_from(building.node)
    check_right(actor, registry_rights.EDIT, house)
    number, unit = (number or "").strip(), (unit or "").strip()
    if not number:
        raise ValidationError({"number": _("Give the house number.")})
    if not -5 <= int(floor) <= building.floors:
        raise ValidationError({"floor": _("The building has no such floor.")})
    if House.objects.filter(building=building, unit=unit, number=number).exclude(pk=house.pk).exists():
        raise ValidationError({"number": _("This house exists already in the building.")})
    house.unit, house.floor, house.number, house.use = unit, floor, number, _choice(use, HouseUse, "use")
    house.save()
    audit_write(f"house.{verb}", house, actor, before)
    return house


# ---- people ---------------------------------------------------------------------------------------------------


def clean_identity(
    *, id_type: str, id_number: str, sex: str | None, birth_date: dt.date | None
) -> tuple[str, str | None, dt.date | None]:
    """Validate a document: a 居民身份证 by its check digit (and agreeing with sex and birth date, which it fills
    in when missing). Returns (normalised number, sex, birth date); raises ValidationError with the reason."""
    _choice(id_type, DocumentType, "id_type")
    if id_type == DocumentType.NONE:
        if id_number:
            raise ValidationError({"id_number": _("A person without a document has no document number.")})
        return "", sex, birth_date
    if id_type != DocumentType.RESIDENT_ID:
        number = normalise_document(id_number)
        if not 5 <= len(number) <= 30:
            raise ValidationError({"id_number": _("Give the document number.")})
        return number, sex, birth_date
    try:
        number, born, born_sex = parse_resident_id(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    if birth_date and birth_date != born:
        raise ValidationError({"birth_date": _("The birth date differs from the identity card number's.")})
    if sex and sex != born_sex:
        raise ValidationError({"sex": _("The sex differs from the identity card number's.")})
    return number, born_sex, born


def duplicate_id() -> ValidationError:
    """Why a second person with the same identity number is refused (the import checks a sheet's at once)."""
    return ValidationError({"id_number": _("This identity number is already in the registry.")})


def _check_unique_id(tenant_id: int, number: str, exclude_pk=None) -> str:
    index = personal.index_of(number, ID_PURPOSE)
    if index and Resident.objects.filter(tenant_id=tenant_id, id_number_index=index).exclude(pk=exclude_pk).exists():
        raise duplicate_id()
    return index


def build_resident(
    *, node: GridNode, name: str, id_type: str = DocumentType.RESIDENT_ID, id_number: str = "", sex: str | None = None,
    birth_date: dt.date | None = None, phone: str = "", registration: str = Registration.REGISTERED,
    occupation: str = "", house: House | None = None,
) -> Resident:
    """A validated, encrypted, unsaved resident (the import checks a whole sheet with it before writing)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give a name.")})
    number, sex, birth_date = clean_identity(id_type=id_type, id_number=id_number, sex=sex, birth_date=birth_date)
    if not sex:
        raise ValidationError({"sex": _("Give the sex.")})
    resident = Resident(
        name=name, sex=_choice(sex, Sex, "sex"), birth_date=birth_date, id_type=id_type,
        registration=_choice(registration, Registration, "registration"), occupation=(occupation or "").strip(),
        house=house,
    )
    resident.node = house.node if house is not None else _grid(node)
    resident.stamp_from(resident.node)
    personal.set_field(resident, "id_number", ID_PURPOSE, number)
    personal.set_field(resident, "phone", PHONE_PURPOSE, validate_phone(phone))
    return resident


@transaction.atomic
def register_resident(*, actor, node: GridNode, **fields) -> Resident:
    """Add a person to the registry (实有人口): one record per person in a tenant, found by the blind index."""
    resident = build_resident(node=node, **fields)
    check_right(actor, registry_rights.EDIT, resident)
    _check_unique_id(resident.tenant_id, personal.read_field(resident, "id_number", ID_PURPOSE))
    resident.save()
    audit_write("resident.create", resident, actor)
    return resident


@transaction.atomic
def update_resident(
    *, actor, resident: Resident, name: str | None = None, phone: str | None = None, occupation: str | None = None,
    registration: str | None = None, id_type: str | None = None, id_number: str | None = None,
) -> Resident:
    """Correct a person's facts; a document or phone of None is kept as stored."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    check_right(actor, registry_rights.EDIT, resident)
    before = audit.snapshot(resident)
    if name is not None:
        if not name.strip():
            raise ValidationError({"name": _("Give a name.")})
        resident.name = name.strip()
    if occupation is not None:
        resident.occupation = occupation.strip()
    if registration is not None:
        resident.registration = _choice(registration, Registration, "registration")
    if id_number is not None:
        kind = id_type or resident.id_type
        number, sex, birth = clean_identity(id_type=kind, id_number=id_number, sex=None, birth_date=None)
        _check_unique_id(resident.tenant_id, number, exclude_pk=resident.pk)
        resident.id_type = kind
        resident.sex, resident.birth_date = sex or resident.sex, birth or resident.birth_date
        personal.set_field(resident, "id_number", ID_PURPOSE, number)
    if phone is not None:
        personal.set_field(resident, "phone", PHONE_PURPOSE, validate_phone(phone))
    resident.save()
    audit_write("resident.update", resident, actor, before)
    return resident


# ---- households (history, never overwritten) -------------------------------------------------------------------


def _log(household, kind, on_date, actor, resident=None, note=""):
    HouseholdChange.objects.create(
        household=household, resident=resident, kind=kind, on_date=on_date, note=note, actor=actor
    )


def _leave_current(resident: Resident, on_date: dt.date, actor, note: str) -> None:
    """End the person's current membership (if any), as history, and dissolve a household left empty."""
    current = HouseholdMember.objects.select_related("household").filter(resident=resident, left_on__isnull=True)
    for member in current:
        if on_date < member.joined_on:
            raise ValidationError({"on_date": _("The date is before the person joined the household.")})
        member.left_on = on_date
        member.save(update_fields=["left_on"])
        _log(member.household, HouseholdChangeKind.MOVED_OUT, on_date, actor, resident, note)
        if not member.household.members.filter(left_on__isnull=True).exists():
            member.household.dissolved_on = on_date
            member.household.save(update_fields=["dissolved_on"])
            _log(member.household, HouseholdChangeKind.DISSOLVED, on_date, actor, None, note)


def _settle(resident: Resident, house: House | None) -> None:
    """The person's current house and stamps follow their household (their care-list rows too)."""
    resident.house = house
    if house is not None:
        resident.node = house.node
        resident.stamp_from(house.node)
    resident.save()
    stamps = {"node_id": resident.node_id, **{f"{lv}_id": getattr(resident, f"{lv}_id") for lv in
                                              ("district", "street", "community", "grid")}}
    CareListMember.objects.filter(resident=resident).update(**stamps)


def check_joining(household, resident, relation) -> None:
    """A person may join this household in this relation (the head's place is checked by the caller)."""
    _choice(relation, Relation, "relation")
    if resident.tenant_id != household.tenant_id:
        raise ValidationError({"resident": _("Choose one of the offered values.")})
    if resident.status == ResidentStatus.DECEASED:
        raise ValidationError({"resident": _("The person is recorded as deceased.")})


def _join(household, resident, relation, on_date, actor, note=""):
    check_joining(household, resident, relation)
    if relation == Relation.HEAD and household.members.filter(left_on__isnull=True, relation=Relation.HEAD).exists():
        raise ValidationError({"relation": _("The household has a head already.")})
    _leave_current(resident, on_date, actor, note)
    HouseholdMember.objects.create(household=household, resident=resident, relation=relation, joined_on=on_date)
    _log(household, HouseholdChangeKind.MOVED_IN, on_date, actor, resident, note)
    if resident.status != ResidentStatus.LIVING:
        resident.status = ResidentStatus.LIVING
    _settle(resident, household.house)


@transaction.atomic
def form_household(
    *, actor, house: House, head: Resident, on_date: dt.date, number: str = "",
    members: Iterable[tuple[Resident, str]] = (), note: str = "",
) -> Household:
    """A new household in a house, its head and members moving in (leaving their earlier households as history)."""
    members = list(members)
    household = Household(house=house, node=house.node, number=number, formed_on=on_date)
    household.stamp_from(house.node)
    check_right(actor, registry_rights.EDIT, household)
    household.save()
    _log(household, HouseholdChangeKind.FORMED, on_date, actor, None, note)
    _join(household, _locked(head), Relation.HEAD, on_date, actor, note)
    for resident, relation in members:
        if relation == Relation.HEAD:
            raise ValidationError({"relation": _("The household has a head already.")})
        _join(household, _locked(resident), relation, on_date, actor, note)
    audit.record("registry.household.form", household, actor=actor, after={
        **audit.snapshot(household), "head": head.pk, "members": [r.pk for r, _relation in members]})
    return household


def _locked(resident: Resident) -> Resident:
    return Resident.objects.select_for_update().get(pk=resident.pk)


def _locked_household(household: Household) -> Household:
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.dissolved_on is not None:
        raise ValidationError({"household": _("The household has been dissolved.")})
    return household


@transaction.atomic
def move_in(*, actor, household: Household, resident: Resident, relation: str, on_date: dt.date, note: str = ""):
    """Someone joins a household (leaving their earlier one, which keeps the history)."""
    household = _locked_household(household)
    check_right(actor, registry_rights.EDIT, household)
    _join(household, _locked(resident), relation, on_date, actor, note)
    audit.record("registry.household.move_in", household, actor=actor,
                 after={"resident": resident.pk, "relation": relation, "on_date": on_date})
    return household


@transaction.atomic
def move_out(
    *, actor, household: Household, resident: Resident, on_date: dt.date, note: str = "",
    status: str = ResidentStatus.MOVED_OUT,
) -> Resident:
    """Someone leaves a household: moved away, or deceased. Their membership ends; nothing is deleted."""
    household = _locked_household(household)
    check_right(actor, registry_rights.EDIT, household)
    resident = _locked(resident)
    if status not in (ResidentStatus.MOVED_OUT, ResidentStatus.DECEASED):
        raise ValidationError({"status": _("Choose one of the offered values.")})
    if not household.members.filter(resident=resident, left_on__isnull=True).exists():
        raise ValidationError({"resident": _("The person is not a member of this household.")})
    before = {"status": resident.status, "house_id": resident.house_id, "household": household.pk}
    _leave_current(resident, on_date, actor, note)
    resident.status = status
    resident.house = None
    resident.save(update_fields=["status", "house", "updated_at"])
    audit.record("registry.household.move_out", resident, actor=actor, before=before,
                 after={"status": status, "house_id": None, "household": None, "on_date": on_date})
    return resident


# ---- care lists -----------------------------------------------------------------------------------------------


@transaction.atomic
def add_to_care_list(*, actor, care_list: CareList, resident: Resident, since: dt.date, reason: str = ""):
    """Put a person on a care list (since when, why); their household's visits then fall due by its frequency."""
    if care_list.tenant_id != resident.tenant_id or not care_list.is_active:
        raise ValidationError({"care_list": _("Choose one of the offered values.")})
    member = CareListMember(care_list=care_list, resident=resident, since=since, reason=reason, node=resident.node)
    member.stamp_from(resident.node)
    check_right(actor, registry_rights.EDIT, member)
    if CareListMember.objects.filter(care_list=care_list, resident=resident, until__isnull=True).exists():
        raise ValidationError({"resident": _("The person is on this list already.")})
    member.save()
    audit_write("care.add", member, actor)
    from .sweeps import refresh  # the schedule of the new member, and a reminder if she is overdue already

    refresh(CareListMember.objects.filter(pk=member.pk))
    member.refresh_from_db(fields=["due_on", "overdue_since"])
    return member


@transaction.atomic
def end_care(*, actor, member: CareListMember, until: dt.date, reason: str = "") -> CareListMember:
    """Take a person off a care list; the membership stays as history with its end and why."""
    member = CareListMember.objects.select_for_update().get(pk=member.pk)
    check_right(actor, registry_rights.EDIT, member)
    if member.until is not None:
        raise ValidationError({"until": _("This membership has ended already.")})
    if until < member.since:
        raise ValidationError({"until": _("The end is before the start.")})
    before = {"until": member.until, "end_reason": member.end_reason}
    member.until, member.end_reason = until, reason
    member.save(update_fields=["until", "end_reason"])
    audit.record("registry.care.end", member, actor=actor, before=before, after={"until": until, "end_reason": reason})
    return member


# ---- things ---------------------------------------------------------------------------------------------------


@transaction.atomic
def save_thing(
    *, actor, node: GridNode, thing_type: ThingType, lon: float, lat: float, code: str = "", description: str = "",
    building: Building | None = None, status: str | None = None, thing: Thing | None = None,
) -> Thing:
    """Create or edit a thing (部件) at a point of a grid."""
    from .choices import ThingStatus

    before, verb = _before(thing), _saved(thing or Thing())
    thing = thing or Thing()
    thing.node = _grid(node)
    thing.stamp_from(node)
    check_right(actor, registry_rights.EDIT, thing)
    if thing_type.tenant_id != node.tenant_id or (building is not None and building.tenant_id != node.tenant_id):
        raise ValidationError({"thing_type": _("Choose one of the offered values.")})
    if lon is None or lat is None:
        raise ValidationError({"lon": _("Give the point.")})
    thing.lon, thing.lat = _point(lon, lat)
    thing.thing_type, thing.code, thing.description, thing.building = thing_type, code, description, building
    thing.status = _choice(status or thing.status or ThingStatus.IN_SERVICE, ThingStatus, "status")
    thing.save()
    audit_write(f"thing.{verb}", thing, actor, before)
    return thing


# ---- personal data: reveal and record -------------------------------------------------------------------------

REVEALABLE = {
    PersonalField.ID_NUMBER: ("id_number", ID_PURPOSE),
    PersonalField.PHONE: ("phone", PHONE_PURPOSE),
}


def reason_for_access(reason: str) -> str:
    """Why someone asks to see personal data: said in at least two characters, kept to 200."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("Say why you need to see it.")})
    return reason[:200]


@transaction.atomic
def reveal_resident_field(*, actor, resident: Resident, field: str, reason: str) -> str:
    """The plain identity number or phone of a person, for one who holds `registry.reveal` over them; logged."""
    if field not in REVEALABLE:
        raise ValidationError({"field": _("Choose one of the offered values.")})
    if actor is None or not scope_for(actor, registry_rights.REVEAL).covers(resident):
        raise PermissionDenied(_("You may not see personal data here."))
    reason = reason_for_access(reason)
    name, purpose = REVEALABLE[field]
    value = personal.read_field(resident, name, purpose)
    _record(actor, resident=resident, kind=AccessKind.REVEAL, field=field, reason=reason)
    return value


@transaction.atomic
def reveal_contact_phone(*, actor, organisation: Organisation, reason: str) -> str:
    """An organisation's contact phone in full, under the same right and record."""
    if actor is None or not scope_for(actor, registry_rights.REVEAL).covers(organisation):
        raise PermissionDenied(_("You may not see personal data here."))
    reason = reason_for_access(reason)
    value = personal.read_field(organisation, "contact_phone", CONTACT_PURPOSE)
    _record(actor, organisation=organisation, kind=AccessKind.REVEAL, field=PersonalField.CONTACT_PHONE, reason=reason)
    return value


def _record(actor, *, kind, field, reason, resident=None, organisation=None) -> AccessRecord:
    subject = resident or organisation
    record = AccessRecord(
        actor=actor, resident=resident, organisation=organisation, kind=kind, field=field, reason=reason,
        node_id=subject.node_id,
    )
    record.stamp_from(subject)
    record.save()
    # The registry's access record stays its own (its page, its API); the audit trail gets the same read.
    audit.record(f"registry.{kind}", subject, kind=AuditKind.READ, actor=actor,
                 summary={"field": field, "reason": reason, "access_record": record.pk})
    return record


def record_access(*, actor, residents: Iterable[Resident], kind: str, fields: Iterable[str], reason: str) -> int:
    """One access record per person and field (an unmasked export, an exact look-up): who, whose, when, why."""
    rows = []
    for resident in residents:
        for field in fields:
            record = AccessRecord(
                actor=actor, resident=resident, kind=kind, field=field, reason=reason[:200], node_id=resident.node_id
            )
            record.stamp_from(resident)
            rows.append(record)
    AccessRecord.objects.bulk_create(rows, batch_size=1000)
    if rows:  # one audit row for the whole read: whose records, which fields, why
        audit.record(f"registry.{kind}", None, kind=AuditKind.READ, actor=actor, tenant_id=rows[0].tenant_id,
                     summary={"residents": sorted({r.resident_id for r in rows}), "fields": list(fields),
                              "reason": reason[:200]})
    return len(rows)


def plain_values(resident: Resident) -> dict[str, str]:
    """For the unmasked export alone (which checks the right and records the access itself)."""
    return {
        "id_number": personal.read_field(resident, "id_number", ID_PURPOSE),
        "phone": personal.read_field(resident, "phone", PHONE_PURPOSE),
    }


def care_list_for(tenant_id: int, code: str) -> CareList:
    return CareList.objects.get(tenant_id=tenant_id, code=code)


@transaction.atomic
def look_up_residents(*, actor, id_number: str = "", phone: str = ""):
    """Exact search by identity number or phone through the blind index, within the actor's scope; each person
    found is recorded as looked up (the searcher learns that the number lives here)."""
    from yaohai.core.personal.identity import normalise_id

    if id_number:
        number = normalise_id(id_number)
        found = Resident.objects.visible_to(actor).filter(id_number_index=personal.index_of(number, ID_PURPOSE))
        field = PersonalField.ID_NUMBER
    elif phone:
        number = validate_phone(phone)
        found = Resident.objects.visible_to(actor).filter(phone_index=personal.index_of(number, PHONE_PURPOSE))
        field = PersonalField.PHONE
    else:
        return []
    found = list(found.select_related("house__building__compound")[:50])
    if actor is not None and found:
        record_access(actor=actor, residents=found, kind=AccessKind.LOOKUP, fields=[field], reason=_("exact search"))
    return found
