"""The second-factor pages: enrol an authenticator app (QR code or typed secret, then a code), and give a code
after the password. Both are open to a signed-in user who still owes the second factor (two_factors.py)."""

from __future__ import annotations

import base64
from urllib.parse import quote

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from . import two_factor_services as services
from . import two_factors
from .models import RecoveryCodeDevice


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("One-time code"), max_length=32, strip=True,
        error_messages={"required": gettext_lazy("Type the code.")},
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _secret(device) -> str:
    text = base64.b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _qr_svg(device) -> str:
    """The enrolment QR code, an inline SVG made here (segno): the secret never leaves the page."""
    return mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#212529"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up an authenticator app: scan the QR code (or type the secret), then confirm one code. The ten recovery
    codes are shown once, on the answer to that confirmation."""
    user = request.user
    if not two_factors.needs_two_factors(user):
        raise Http404
    if two_factors.has_authenticator(user):
        return redirect("accounts:two-factors-verify") if not two_factors.is_verified(request) else redirect("accounts:security")
    device = services.start_enrolment(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.confirm_enrolment(user=user, device_id=device.pk, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})
    return render(
        request,
        "accounts/two_factors_enrol.html",
        {"form": form, "qr": _qr_svg(device), "secret": _secret(device), "next": _next(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The sign-in step after the password: a code of the authenticator app, or one of the recovery codes."""
    user = request.user
    if two_factors.is_verified(request) or not two_factors.needed(request):
        return redirect(_next(request))
    if not two_factors.has_authenticator(user):
        return redirect(f"{reverse('accounts:two-factors-enrol')}?next={quote(_next(request))}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_code(user=user, code=form.cleaned_data["code"])
        if device is None:
            wait = two_factors.throttled_seconds(user)
            form.add_error("code", _("Too many wrong codes: try again in %(n)d seconds.") % {"n": wait} if wait else
                           _("The code is wrong or has expired."))
        else:
            otp_login(request, device)
            if isinstance(device, RecoveryCodeDevice):
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(n)d are left. Ask your security administrator to "
                      "reset your second factor if your phone is lost.") % {"n": device.remaining()},
                )
            return redirect(_next(request))
    return render(
        request, "accounts/two_factors_verify.html", {"form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["POST"])
def recovery_codes(request):
    """New recovery codes (the old ones stop working), for a user who signed in with both factors; shown once."""
    if not (two_factors.has_authenticator(request.user) and two_factors.is_verified(request)):
        raise Http404
    codes = services.new_recovery_codes(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:security")})
