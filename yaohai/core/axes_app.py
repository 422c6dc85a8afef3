"""django-axes' app, named in the user's language (INSTALLED_APPS lists it instead of "axes")."""

from axes import apps as axes_apps
from django.utils.translation import gettext_lazy as _


class AxesConfig(axes_apps.AppConfig):
    """django-axes (sign-in lockout) under a name the admin shows in the user's language; everything else is
    axes' own (its ready() connects its signals)."""

    verbose_name = _("Sign-in protection")
