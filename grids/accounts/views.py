"""The user's own account pages: account security (password, API token) and the password change; sign-out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services, two_factors
from .middleware import SESSION_KEY


@login_required
@require_http_methods(["GET", "POST"])
def security(request):
    """账号安全: when the password was changed, the API token's expiry, and a button that revokes it."""
    if request.method == "POST":
        if services.revoke_tokens(user=request.user):
            messages.success(request, _("Your API token was revoked; apps signed in with it must sign in again."))
        return redirect("accounts:security")
    token = selectors.token_of(actor=request.user)
    return render(
        request,
        "accounts/security.html",
        {
            "token": token,
            "token_expires_at": services.token_expires_at(token) if token else None,
            "token_expired": services.token_is_expired(token) if token else False,
            "two_factors": two_factors.status(request.user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes their own password here (the rules: settings.AUTH_PASSWORD_VALIDATORS)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        response = super().form_valid(form)  # saves; the validators' hook records it and revokes the tokens
        self.request.session[SESSION_KEY] = False
        messages.success(self.request, _("Your password was changed."))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expired"] = bool(self.request.session.get(SESSION_KEY))
        return context


class LogoutView(auth_views.LogoutView):
    """Sign-out ends the session and revokes the user's API token: nothing stays signed in."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.revoke_tokens(user=request.user)
        return super().post(request, *args, **kwargs)
