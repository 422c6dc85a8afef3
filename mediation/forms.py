"""The intake form, the one form of a step (its fields depend on the step), and the forms of the acts beside the
table (a session, evidence, the extension, the application for judicial confirmation, its refusal)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Act, AgreementForm, Channel, Performance, ReferralTarget, Risk


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
    chosen_by_parties = forms.BooleanField(label=_("chosen by the parties"), required=False)


class _Styled(forms.Form):
    """Bootstrap's classes on every widget (the case page renders the fields one by one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = {"checkbox": "form-check-input", "select": "form-select form-select-sm"}.get(
                getattr(widget, "input_type", ""), "form-control form-control-sm")
            widget.attrs.setdefault("class", css)


def _photo_field(label):
    # checked and re-encoded by the service (events.images.clean_image, as an event's photos): size, format, pixels
    return forms.FileField(label=label, required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))


class SessionForm(_Styled):
    """调解: when and where, who took part, and the record (调解笔录) typed or as a photo of the signed sheet."""

    held_at = forms.DateTimeField(label=_("time"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("place"), max_length=200)
    participants = forms.CharField(label=_("participants"), max_length=500)
    record = forms.CharField(label=_("record"), required=False, max_length=8000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    photo = _photo_field(_("photo of the signed record"))


class EvidenceForm(_Styled):
    description = forms.CharField(label=_("description"), max_length=500)
    photo = _photo_field(_("photo"))


class ExtendForm(_Styled):
    """The time limit extended only with the parties' agreement (recorded)."""

    days = forms.IntegerField(label=_("extension (days)"), min_value=1, max_value=30)
    parties_agreed = forms.BooleanField(label=_("the parties agree to the extension"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ApplyForm(_Styled):
    applied_on = forms.DateField(label=_("judicial confirmation applied for on"),
                                 widget=forms.DateInput(attrs={"type": "date"}))


class NotConfirmedForm(_Styled):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


ACT_FORMS = {
    Act.SESSION: SessionForm,
    Act.EVIDENCE: EvidenceForm,
    Act.EXTEND: ExtendForm,
    Act.APPLY: ApplyForm,
    Act.NOT_CONFIRMED: NotConfirmedForm,
}
