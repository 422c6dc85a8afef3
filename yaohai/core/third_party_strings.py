"""Strings that other packages show untranslated in Chinese (django-axes has no zh_Hans catalogue), named here so
`makemessages` keeps them in our catalogue, which Django reads before the packages' own (LOCALE_PATHS)."""

from django.utils.translation import gettext_noop

# Django 5.2's admin index labels its table columns for screen readers; its zh_Hans catalogue lacks them yet.
ADMIN = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)

AXES = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
)
