from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Issues filed from the grids, their handling workflow, deadlines, escalation and assessment."""

    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from grids.signals import tenant_created

        tenant_created.connect(_install_categories, dispatch_uid="events.install_categories")
        tenant_created.connect(_install_assessment_scheme, dispatch_uid="events.install_assessment_scheme")


def _install_categories(sender, tenant, **kwargs):
    """A new district can file events from its first day: give it the default categories (editable after)."""
    from .catalogue import install_event_catalogue

    install_event_catalogue(tenant)


def _install_assessment_scheme(sender, tenant, **kwargs):
    """A new district is assessed from its first month: give it the default scheme (weights editable after)."""
    from .assessment.services import install_default_scheme

    install_default_scheme(tenant)
