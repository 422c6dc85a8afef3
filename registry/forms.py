"""HTML forms of the registry pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import PersonalField, ResidentStatus

IMPORT_KINDS = (
    ("buildings", _("Buildings")),
    ("houses", _("Houses")),
    ("residents", _("Residents")),
    ("care", _("Care lists")),
)


class ResidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=50)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(ResidentStatus.choices)
    )
    care_list = forms.TypedChoiceField(label=_("Care list"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, care_lists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["care_list"].choices = [("", _("All"))] + [(c.pk, c.name) for c in care_lists]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm" if isinstance(
                field, forms.ChoiceField) else "form-control form-control-sm")


class RevealForm(forms.Form):
    """Reveal one field of one record: always a POST with a reason, never a link."""

    field = forms.ChoiceField(choices=PersonalField.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why do you need to see it?"), min_length=2, max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "autocomplete": "off"}),
    )


class LookupForm(forms.Form):
    """Exact search by identity number or phone: posted, so the number never reaches a URL or a log line."""

    id_number = forms.CharField(
        label=_("Identity number"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("id_number") and not data.get("phone"):
            raise forms.ValidationError(_("Give an identity number or a phone."))
        return data


class ExportForm(forms.Form):
    """The unmasked sheet: only for those who hold the reveal right, with a reason that is recorded."""

    reason = forms.CharField(
        label=_("Why do you need the full numbers?"), min_length=2, max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "autocomplete": "off"}),
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the sheet holds"), choices=IMPORT_KINDS,
                             widget=forms.Select(attrs={"class": "form-select"}))
    sheet = forms.FileField(label=_("Sheet (.xlsx)"), widget=forms.ClearableFileInput(attrs={"class": "form-control",
                                                                                           "accept": ".xlsx"}))

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        if not sheet.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file (start from the template)."))
        if sheet.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The sheet is larger than 10 MB; split it."))
        return sheet
