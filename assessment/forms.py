"""Forms of the officers' assessment page: compute (or recompute with a reason) a month, publish a version."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .months import MonthError, parse_month


class MonthField(forms.CharField):
    """'YYYY-MM' → the month's first day; a malformed month is a clear message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month", "class": "form-control form-control-sm"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_month(value)
        except MonthError as error:
            raise forms.ValidationError(str(error), code="month") from None


class ComputeForm(forms.Form):
    month = MonthField(label=_("Month"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("Required to recompute a published month: the new version keeps it."),
    )


class PublishForm(forms.Form):
    month = MonthField(label=_("Month"))
    version = forms.IntegerField(label=_("Version"), min_value=1, max_value=32767)
