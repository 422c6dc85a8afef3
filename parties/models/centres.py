"""Party–mass service centres at three levels with their sections, and their activities: sign-ups never beyond
the places (the activity row is locked while counting), check-in (the source of the points passbook's service
records: parties.signals.attendance_recorded), summary."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grids.models import ScopedModel

from ..choices import CentreLevel, Section, check
from .members import PERSON_OR_USER


class ServiceCentre(ScopedModel):
    """A party–mass service centre (党群服务中心) of a street or community, or a compound station (家门口服务站)."""

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=CentreLevel.choices)
    compound = models.ForeignKey(
        "registry.Compound", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("compound"),
    )
    place = models.CharField(_("address"), max_length=200)
    hours = models.CharField(_("opening hours"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        ordering = ["level", "name", "id"]
        constraints = [
            models.CheckConstraint(**check("level", CentreLevel)),
            models.UniqueConstraint(fields=["tenant", "name"], name="party_centre_name_unique_in_tenant"),
        ]

    def __str__(self):
        return self.name


class CentreSection(models.Model):
    """A section of a centre (基层党建, 协商自治, 文体活动, 便民服务, 公益兴趣) and what it offers."""

    centre = models.ForeignKey(ServiceCentre, on_delete=models.PROTECT, related_name="sections")
    section = models.CharField(_("section"), max_length=12, choices=Section.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("centre section")
        verbose_name_plural = _("centre sections")
        ordering = ["centre", "section"]
        constraints = [
            models.CheckConstraint(**check("section", Section)),
            models.UniqueConstraint(fields=["centre", "section"], name="party_centre_section_once"),
        ]

    def __str__(self):
        return f"{self.centre} · {self.get_section_display()}"


class Activity(ScopedModel):
    """An activity of a centre's section: when, where, how many places, who organises it; stamped at the centre."""

    centre = models.ForeignKey(ServiceCentre, on_delete=models.PROTECT, related_name="activities")
    section = models.CharField(_("section"), max_length=12, choices=Section.choices)
    title = models.CharField(_("title"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("places"))
    signed_up = models.PositiveSmallIntegerField(_("signed up"), default=0, editable=False)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(**check("section", Section)),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="party_activity_has_places"),
            models.CheckConstraint(condition=Q(signed_up__lte=F("capacity")), name="party_activity_never_overbooked"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="party_activity_ends_after_start"),
        ]
        indexes = [models.Index(fields=["tenant", "starts_at"], name="party_activity_start")]

    def __str__(self):
        return self.title

    @property
    def places_left(self) -> int:
        return self.capacity - self.signed_up

    @property
    def hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 1)


class SignUp(ScopedModel):
    """A resident or member signed up for an activity, and checked in there (or not)."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="sign_ups")
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("staff user"),
    )
    signed_up_at = models.DateTimeField(_("signed up at"))
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["activity", "signed_up_at", "id"]
        constraints = [
            models.CheckConstraint(condition=PERSON_OR_USER, name="party_sign_up_is_a_person_or_a_user"),
            models.UniqueConstraint(fields=["tenant", "activity", "resident"], name="party_sign_up_person_once"),
            models.UniqueConstraint(fields=["tenant", "activity", "user"], name="party_sign_up_user_once"),
        ]

    def __str__(self):
        return f"{self.activity} · {self.resident or self.user}"


def _photo_path(instance, filename):
    return f"parties/activities/{instance.activity_id}/{filename}"


class ActivityPhoto(models.Model):
    """A photo of an activity, taken there and added after it (re-encoded by events.images: no EXIF, no GPS);
    served only through the scoped view `parties:activity-photo`, never as a published folder."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="photos", verbose_name=_("activity"))
    image = models.ImageField(_("image"), upload_to=_photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["activity", "id"]

    def __str__(self):
        return f"{self.activity_id} #{self.pk}"
