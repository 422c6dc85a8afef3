"""Events filed from the grids, their categories and time limits, handling units, the immutable log, photos,
the working calendar and in-app notifications. Written only by events.services (and the admin for catalogues)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from grids.models import GridNode, ScopedModel, ScopeStamps, Tenant
from grids.querysets import ScopedQuerySet, TenantQuerySet

from . import rollups
from .choices import (
    OPEN_STATUSES,
    CloseReason,
    LogAction,
    NotificationKind,
    PhotoKind,
    RatingSource,
    RejectReason,
    RequestStatus,
    Satisfaction,
    Source,
    Status,
    TimeUnit,
    UnitKind,
    Urgency,
)
from .querysets import EventQuerySet


def _in(field: str, choices) -> Q:
    return Q(**{f"{field}__in": list(choices.values)})


def _in_values(field: str, values) -> Q:
    return Q(**{f"{field}__in": [str(v) for v in values]})



# The longest texts a user may type (forms, the API and the services refuse longer ones): a description of a
# page or two, a note of a paragraph. Without a bound, one 2,000,000-character description made a 5.9 MB page.
TITLE_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 1000

class Category(models.Model):
    """A tenant's two-level event taxonomy (大类 / 小类); subcategories carry the time limits."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("main category"),
        help_text=_("Empty for a main category (大类); a subcategory (小类) names its main category."),
    )
    name = models.CharField(_("name"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    accept_limit = models.PositiveIntegerField(_("acceptance limit"), default=2)
    accept_time_unit = models.CharField(
        _("acceptance time unit"), max_length=14, choices=TimeUnit.choices, default=TimeUnit.WORKING_HOURS
    )
    handle_limit = models.PositiveIntegerField(_("handling limit"), default=3)
    handle_time_unit = models.CharField(
        _("handling time unit"), max_length=14, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    verify_limit = models.PositiveIntegerField(_("verification limit"), default=1)
    verify_time_unit = models.CharField(
        _("verification time unit"), max_length=14, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("event category")
        verbose_name_plural = _("event categories")
        ordering = ["tenant", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "name"], condition=Q(parent__isnull=True), name="event_main_category_unique"
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="event_subcategory_unique"),
            models.CheckConstraint(condition=_in("accept_time_unit", TimeUnit), name="category_accept_time_unit_valid"),
            models.CheckConstraint(condition=_in("handle_time_unit", TimeUnit), name="category_handle_time_unit_valid"),
            models.CheckConstraint(condition=_in("verify_time_unit", TimeUnit), name="category_verify_time_unit_valid"),
            models.CheckConstraint(
                condition=Q(accept_limit__gt=0, handle_limit__gt=0, verify_limit__gt=0),
                name="category_limits_positive",
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class HandlingUnit(models.Model):
    """A department, property company or the grid's own staff that events are dispatched to; members act for it."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    node = models.ForeignKey(
        "grids.GridNode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("serves node"),
        help_text=_("Optional: the node whose area this unit serves."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="handling_units", verbose_name=_("members")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["tenant", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="handling_unit_name_unique"),
            models.CheckConstraint(condition=_in("kind", UnitKind), name="handling_unit_kind_valid"),
        ]

    def __str__(self):
        return self.name


class Event(ScopedModel):
    """An issue filed from a grid, carried through the workflow in events.choices until it is closed."""

    reference = models.CharField(_("reference"), max_length=24, editable=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    # The category's main category (大类) when the event was filed: the dashboards' rollups group on it.
    main_category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", editable=False, verbose_name=_("main category")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.GRID_WORKER)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reporter")
    )
    resident_name = models.CharField(_("resident's name"), max_length=50, blank=True)
    # The caller's phone, sealed like the registry's (yaohai.core.personal): pages and the API show the mask;
    # a reveal (events.services.contact) decrypts it for those who may call back, and leaves an audit row.
    resident_phone_encrypted = models.TextField(blank=True, editable=False)
    resident_phone_index = models.CharField(max_length=64, blank=True, editable=False)
    resident_phone_masked = models.CharField(_("resident's phone"), max_length=20, blank=True, editable=False)
    handled_on_spot = models.BooleanField(_("handled on the spot"), default=False)
    needs_recheck = models.BooleanField(
        _("sampled for a re-check"), default=False, help_text=_("A 自处置 event picked for a check by someone else.")
    )

    current_unit = models.ForeignKey(
        HandlingUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("handling unit")
    )
    current_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handler"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handled by"),
    )

    accept_due = models.DateTimeField(_("accept by"), null=True, blank=True)
    handle_due = models.DateTimeField(_("handle by"), null=True, blank=True)
    verify_due = models.DateTimeField(_("verify by"), null=True, blank=True)
    due_at = models.DateTimeField(_("current deadline"), null=True, blank=True, editable=False)
    is_near_deadline = models.BooleanField(_("near deadline"), default=False)
    is_overdue = models.BooleanField(_("overdue"), default=False)
    paused_at = models.DateTimeField(_("clock paused at"), null=True, blank=True)
    paused_remaining = models.DurationField(_("working time left when paused"), null=True, blank=True)
    # The first answer (受理 or 不予受理), set by the services in the step's transaction: the assessment's
    # on-time acceptance reads this column instead of the log (assessment/scoring.py).
    answered_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the event was first accepted or rejected."
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    # Kept by the services in the same transaction as the step, so the KPIs read columns, not the log.
    rework_count = models.PositiveSmallIntegerField(_("times sent back for rework"), default=0, editable=False)
    extension_count = models.PositiveSmallIntegerField(_("extensions approved"), default=0, editable=False)
    escalated_to = models.ForeignKey(
        "grids.GridNode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("escalated to"),
    )
    escalated_deadline = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="The deadline the last escalation was for."
    )

    reject_reason = models.CharField(_("reject reason"), max_length=12, choices=RejectReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("duplicate of")
    )
    close_reason = models.CharField(_("close reason"), max_length=16, choices=CloseReason.choices, blank=True)
    responsible_party = models.CharField(_("responsible party"), max_length=100, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # 群众满意度: the resident's rating once closed (the residents app) or the follow-up call's (回访); kpis.py.
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    satisfaction_source = models.CharField(max_length=10, choices=RatingSource.choices, blank=True, editable=False)
    satisfaction_comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True, editable=False)

    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "reference"], name="event_reference_unique"),
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="event_idempotency_key_unique",
            ),
            models.CheckConstraint(condition=_in("status", Status), name="event_status_valid"),
            models.CheckConstraint(condition=_in("source", Source), name="event_source_valid"),
            models.CheckConstraint(
                condition=Q(satisfaction="") | Q(satisfaction__in=Satisfaction.values, rated_at__isnull=False),
                name="event_satisfaction_valid",
            ),
            models.CheckConstraint(condition=_in("urgency", Urgency), name="event_urgency_valid"),
            models.CheckConstraint(
                condition=Q(reject_reason="") | _in("reject_reason", RejectReason), name="event_reject_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(close_reason="") | _in("close_reason", CloseReason), name="event_close_reason_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | ~Q(close_reason=""), name="event_closed_has_reason"
            ),
            models.CheckConstraint(
                condition=(Q(lon__isnull=True) & Q(lat__isnull=True))
                | Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90),
                name="event_location_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "community", "status"], name="event_community_status"),
            models.Index(fields=["tenant", "street", "status"], name="event_street_status"),
            models.Index(fields=["tenant", "grid", "status"], name="event_grid_status"),
            models.Index(fields=["tenant", "status", "due_at"], name="event_status_due"),
            models.Index(fields=["status", "due_at"], name="event_sweep"),
            models.Index(fields=["current_unit", "status"], name="event_unit_status"),
            models.Index(fields=["current_handler", "status"], name="event_handler_status"),
            models.Index(fields=["reporter", "status"], name="event_reporter_status"),
            # The event list, newest first: one index per branch of the visibility (events.querysets.
            # visible_branches), each read backwards from its value, so any page costs ~51 index entries.
            # The tenant's serves the district level too (a tenant has one district).
            models.Index(fields=["tenant", "created_at", "id"], name="event_list_tenant"),
            *(
                models.Index(fields=["tenant", level, "created_at", "id"], name=f"event_list_{level}")
                for level in ("street", "community", "grid")
            ),
            models.Index(fields=["reporter", "created_at", "id"], name="event_list_reporter"),
            models.Index(
                fields=["current_handler", "created_at", "id"],
                condition=Q(current_handler__isnull=False),
                name="event_list_handler",
            ),
            models.Index(
                fields=["current_unit", "created_at", "id"],
                condition=Q(current_unit__isnull=False),
                name="event_list_unit",
            ),
            # The work queue (待办), soonest deadline first: one status on one node per branch
            # (events.selectors.work_queue), over the open events and the closed ones sampled for a re-check.
            models.Index(
                fields=["tenant", "status", "due_at"],
                condition=_in_values("status", OPEN_STATUSES) | Q(needs_recheck=True),
                name="event_queue_tenant",
            ),
            *(
                models.Index(
                    fields=["tenant", level, "status", "due_at"],
                    condition=_in_values("status", OPEN_STATUSES) | Q(needs_recheck=True),
                    name=f"event_queue_{level}",
                )
                for level in ("street", "community", "grid")
            ),
            # Open events are a few per cent of the table: the dashboards' live counts (overdue, paused) and
            # overdue lists read the range's open events from one small partial index per level (index-only).
            *(
                models.Index(
                    fields=["tenant", level, "created_at"],
                    include=["id", "due_at", "paused_at", "main_category", "street", "community", "grid"],
                    condition=_in_values("status", OPEN_STATUSES),
                    name=f"event_open_{level}",
                )
                for level in ("district", "street", "community")
            ),
            # Rated events (群众满意度) are few: the dashboards' and the city's ratings count reads them from one small
            # partial index (index-only) instead of every event of the range (events.panels.live_counts).
            models.Index(
                fields=["tenant", "created_at"],
                include=["district", "street", "community", "grid", "main_category", "satisfaction"],
                condition=~Q(satisfaction=""),
                name="event_rated",
            ),
            # Candidate duplicates (events/duplicates.py, 这里已有人上报): the open events of one subcategory filed in
            # the window; the bounding box is checked on the few rows left (bench/duplicates.py, docs/bench.md).
            models.Index(
                fields=["tenant", "category", "created_at"],
                include=["lat", "lon"],
                condition=_in_values("status", OPEN_STATUSES),
                name="event_open_category",
            ),
            # The monthly assessment reads a tenant's month of events, index-only, with every column it counts
            # (assessment/scoring.py, docs/assessment.md).
            models.Index(
                fields=["tenant", "created_at"],
                include=[
                    "grid", "reporter", "status", "accept_due", "answered_at", "handled_on_spot",
                    "escalation_level", "verify_due", "closed_at", "rework_count", "due_at", "paused_at",
                ],
                name="event_assessment_month",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    # The dashboards' pre-aggregated counts (EventRollup) follow every save and delete of an event in the same
    # transaction — in the events services' one write seam (events.services.writes.save_event / delete_event), not
    # here: the row is loaded with what it counted for, and the seam moves it from the old counters to the new
    # ones and retires the dashboards of its nodes. A save or delete outside the seam would leave the counts wrong,
    # so it raises UnseamedWrite. A generated history goes in through the seam's bulk door (services.insert_history);
    # other bulk writes (QuerySet.update, bulk_create, COPY) bypass both and must be followed by `rollups.rebuild` —
    # grids' subtree moves and the bench generator do so.

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_state = rollups.state(instance)
        return instance

    def save(self, *args, **kwargs):
        if not getattr(self, "_in_write_seam", False):
            raise UnseamedWrite("Event.save()")
        if self.main_category_id is None and self.category_id is not None:
            self.main_category_id = Category.objects.filter(pk=self.category_id).values_list(
                Coalesce("parent_id", "id"), flat=True
            ).first()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not getattr(self, "_in_write_seam", False):
            raise UnseamedWrite("Event.delete()")
        return super().delete(*args, **kwargs)

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._loaded_state = None  # read again at the next save: the refresh may have been partial

    def stored_state(self, *, reload: bool = False):
        """What this row counts for in the database: as loaded, or read again if it was loaded partly."""
        loaded = None if reload else getattr(self, "_loaded_state", None)
        if loaded is None:
            stored = Event._base_manager.using(self._state.db).filter(pk=self.pk).first()
            loaded = stored._loaded_state if stored is not None else None
        return loaded


class UnseamedWrite(RuntimeError):
    """An event written around the services' write seam: its dashboard rollups would be left wrong."""

    def __init__(self, what: str):
        super().__init__(
            f"{what} outside events.services.save_event/delete_event would leave the dashboards' rollups wrong: "
            "write events through the services (bulk writes: follow them with events.rollups.rebuild)."
        )


class EventSequence(models.Model):
    """The last reference number given out per tenant and day (340102-20261126-0001, -0002, …)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "day"], name="event_sequence_unique")]

    def __str__(self):
        return f"{self.tenant_id} {self.day} {self.last}"


class EventLog(models.Model):
    """One step of an event's history: who did what, from which status to which, when. Never changed."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="logs", verbose_name=_("event"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=16, choices=LogAction.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event log")
        verbose_name_plural = _("event logs")
        ordering = ["event", "id"]
        constraints = [
            models.CheckConstraint(condition=_in("action", LogAction), name="event_log_action_valid"),
            models.CheckConstraint(condition=_in("to_status", Status), name="event_log_to_valid"),
            models.CheckConstraint(
                condition=Q(from_status="") | _in("from_status", Status), name="event_log_from_valid"
            ),
        ]

    def __str__(self):
        return f"{self.event_id} {self.action}"

    def save(self, *args, **kwargs):
        # A guard, not logic: the log is append-only.
        if not self._state.adding:
            raise ValueError("EventLog rows are immutable.")
        super().save(*args, **kwargs)


def _photo_path(instance, filename):
    return f"events/{instance.event_id}/{filename}"


class EventPhoto(models.Model):
    """A photo of an event (at reporting, before/after an on-the-spot fix, or handling evidence), metadata stripped."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="photos", verbose_name=_("event"))
    log = models.ForeignKey(
        EventLog, null=True, blank=True, on_delete=models.PROTECT, related_name="photos", verbose_name=_("step")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PhotoKind.choices, default=PhotoKind.REPORT)
    image = models.ImageField(_("image"), upload_to=_photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")
        ordering = ["event", "id"]
        constraints = [models.CheckConstraint(condition=_in("kind", PhotoKind), name="event_photo_kind_valid")]

    def __str__(self):
        return f"{self.event_id} {self.kind}"


class DecidedRequest(models.Model):
    """What a handler's request to a dispatcher holds, whatever it asks for: who asked and why, and the decision."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=NOTE_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["event", "id"]


class ExtensionRequest(DecidedRequest):
    """A handler's request for more time on an event's handling deadline, approved or denied by a dispatcher."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="extension_requests")
    amount = models.PositiveIntegerField(_("how much"))
    time_unit = models.CharField(_("time unit"), max_length=14, choices=TimeUnit.choices)

    class Meta(DecidedRequest.Meta):
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(status=RequestStatus.PENDING), name="one_pending_extension"
            ),
            models.CheckConstraint(condition=_in("status", RequestStatus), name="extension_status_valid"),
            models.CheckConstraint(condition=_in("time_unit", TimeUnit), name="extension_time_unit_valid"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="extension_amount_positive"),
        ]

    def __str__(self):
        return f"{self.event_id} +{self.amount} {self.time_unit} ({self.status})"


class PauseRequest(DecidedRequest):
    """A handler's request to stop an event's handling clock while it waits on others, decided by a dispatcher."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="pause_requests")

    class Meta(DecidedRequest.Meta):
        verbose_name = _("pause request")
        verbose_name_plural = _("pause requests")
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(status=RequestStatus.PENDING), name="one_pending_pause"
            ),
            models.CheckConstraint(condition=_in("status", RequestStatus), name="pause_status_valid"),
        ]

    def __str__(self):
        return f"{self.event_id} pause ({self.status})"


class CalendarDay(models.Model):
    """One day of the working calendar: whether it is a working day (public holidays, 调休 weekends)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("working calendar")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"


class Notification(models.Model):
    """An in-app message to one user (the bell, 通知): about an event (assignment, return, overdue, escalation …)
    or about a record of an app right of events (a mediation case), its `subject`; events.notifications writes
    and presents them, so there is one notification mechanism for every app."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=_in("kind", NotificationKind), name="notification_kind_valid"),
            models.CheckConstraint(
                condition=(Q(event__isnull=False) & Q(subject_type__isnull=True) & Q(subject_id__isnull=True))
                | (Q(event__isnull=True) & Q(subject_type__isnull=False) & Q(subject_id__isnull=False)),
                name="notification_one_subject",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.event_id or self.subject_id}"

    @property
    def link(self) -> str:
        """The page it leads to (its event's, or its subject's as the subject's app registered it)."""
        from .notifications import link_of

        return link_of(self)

    @property
    def title(self) -> str:
        from .notifications import title_of

        return title_of(self)


ROLLUP_LEVELS = ("street", "community", "grid")
ROLLUP_SPANS = ("day", "month")


class EventRollup(ScopeStamps):
    """Pre-aggregated counts of the events reported on one day (or in one month), in one main category, under
    one node.

    Every event counts once at each of the levels street, community and grid, in the rows of the nodes it is
    stamped with, once in the row of its day and once in the row of its month. Its counts move with each save of
    the event (events.services.save_event → events.rollups.apply), in the same transaction, so the rows are exact, not eventually
    consistent; `check_rollups` compares them with a recount. A dashboard of node N reads the rows whose `parent`
    is N (one per child, main category and day or month); a grid's dashboard reads its own rows. "Overdue now" and "paused" depend on the clock and are counted live."""

    # No single-column index per stamp: a dashboard reads by (parent, span, day) or (node, …), and an index on a
    # stamp would tempt PostgreSQL to AND the scope's `street_id IN (…)` with it (100 k entries for a street).
    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant"), db_index=False
    )
    district = models.ForeignKey(
        GridNode, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    street = models.ForeignKey(
        GridNode, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    community = models.ForeignKey(
        GridNode, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    grid = models.ForeignKey(
        GridNode, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    level = models.CharField(max_length=10, choices=[(level, level) for level in ROLLUP_LEVELS], editable=False)
    # A row counts the events of one day, or of one calendar month (`day` is then the 1st): a long range sums
    # its whole months from month rows and only its partial months from day rows.
    span = models.CharField(max_length=5, choices=[(span, span) for span in ROLLUP_SPANS], editable=False)
    node = models.ForeignKey(GridNode, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False)
    parent = models.ForeignKey(GridNode, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False)
    main_category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    day = models.DateField(editable=False)
    # How many of the day's events are in each status now: `s_<status>` for each events.choices.Status value.
    s_reported = models.IntegerField(default=0)
    s_accepted = models.IntegerField(default=0)
    s_rejected = models.IntegerField(default=0)
    s_dispatched = models.IntegerField(default=0)
    s_in_progress = models.IntegerField(default=0)
    s_handled = models.IntegerField(default=0)
    s_rework = models.IntegerField(default=0)
    s_closed = models.IntegerField(default=0)
    # The conditional counts of events.kpis, over the same events.
    closed_on_time = models.IntegerField(default=0)
    went_through_handling = models.IntegerField(default=0)
    reworked = models.IntegerField(default=0)
    dispatched = models.IntegerField(default=0)
    extended = models.IntegerField(default=0)
    # Σ (closed_at − created_at) over the closed events, in microseconds: the mean handling time's numerator.
    handling_us = models.BigIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("event rollup")
        verbose_name_plural = _("event rollups")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "node", "main_category", "span", "day"], name="eventrollup_key"),
            models.CheckConstraint(condition=Q(level__in=ROLLUP_LEVELS), name="eventrollup_level_valid"),
            models.CheckConstraint(condition=Q(span__in=ROLLUP_SPANS), name="eventrollup_span_valid"),
        ]
        indexes = [models.Index(fields=["parent", "span", "day"], name="eventrollup_parent_day")]

    def __str__(self):
        return f"{self.node_id}/{self.main_category_id}/{self.span}/{self.day}"
