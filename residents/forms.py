"""The resident sign-in forms: a district and a phone number, then the code."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grids.models import Tenant


class PhoneForm(forms.Form):
    tenant = forms.ModelChoiceField(
        label=_("Your district"), queryset=Tenant.objects.order_by("code"), empty_label=None, to_field_name="code"
    )
    phone = forms.CharField(
        label=_("Mobile number"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code we sent you"), max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
