"""The city level's writes: a city, its districts, its officers' posts — each in a transaction and on the audit
trail (platform-wide: a city is no tenant's). Idempotent, so the demo and a deployment script can run them again."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import services as audit
from grids.models import Tenant, User

from .models import City, CityAssignment, CityDistrict


@transaction.atomic
def create_city(*, name: str, code: str, actor: User | None = None) -> City:
    """A city by its code (the one that exists, else a new one)."""
    city, created = City.objects.get_or_create(code=code, defaults={"name": name})
    if created:
        audit.record("cities.create", city, actor=actor, tenant_id=0, after={"name": name, "code": code})
    return city


@transaction.atomic
def add_district(*, city: City, tenant: Tenant, actor: User | None = None) -> CityDistrict:
    """Put a district in the city (a district already in another city stays there: ValidationError)."""
    link, created = CityDistrict.objects.get_or_create(tenant=tenant, defaults={"city": city})
    if link.city_id != city.pk:
        raise ValidationError(_("%(district)s belongs to another city.") % {"district": tenant})
    if created:
        audit.record("cities.add_district", link, actor=actor, tenant_id=0, after={"city": city.pk, "tenant": tenant.pk})
    return link


@transaction.atomic
def assign_officer(
    *, city: City, user: User, title: str, start_date: dt.date, end_date: dt.date | None = None, actor: User | None = None
) -> CityAssignment:
    """A post at the city for an account of no district (CityAssignment.clean); the same post again is kept."""
    post = CityAssignment.objects.filter(city=city, user=user, title=title, start_date=start_date).first()
    if post is not None:
        return post
    post = CityAssignment(city=city, user=user, title=title, start_date=start_date, end_date=end_date)
    post.full_clean()
    post.save()
    audit.record("cities.assign", post, actor=actor, tenant_id=0,
                 after={"city": city.pk, "user": user.pk, "title": title, "start_date": start_date, "end_date": end_date})
    return post
