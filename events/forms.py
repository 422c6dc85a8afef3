"""HTML forms of the events pages: thin — they parse and check input, the services decide."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grids.models import GridNode
from yaohai.core.filters import StrictCheckboxField

from . import selectors
from .choices import (
    STAFF_SOURCES,
    CloseReason,
    PhotoKind,
    RejectReason,
    Source,
    Status,
    TimeUnit,
    Transition,
    Urgency,
)
from .images import MAX_PHOTOS, check_pixel_budget, clean_images
from .models import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH, Category, Event


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input; checked and re-encoded together (images.clean_images)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return clean_images(files, required=self.required)


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ReportForm(forms.Form):
    """上报: grid, two-level category, what and where, photos; a hidden key makes a double submit file one event."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    grid = forms.ModelChoiceField(queryset=GridNode.objects.none(), label=gettext_lazy("Grid"))
    main_category = CategoryChoiceField(
        queryset=Category.objects.none(), required=False, label=gettext_lazy("Main category")
    )
    category = CategoryChoiceField(queryset=Category.objects.none(), label=gettext_lazy("Subcategory"))
    title = forms.CharField(max_length=100, label=gettext_lazy("Title"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=DESCRIPTION_MAX_LENGTH,
                                  label=gettext_lazy("Description"))
    urgency = forms.TypedChoiceField(choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL,
                                     label=gettext_lazy("Urgency"))
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    source = forms.ChoiceField(choices=STAFF_SOURCES, initial=Source.GRID_WORKER, label=gettext_lazy("Source"))
    resident_name = forms.CharField(max_length=50, required=False, label=gettext_lazy("Resident's name"))
    resident_phone = forms.CharField(max_length=30, required=False, label=gettext_lazy("Resident's phone"))
    photos = MultiplePhotoField(label=gettext_lazy("Photos (1–6)"))
    handled_on_spot = forms.BooleanField(required=False, label=gettext_lazy("Handled on the spot"))
    after_photos = MultiplePhotoField(label=gettext_lazy("Photos after the fix"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = selectors.reportable_grids(actor=actor)
        categories = list(selectors.categories_for(actor=actor))
        self.fields["main_category"].queryset = Category.objects.filter(
            pk__in=[c.pk for c in categories if c.parent_id is None]
        ).order_by("sort_order", "id")
        self.fields["category"].queryset = Category.objects.filter(
            pk__in=[c.pk for c in categories if c.parent_id is not None]
        ).select_related("parent").order_by("parent__sort_order", "sort_order", "id")
        self.subcategories = [c for c in categories if c.parent_id is not None]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            grids = list(self.fields["grid"].queryset[:2])
            if len(grids) == 1:
                self.initial.setdefault("grid", grids[0].pk)

    def full_clean(self):
        """The pixel budget covers both photo inputs together: checked from the headers before either input
        decodes anything; over it, no photo is decoded and the form says why."""
        refused = None
        if self.is_bound and self.files:
            try:
                check_pixel_budget([f for name in ("photos", "after_photos") for f in self.files.getlist(name)])
            except ValidationError as exc:
                refused = exc
                self.files = self.files.copy()
                for name in ("photos", "after_photos"):
                    self.files.setlist(name, [])
        super().full_clean()
        if refused is not None:
            self.add_error("photos", refused)

    def clean(self):
        data = super().clean()
        if (data.get("lon") is None) != (data.get("lat") is None):
            self.add_error(None, _("Give both longitude and latitude, or neither."))
        if data.get("source") == Source.GRID_WORKER and not data.get("photos") and "photos" not in self.errors:
            self.add_error("photos", _("Add at least one photo."))
        if data.get("handled_on_spot") and not data.get("after_photos"):
            self.add_error("after_photos", _("An event handled on the spot needs at least one photo taken after the fix."))
        if len(data.get("photos") or []) + len(data.get("after_photos") or []) > MAX_PHOTOS:
            self.add_error("photos", _("At most %(n)d photos.") % {"n": MAX_PHOTOS})
        return data

    def photo_list(self):
        on_spot = self.cleaned_data.get("handled_on_spot")
        first_kind = PhotoKind.BEFORE if on_spot else PhotoKind.REPORT
        photos = [(first_kind, p) for p in self.cleaned_data.get("photos") or []]
        if on_spot:
            photos += [(PhotoKind.AFTER, p) for p in self.cleaned_data.get("after_photos") or []]
        return photos


class _RowChoiceIterator(forms.models.ModelChoiceIterator):
    """Reads the rows once (one query), also when asked for its length first, as a template's {% for %} does."""

    def _rows(self) -> list:
        if not hasattr(self, "_read"):
            empty = [("", self.field.empty_label)] if self.field.empty_label is not None else []
            self._read = [*empty, *self.field.rows(self.queryset)]
        return self._read

    def __iter__(self):
        return iter(self._rows())

    def __len__(self):
        return len(self._rows())


class OptionsSelect(forms.Select):
    """A Select that writes its options with one format_html_join rather than a template per option (a district's
    80 nodes took 4 ms through the templates). Flat choices only."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            "<option value=\"{}\"{}>{}</option>",
            ((v, mark_safe(" selected") if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html("<select name=\"{}\"{}>{}</select>", name, flatatt(self.build_attrs(self.attrs, attrs)), options)


class RowChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options are (pk, label) rows read with `rows(queryset)`, not model instances: the
    list's node filter offers a district's ~80 nodes, which took 5 ms to build as GridNode objects. The chosen
    value is still looked up through the queryset."""

    iterator = _RowChoiceIterator
    widget = OptionsSelect

    def __init__(self, *args, rows, **kwargs):
        self.rows = rows
        super().__init__(*args, **kwargs)


def _category_rows(queryset):
    for pk, name, parent in queryset.values_list("pk", "name", "parent__name"):
        yield pk, f"{parent} / {name}" if parent else name  # Category.__str__


class EventFilterForm(forms.Form):
    """The officers' list filters; invalid values are ignored rather than failing the page."""

    status = forms.ChoiceField(choices=[("", gettext_lazy("Any status")), *Status.choices], required=False,
                               label=gettext_lazy("Status"), widget=OptionsSelect)
    category = RowChoiceField(queryset=Category.objects.none(), required=False, rows=_category_rows,
                              label=gettext_lazy("Category"), empty_label=gettext_lazy("Any category"))
    node = RowChoiceField(queryset=GridNode.objects.none(), required=False, label=gettext_lazy("Node"),
                          rows=lambda nodes: nodes.values_list("pk", "name"), empty_label=gettext_lazy("Anywhere"))
    date_from = forms.DateField(required=False, label=gettext_lazy("From"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    overdue = StrictCheckboxField(required=False, label=gettext_lazy("Overdue only"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.categories_for(actor=actor)
        self.fields["node"].queryset = (
            GridNode.objects.visible_to(actor).filter(is_archived=False).exclude(kind="grid").order_by("tree_id", "lft")
        )

    def filters(self) -> selectors.EventFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.EventFilters(
            status=data.get("status") or None,
            category=data.get("category"),
            node=data.get("node"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            overdue=bool(data.get("overdue")),
        )


# ---------------------------------------------------------------------------------------------------------
# One small form per transition; `kwargs()` gives the service's arguments.
# ---------------------------------------------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH, required=False, label=gettext_lazy("Note"))

    def __init__(self, *args, event: Event, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.event, self.actor = event, actor

    def kwargs(self) -> dict:
        return {"note": self.cleaned_data.get("note", "")}


class RequiredNoteForm(NoteForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True


class RejectForm(NoteForm):
    # Nothing preselected: not accepting a report is a choice the dispatcher makes, never a default.
    reason = forms.ChoiceField(choices=[("", "—"), *RejectReason.choices], label=gettext_lazy("Reason"))
    duplicate_of = forms.CharField(required=False, max_length=24, label=gettext_lazy("Duplicate of (reference)"))

    def clean_duplicate_of(self):
        value = (self.cleaned_data.get("duplicate_of") or "").strip()
        if not value:
            return None
        # The other event is looked up through the actor's scope, like every secondary id.
        visible = selectors.visible_events(actor=self.actor)
        found = visible.filter(reference__in=selectors.reference_candidates(actor=self.actor, reference=value))
        found = found.values_list("pk", flat=True).first()
        if found is None and value.isdigit():
            found = visible.filter(pk=int(value)).values_list("pk", flat=True).first()
        if found is None:
            raise ValidationError(_("No such other event in your jurisdiction."))
        return found

    def kwargs(self):
        return {**super().kwargs(), "reason": self.cleaned_data["reason"],
                "duplicate_of": self.cleaned_data.get("duplicate_of")}


class DispatchForm(NoteForm):
    unit = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=gettext_lazy("Handling unit"))
    handler = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=gettext_lazy("Person"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units, people = selectors.dispatch_targets(event=self.event)
        self.fields["unit"].choices = [("", "—"), *[(u.pk, f"{u.name} ({u.get_kind_display()})") for u in units]]
        self.fields["handler"].choices = [("", "—"), *[(p.pk, str(p)) for p in people]]

    def kwargs(self):
        return {**super().kwargs(), "unit": self.cleaned_data.get("unit"), "handler": self.cleaned_data.get("handler")}


class HandleForm(RequiredNoteForm):
    photos = MultiplePhotoField(label=gettext_lazy("Evidence photos"))

    def kwargs(self):
        return {**super().kwargs(), "photos": self.cleaned_data.get("photos") or []}


class VerifyForm(NoteForm):
    passed = forms.TypedChoiceField(
        choices=[("1", gettext_lazy("Passed: close the event")), ("0", gettext_lazy("Failed: back to rework"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1", label=gettext_lazy("Result"),
    )
    close_reason = forms.ChoiceField(choices=[("", "—"), *CloseReason.choices], required=False,
                                     label=gettext_lazy("Close reason"))
    responsible_party = forms.CharField(max_length=100, required=False, label=gettext_lazy("Responsible party"))

    def kwargs(self):
        data = self.cleaned_data
        return {**super().kwargs(), "passed": data["passed"], "close_reason": data.get("close_reason", ""),
                "responsible_party": data.get("responsible_party", "")}


class RecheckForm(NoteForm):
    passed = forms.TypedChoiceField(
        choices=[("1", gettext_lazy("Passed: the fix holds")), ("0", gettext_lazy("Failed: back to the dispatcher"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1", label=gettext_lazy("Result"),
    )

    def kwargs(self):
        return {**super().kwargs(), "passed": self.cleaned_data["passed"]}


TRANSITION_FORMS = {
    Transition.ACCEPT: NoteForm,
    Transition.REJECT: RejectForm,
    Transition.DISPATCH: DispatchForm,
    Transition.SIGN: NoteForm,
    Transition.RETURN: RequiredNoteForm,
    Transition.HANDLE: HandleForm,
    Transition.VERIFY: VerifyForm,
    Transition.REOPEN: RequiredNoteForm,
    Transition.RECHECK: RecheckForm,
}


class ExtensionRequestForm(forms.Form):
    amount = forms.IntegerField(min_value=1, max_value=56, label=gettext_lazy("How much more time"))
    time_unit = forms.ChoiceField(choices=TimeUnit.choices, initial=TimeUnit.WORKING_DAYS, label=gettext_lazy("Time unit"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH, label=gettext_lazy("Reason"))


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", gettext_lazy("Approve")), ("0", gettext_lazy("Deny"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1", label=gettext_lazy("Decision"),
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH, required=False, label=gettext_lazy("Note"))


class PauseRequestForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH, label=gettext_lazy("What is the event waiting for?"))


class ResumeForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH, required=False, label=gettext_lazy("Note"))
