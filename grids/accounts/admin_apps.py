"""Django's admin app on our own site (grids.accounts.roles.RoleAdminSite): listed in INSTALLED_APPS instead of
"django.contrib.admin". Kept apart from the site so that loading the settings imports no model."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "grids.accounts.roles.RoleAdminSite"
