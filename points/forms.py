"""The points pages' forms (thin: the services check and refuse)."""

from django import forms
from django.utils.translation import gettext_lazy as _


def _styled(form: forms.Form) -> None:
    """Bootstrap's classes on the widgets, so the forms look like the platform's others (mediation/forms.py)."""
    for field in form.fields.values():
        widget = field.widget
        kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {kind}".strip()


class ServiceForm(forms.Form):
    """The registrar's phone form: who, which service, when, how long, a photo."""

    person = forms.IntegerField(label=_("Volunteer (registry number)"), min_value=1)
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=None)
    started_at = forms.DateTimeField(label=_("Started at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=24 * 60, required=False, initial=60)
    occasions = forms.IntegerField(label=_("Occasions"), min_value=1, max_value=20, required=False, initial=1)
    description = forms.CharField(label=_("What was done"), max_length=300, required=False)
    photo = forms.ImageField(label=_("Photo"), required=False)

    def __init__(self, *args, service_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = service_types
        _styled(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class EvaluationForm(forms.Form):
    """A community's 文明户评选 of a year with its scoring items, as its co-governance committee adopted them."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    committee = forms.ModelChoiceField(label=_("adopted by the committee"), queryset=None, required=False)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=100)
    items = forms.CharField(
        label=_("scoring items"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item a line: its name, a space, and its points up or down (垃圾分类 5, 毁绿种菜 -10)."),
    )
    participation_per = forms.IntegerField(label=_("passbook points per score point"), min_value=0, max_value=1000,
                                           initial=10)
    nominees = forms.IntegerField(label=_("households nominated"), min_value=1, max_value=500, initial=10)
    notice_days = forms.IntegerField(label=_("objection period (days)"), min_value=1, max_value=30, initial=7)

    def __init__(self, *args, communities=None, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["committee"].queryset = committees
        _styled(self)

    def clean_items(self):
        rows = []
        for line in self.cleaned_data["items"].splitlines():
            line = line.strip()
            if not line:
                continue
            name, _sep, points = line.rpartition(" ")
            try:
                value = int(points)
            except ValueError:
                raise forms.ValidationError(
                    _("“%(line)s”: give the item's name, a space, and its points as a whole number.") % {"line": line}
                ) from None
            rows.append((name.strip(), value))
        if not rows:
            raise forms.ValidationError(_("Give at least one scoring item."))
        return rows

    def clean(self):
        data = super().clean()
        committee, community = data.get("committee"), data.get("community")
        if committee is not None and community is not None and committee.community_id != community.pk:
            self.add_error("committee", _("Choose a co-governance committee of this community."))
        return data


class InspectionForm(forms.Form):
    """An inspection's finding: a scoring item for a household on a day of the evaluation's year."""

    household = forms.IntegerField(label=_("household"), min_value=1)
    item = forms.IntegerField(label=_("item"), min_value=1)
    on_date = forms.DateField(label=_("inspected on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("objection"), max_length=300)
    household = forms.IntegerField(label=_("household"), min_value=1, required=False)
