"""The registry of people, places, things and organisations in each grid (人地事物), with personal data encrypted.

Every record here is scoped (grids.models.ScopedModel: a node and its ancestor stamps), so `visible_to` reads it
and a grid move re-stamps it. Identity numbers and phones are stored as encrypted tokens beside a keyed blind
index and a masked form (yaohai.core.personal.crypto); no plain column holds them. Written only by registry.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grids.models import ScopedModel, Tenant
from grids.querysets import ScopedQuerySet, TenantQuerySet

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
    ThingStatus,
    check,
)


def _point_checks(prefix: str, required: bool = False) -> list[models.CheckConstraint]:
    """Longitude and latitude within the world (and both or neither)."""
    lon, lat = Q(lon__gte=-180, lon__lte=180), Q(lat__gte=-90, lat__lte=90)
    both = Q(lon__isnull=True, lat__isnull=True) | (lon & lat)
    return [models.CheckConstraint(condition=(lon & lat) if required else both, name=f"{prefix}_point_valid")]


class Point(models.Model):
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)

    class Meta:
        abstract = True


class Compound(ScopedModel, Point):
    """A 小区 / 院落: the buildings of one estate, with the three-no flags of the old compounds."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    no_property_company = models.BooleanField(_("no property company"), default=False)
    no_supervising_department = models.BooleanField(_("no supervising department"), default=False)
    no_security = models.BooleanField(_("no security"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="compound_name_unique_in_tenant"),
            *_point_checks("compound"),
        ]

    def __str__(self):
        return self.name

    @property
    def three_no(self) -> bool:
        return self.no_property_company and self.no_supervising_department and self.no_security


class Organisation(ScopedModel, Point):
    """A 驻格单位 in a grid (enterprise, shop, school, social organisation …); partner units point at these."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=OrganisationKind.choices)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone_encrypted = models.TextField(blank=True, editable=False)
    contact_phone_index = models.CharField(max_length=64, blank=True, editable=False)
    contact_phone_masked = models.CharField(_("contact phone"), max_length=20, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="organisation_name_unique_in_tenant"),
            models.CheckConstraint(**check("kind", OrganisationKind)),
            *_point_checks("organisation"),
        ]
        indexes = [models.Index(fields=["tenant", "contact_phone_index"], name="organisation_phone_index")]

    def __str__(self):
        return self.name


class Building(ScopedModel, Point):
    """A 楼栋 standing in one grid: the unit grid workers patrol and the houses hang from."""

    compound = models.ForeignKey(
        Compound, null=True, blank=True, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("compound")
    )
    number = models.CharField(_("building number"), max_length=20)
    address = models.CharField(_("address"), max_length=200, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    units = models.PositiveSmallIntegerField(_("units"), default=1)
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    property_company = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_buildings",
        verbose_name=_("property company"),
        help_text=_("Empty: no property management."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["compound__name", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "compound", "number"], name="building_number_unique_in_compound"
            ),
            models.UniqueConstraint(
                fields=["tenant", "node", "number"], condition=Q(compound__isnull=True), name="building_number_unique_in_grid"
            ),
            models.CheckConstraint(condition=Q(floors__gte=1, units__gte=1), name="building_floors_units_positive"),
            models.CheckConstraint(
                condition=Q(year_built__isnull=True) | Q(year_built__gte=1800, year_built__lte=2200),
                name="building_year_plausible",
            ),
            *_point_checks("building"),
        ]

    def __str__(self):
        return f"{self.compound.name if self.compound_id else ''}{self.number}"


class House(ScopedModel):
    """A 房屋 of a building (unit, floor, number) and what it is used for."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="houses", verbose_name=_("building"))
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    floor = models.SmallIntegerField(_("floor"))
    number = models.CharField(_("house number"), max_length=20)
    use = models.CharField(_("use"), max_length=16, choices=HouseUse.choices, default=HouseUse.OWNER_OCCUPIED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("house")
        verbose_name_plural = _("houses")
        ordering = ["building", "unit", "floor", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "building", "unit", "number"], name="house_number_unique_in_building"),
            models.CheckConstraint(**check("use", HouseUse)),
        ]

    def __str__(self):
        unit = f"{self.unit}单元" if self.unit else ""
        return f"{self.building} {unit}{self.number}"


class ResidentQuerySet(ScopedQuerySet):
    def living(self):
        return self.filter(status=ResidentStatus.LIVING)


class Resident(ScopedModel):
    """A person of the 实有人口: the one person record every later domain (members, parties, accounts) points at."""

    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_type = models.CharField(
        _("identity document"), max_length=20, choices=DocumentType.choices, default=DocumentType.RESIDENT_ID
    )
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_index = models.CharField(max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(_("identity number"), max_length=40, blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    registration = models.CharField(
        _("registration"), max_length=10, choices=Registration.choices, default=Registration.REGISTERED
    )
    occupation = models.CharField(_("occupation"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ResidentStatus.choices, default=ResidentStatus.LIVING)
    house = models.ForeignKey(
        House,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("house"),
        help_text=_("Where the person lives now: kept by the household moves."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "id_number_index"],
                condition=~Q(id_number_index=""),
                name="resident_id_number_unique_in_tenant",
            ),
            models.CheckConstraint(**check("sex", Sex)),
            models.CheckConstraint(**check("id_type", DocumentType)),
            models.CheckConstraint(**check("registration", Registration)),
            models.CheckConstraint(**check("status", ResidentStatus)),
            models.CheckConstraint(
                condition=Q(id_type=DocumentType.NONE, id_number_index="")
                | (~Q(id_type=DocumentType.NONE) & ~Q(id_number_index="")),
                name="resident_document_number_matches_type",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "phone_index"], name="resident_phone_index"),
            # A community's or a grid's list, by name: its page's ids read from the index alone (registry.views).
            models.Index(fields=["tenant", "community", "name", "id"], name="resident_community_name_id"),
            models.Index(fields=["tenant", "grid", "name", "id"], name="resident_grid_name_id"),
        ]

    def __str__(self):
        return self.name


class Household(ScopedModel):
    """A 户 living in one house: members come and go as history rows, never by editing earlier ones."""

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="households", verbose_name=_("house"))
    number = models.CharField(_("household number"), max_length=30, blank=True)
    formed_on = models.DateField(_("formed on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["house", "formed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("formed_on")),
                name="household_dissolved_after_formed",
            ),
        ]

    def __str__(self):
        return f"{self.house}"


class HouseholdMember(models.Model):
    """A person's membership of a household, from the day they joined to the day they left (history, kept)."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="memberships")
    relation = models.CharField(_("relation to the head"), max_length=12, choices=Relation.choices)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(left_on__isnull=True), name="member_of_one_household_at_a_time"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(left_on__isnull=True, relation="head"),
                name="household_has_one_current_head",
            ),
            models.CheckConstraint(**check("relation", Relation)),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")), name="member_leaves_after_joining"
            ),
        ]

    def __str__(self):
        return f"{self.resident} · {self.get_relation_display()}"


class HouseholdChange(models.Model):
    """One line of a household's history: formed, someone moved in or out, dissolved. Append-only."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="changes")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("change"), max_length=10, choices=HouseholdChangeKind.choices)
    on_date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household change")
        verbose_name_plural = _("household changes")
        ordering = ["household", "on_date", "id"]
        constraints = [models.CheckConstraint(**check("kind", HouseholdChangeKind))]

    def __str__(self):
        return f"{self.on_date} {self.get_kind_display()}"


class CareList(models.Model):
    """An entry of a tenant's care-list catalogue (独居老人, 低保户 …) and how often its members are visited."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=50)
    visit_every_days = models.PositiveSmallIntegerField(_("visit every (days)"), default=30)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("care list")
        verbose_name_plural = _("care lists")
        ordering = ["tenant", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="care_list_code_unique_in_tenant"),
            models.UniqueConstraint(fields=["tenant", "name"], name="care_list_name_unique_in_tenant"),
            models.CheckConstraint(condition=Q(visit_every_days__gte=1), name="care_list_visits_positive"),
        ]

    def __str__(self):
        return self.name


class CareListMember(ScopedModel):
    """A person on a care list: since when, why, and until when (ended memberships stay as history)."""

    care_list = models.ForeignKey(CareList, on_delete=models.PROTECT, related_name="members", verbose_name=_("care list"))
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="care", verbose_name=_("resident"))
    since = models.DateField(_("since"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)
    # The schedule as the sweep (registry.sweeps) last found it; the pages compute it afresh (registry.schedule).
    due_on = models.DateField(_("visit due on"), null=True, blank=True, editable=False)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("care-list member")
        verbose_name_plural = _("care-list members")
        ordering = ["care_list", "since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "care_list", "resident"], condition=Q(until__isnull=True), name="care_member_once_at_a_time"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")), name="care_member_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["grid", "overdue_since"], name="care_member_grid_overdue")]


class ThingType(models.Model):
    """An entry of a tenant's catalogue of things (部件): manhole covers, street lamps, hydrants, cameras …"""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=50)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("thing type")
        verbose_name_plural = _("thing types")
        ordering = ["tenant", "code"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="thing_type_code_unique_in_tenant"),
            models.UniqueConstraint(fields=["tenant", "name"], name="thing_type_name_unique_in_tenant"),
        ]

    def __str__(self):
        return self.name


class Thing(ScopedModel, Point):
    """A 部件 at a point in a grid; an event can name the thing it is about."""

    thing_type = models.ForeignKey(ThingType, on_delete=models.PROTECT, related_name="things", verbose_name=_("type"))
    code = models.CharField(_("code"), max_length=40, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.PROTECT, related_name="things", verbose_name=_("building")
    )
    status = models.CharField(_("status"), max_length=12, choices=ThingStatus.choices, default=ThingStatus.IN_SERVICE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thing")
        verbose_name_plural = _("things")
        ordering = ["thing_type", "code", "id"]
        constraints = [
            models.CheckConstraint(**check("status", ThingStatus)),
            *_point_checks("thing", required=True),
        ]

    def __str__(self):
        return f"{self.thing_type} {self.code}".strip()


class AccessRecord(ScopedModel):
    """Who saw whose personal data, when and why: every reveal, exact look-up and unmasked export. Append-only;
    stamped like the person, so the tenant's auditors (registry.audit) read it in their subtree."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("whose")
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("access"), max_length=8, choices=AccessKind.choices)
    field = models.CharField(_("data"), max_length=16, choices=PersonalField.choices)
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal-data access record")
        verbose_name_plural = _("personal-data access records")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(**check("kind", AccessKind)),
            models.CheckConstraint(**check("field", PersonalField)),
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | Q(organisation__isnull=False), name="access_record_has_subject"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "-created_at"], name="access_record_recent")]


# ---- patrols and household visits (巡查, 入户走访) -----------------------------------------------------------------


class Patrol(ScopedModel):
    """A grid worker's round of her grid: its track, its check-ins, its findings, and a summary at the end."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("grid worker")
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")), name="patrol_ends_after_start"
            ),
            models.UniqueConstraint(fields=["tenant", "worker"], condition=Q(ended_at__isnull=True), name="one_open_patrol"),
        ]
        indexes = [models.Index(fields=["grid", "-started_at"], name="patrol_grid_recent")]

    def __str__(self):
        return f"{self.worker} {self.started_at:%Y-%m-%d %H:%M}"


class PatrolPoint(models.Model):
    """One position of a patrol's track, numbered by the phone so a resend after a lost connection adds nothing."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="points")
    seq = models.PositiveIntegerField()
    recorded_at = models.DateTimeField()
    lon = models.FloatField()
    lat = models.FloatField()
    accuracy_m = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["patrol", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["patrol", "seq"], name="patrol_point_once"),
            models.CheckConstraint(
                condition=Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90), name="patrol_point_valid"
            ),
        ]

    def __str__(self):
        return f"{self.patrol_id}#{self.seq}"


class PatrolCheckIn(models.Model):
    """A check-in at a building (picked on the map or by its QR plate) or an organisation during a patrol."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="check_ins")
    building = models.ForeignKey(Building, null=True, blank=True, on_delete=models.PROTECT, related_name="check_ins")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="check_ins"
    )
    at = models.DateTimeField(_("checked in at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    by_qr = models.BooleanField(_("by QR plate"), default=False)

    class Meta:
        ordering = ["patrol", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(building__isnull=False) | Q(organisation__isnull=False), name="check_in_has_place"
            ),
        ]
        indexes = [models.Index(fields=["building", "at"], name="check_in_building_at")]

    def __str__(self):
        return f"{self.patrol_id} {self.at:%H:%M}"


class PatrolFinding(models.Model):
    """A finding of a patrol filed as an event (through the events services), with the building it concerns."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="findings")
    event = models.OneToOneField("events.Event", on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(Building, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.patrol_id} → {self.event_id}"


class Visit(ScopedModel):
    """A household visit (入户走访): who, when, why, what was found. Visits to care-list households count towards
    their schedule."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="visits", verbose_name=_("household"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("visitor")
    )
    visited_on = models.DateField(_("visited on"))
    purpose = models.CharField(_("purpose"), max_length=100)
    findings = models.TextField(_("findings"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household visit")
        verbose_name_plural = _("household visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["household", "-visited_on"], name="visit_household_recent")]

    def __str__(self):
        return f"{self.household} {self.visited_on}"


class VisitReminder(models.Model):
    """A grid worker told that a care-list member of her grid is overdue for a visit (once per due day); it is
    resolved by the visit (the sweep marks it), and counts on her menu's badge until then."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(CareListMember, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField(_("visit due on"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("visit reminder")
        verbose_name_plural = _("visit reminders")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "member", "due_on"], name="visit_reminder_once_per_due_day"),
        ]
        indexes = [models.Index(fields=["user", "resolved_at"], name="visit_reminder_open")]

    def __str__(self):
        return f"{self.user_id} {self.member_id} {self.due_on}"
