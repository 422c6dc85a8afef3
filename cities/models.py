"""The city level (市): a city groups districts (tenants) and its officers read their counts, never their records.

A city is not a tenant: it owns no scoped record and no grid tree. Its officers hold a post at the city
(`CityAssignment`, the city's 三定: person, title, duties, from–to dates), administered by platform admins only; they
belong to no tenant, so the district's scope (grids.scope) gives them nothing and every district page, list,
export and API answers them as it answers a missing id (docs/cities.md, docs/adr/0019-the-city-level.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class City(models.Model):
    """A city (市) over some districts: one roll-up dashboard, one ranking, one sheet for its officers."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=12, unique=True, help_text=_("Administrative division code, e.g. 340100."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self):
        return self.name


class CityDistrict(models.Model):
    """A district (tenant) of a city; a district is in one city at most."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="districts", verbose_name=_("city"))
    tenant = models.OneToOneField(
        "grids.Tenant", on_delete=models.PROTECT, related_name="city_district", verbose_name=_("district")
    )

    class Meta:
        ordering = ["city", "tenant__code"]
        verbose_name = _("district of a city")
        verbose_name_plural = _("districts of a city")

    def __str__(self):
        return f"{self.city} · {self.tenant}"


class CityAssignmentQuerySet(models.QuerySet):
    def current(self, on_date):
        """Posts in force on the given date."""
        return self.filter(start_date__lte=on_date).filter(Q(end_date__isnull=True) | Q(end_date__gte=on_date))


class CityAssignment(models.Model):
    """A post at a city (市级岗位): this user reads the city's roll-up and its districts' counts from–to."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("city"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="city_assignments", verbose_name=_("user")
    )
    title = models.CharField(_("title"), max_length=100)
    duties = models.TextField(_("duties"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = CityAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["city", "start_date", "id"]
        verbose_name = _("city post")
        verbose_name_plural = _("city posts")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="city_assignment_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.city} · {self.title}"

    def clean(self):
        """A city officer belongs to no district: a district's account would carry its tenant's scope with it."""
        super().clean()
        user = getattr(self, "user", None)
        if user is not None and (user.tenant_id is not None or user.is_superuser):
            raise ValidationError(
                {"user": _("A city officer holds no account of a district: create an account without a tenant.")}
            )
