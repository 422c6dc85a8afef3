"""The points pages' forms (thin: the services check and refuse)."""

from django import forms
from django.utils.translation import gettext_lazy as _


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


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
