"""Co-governance committees (网格共治委员会) with members by seat and term, and consultation (协商议事): topics
carried through the table of parties.workflows, meetings with attendees, minutes and votes, follow-up tasks that
may become events, and public notices (公示) shown only once published."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grids.models import ScopedModel
from grids.querysets import ScopedQuerySet

from ..choices import Seat, TopicSource, TopicStatus, check
from .members import PERSON_OR_USER


class Committee(ScopedModel):
    """The co-governance committee of one grid, or of one compound (stamped at its grid)."""

    name = models.CharField(_("name"), max_length=100)
    compound = models.ForeignKey(
        "registry.Compound", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("compound"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("co-governance committee")
        verbose_name_plural = _("co-governance committees")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "node"], condition=Q(compound__isnull=True), name="party_committee_per_grid"),
            models.UniqueConstraint(fields=["tenant", "compound"], name="party_committee_per_compound"),
        ]

    def __str__(self):
        return self.name


class CommitteeSeat(ScopedModel):
    """Someone holding a seat of a committee for a term: a registry person or a staff user."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="seats")
    seat = models.CharField(_("seat"), max_length=20, choices=Seat.choices)
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("staff user"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("for the unit"),
    )
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        ordering = ["committee", "seat", "id"]
        constraints = [
            models.CheckConstraint(**check("seat", Seat)),
            models.CheckConstraint(condition=PERSON_OR_USER, name="party_seat_is_a_person_or_a_user"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")), name="party_seat_term_valid"
            ),
        ]

    def __str__(self):
        return f"{self.committee} · {self.get_seat_display()}"

    @property
    def person_name(self) -> str:
        return str(self.resident or self.user)


class Topic(ScopedModel):
    """A consultation topic (议题) at street, community or grid level, carried through TOPIC_WORKFLOW."""

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="topics", verbose_name=_("committee")
    )
    source = models.CharField(_("raised"), max_length=12, choices=TopicSource.choices)
    raised_by_resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("raised by"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("from event")
    )
    status = models.CharField(_("status"), max_length=12, choices=TopicStatus.choices, default=TopicStatus.RAISED)
    due_on = models.DateField(_("to be resolved by"))
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("raised at"))

    class Meta:
        verbose_name = _("consultation topic")
        verbose_name_plural = _("consultation topics")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(**check("status", TopicStatus)),
            models.CheckConstraint(**check("source", TopicSource)),
            models.CheckConstraint(
                condition=~Q(source=TopicSource.EVENT) | Q(event__isnull=False), name="party_topic_from_event_has_one"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[TopicStatus.RESOLVED, TopicStatus.IMPLEMENTED, TopicStatus.CLOSED])
                | (Q(resolved_on__isnull=False) & ~Q(resolution="")),
                name="party_topic_resolved_has_a_resolution",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status", "due_on"], name="party_topic_status")]

    def __str__(self):
        return self.title


class TopicLog(models.Model):
    """One step of a topic's life: who, from, to, note, when. Append-only."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="logs")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("topic log")
        verbose_name_plural = _("topic logs")
        ordering = ["topic", "at", "id"]

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"


class Meeting(ScopedModel):
    """A consultation meeting on a topic: when and where, then its minutes (stamped at the topic's node)."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=100)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    held = models.BooleanField(_("held"), default=False)

    class Meta:
        verbose_name = _("consultation meeting")
        verbose_name_plural = _("consultation meetings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(held=False) | ~Q(minutes=""), name="party_meeting_held_has_minutes")
        ]

    def __str__(self):
        return f"{self.topic} @ {self.starts_at:%Y-%m-%d}"


class Attendee(models.Model):
    """Someone who signed in at a meeting: a registry person, a staff user, or a seat of the committee."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendees")
    resident = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    seat = models.ForeignKey(CommitteeSeat, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.CheckConstraint(condition=PERSON_OR_USER, name="party_attendee_is_a_person_or_a_user"),
            models.UniqueConstraint(fields=["meeting", "resident"], name="party_attendee_person_once"),
            models.UniqueConstraint(fields=["meeting", "user"], name="party_attendee_user_once"),
        ]

    def __str__(self):
        return str(self.resident or self.user)


class Vote(models.Model):
    """The count of one vote taken at a meeting (for, against, abstaining)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="votes")
    motion = models.CharField(_("motion"), max_length=200)
    in_favour = models.PositiveSmallIntegerField(_("for"))
    against = models.PositiveSmallIntegerField(_("against"))
    abstaining = models.PositiveSmallIntegerField(_("abstaining"), default=0)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["meeting", "id"]

    def __str__(self):
        return self.motion

    @property
    def carried(self) -> bool:
        return self.in_favour > self.against


class FollowUp(ScopedModel):
    """A task that carries out a resolution; it may be filed as an event, which links back here."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="follow_ups")
    title = models.CharField(_("task"), max_length=100)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    event = models.OneToOneField(
        "events.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("event")
    )

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["topic", "id"]

    def __str__(self):
        return self.title


class NoticeQuerySet(ScopedQuerySet):
    def published(self):
        """Only notices that were published: a draft is never shown, whoever asks."""
        return self.filter(published_at__isnull=False)

    def showing(self, on_date):
        """Published notices still within their notice period on `on_date`."""
        return self.published().filter(published_at__date__lte=on_date, ends_on__gte=on_date)


class Notice(ScopedModel):
    """A public notice (公示) of a topic's result: a draft until published, then shown for its notice period."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    period_days = models.PositiveSmallIntegerField(_("notice period (days)"), default=7)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    ends_on = models.DateField(_("shown until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_days__gte=1, period_days__lte=90), name="party_notice_period"),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True, ends_on__isnull=True)
                | Q(published_at__isnull=False, ends_on__isnull=False),
                name="party_notice_published_has_an_end",
            ),
        ]

    def __str__(self):
        return self.title
