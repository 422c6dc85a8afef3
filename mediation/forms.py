"""The intake form and the one form of a step (its fields depend on the step)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AgreementForm, Channel, Performance, ReferralTarget, Risk


class IntakeForm(forms.Form):
    """登记: a walk-in or phone dispute at the community, one applicant and one respondent entered on the spot."""

    node = forms.TypedChoiceField(label=_("Where"), coerce=int)
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    dispute_type = forms.TypedChoiceField(label=_("dispute type"), coerce=int)
    body = forms.TypedChoiceField(label=_("body"), coerce=int, required=False, empty_value=None)
    risk = forms.ChoiceField(label=_("risk"), choices=Risk.choices, initial=Risk.LOW)
    facts = forms.CharField(label=_("facts"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    amount = forms.DecimalField(label=_("amount at stake"), required=False, min_value=0, max_digits=12,
                                decimal_places=2)
    applicant_name = forms.CharField(label=_("Applicant"), max_length=100)
    applicant_phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    applicant_id_number = forms.CharField(label=_("identity number"), max_length=30, required=False)
    respondent_name = forms.CharField(label=_("Respondent"), max_length=100, required=False)

    def __init__(self, *args, nodes=(), types=(), bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].choices = [(n.pk, n.name) for n in nodes]
        self.fields["dispute_type"].choices = [(t.pk, t.name) for t in types]
        self.fields["body"].choices = [("", "—")] + [(b.pk, b.name) for b in bodies]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        parties = [{"role": "applicant", "kind": "person", "name": data["applicant_name"],
                    "phone": data["applicant_phone"], "id_number": data["applicant_id_number"]}]
        if data["respondent_name"]:
            parties.append({"role": "respondent", "kind": "person", "name": data["respondent_name"]})
        return {"node": data["node"], "channel": data["channel"], "dispute_type": data["dispute_type"],
                "body": data["body"], "risk": data["risk"], "facts": data["facts"], "amount": data["amount"],
                "parties": parties}


class StepForm(forms.Form):
    """Every step's inputs; the service says which it needs (a reason to refuse, a mediator to assign …)."""

    reason = forms.CharField(label=_("reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    mediator = forms.IntegerField(required=False)
    to = forms.ChoiceField(label=_("referred to"), choices=[("", "—"), *ReferralTarget.choices], required=False)
    form = forms.ChoiceField(label=_("form"), choices=AgreementForm.choices, required=False)
    terms = forms.CharField(label=_("terms"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 3}))
    performance_method = forms.CharField(label=_("how it is performed"), required=False, max_length=500)
    perform_by = forms.DateField(label=_("to be performed by"), required=False)
    performance = forms.ChoiceField(label=_("performance"), choices=Performance.choices, required=False)
