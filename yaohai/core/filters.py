"""django-filter filters that refuse what they cannot read (the API's filters answer 400 with the reason):
a boolean is true or false, not "maybe"; a date-time's offset from UTC is one a place on Earth uses."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django_filters.fields import IsoDateTimeField

TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}
MAX_UTC_OFFSET = dt.timedelta(hours=14)  # Kiribati; PostgreSQL refuses anything past ±15:59


class StrictBooleanField(forms.Field):
    """true/false (1/0, yes/no, on/off, any case); empty is "not filtered"; anything else is refused."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValidationError(_("Enter true or false."), code="invalid")


class StrictCheckboxInput(forms.CheckboxInput):
    """A checkbox whose submitted value reaches the field as sent (Django's reads any text as "checked")."""

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return False
        value = data.get(name)
        return value if isinstance(value, str) else bool(value)


class StrictCheckboxField(StrictBooleanField):
    """A form checkbox: checked ("on", true, 1…), unchecked, or refused — never "maybe" read as checked."""

    widget = StrictCheckboxInput

    def to_python(self, value):
        return bool(super().to_python(value))


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class BoundedDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time whose offset is within ±14:00, read as UTC."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        offset = value.utcoffset()
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            raise ValidationError(_("The offset from UTC must lie between -14:00 and +14:00."), code="invalid")
        return value.astimezone(dt.UTC) if offset is not None else value


class BoundedDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedDateTimeField


class StrictFilterSet(django_filters.FilterSet):
    """The API's FilterSet: booleans and date-times read strictly (the others already refuse bad input)."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
        models.DateTimeField: {"filter_class": BoundedDateTimeFilter},
    }
