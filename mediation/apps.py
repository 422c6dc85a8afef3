from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    """Dispute mediation (矛盾纠纷调解): intake, bodies and mediators, sessions, agreements and follow-ups."""

    name = "mediation"
    verbose_name = _("Mediation")

    def ready(self):
        from grids.signals import tenant_created

        from . import (  # noqa: F401  (registers the case table and the events' timeline entries)
            rights,  # noqa: F401  (declares mediate, mediation.assign)
            timeline,
            workflow,
        )

        tenant_created.connect(_install_catalogue, dispatch_uid="mediation.install_catalogue")


def _install_catalogue(sender, tenant, **kwargs):
    """A new district can file disputes from its first day (the catalogue stays editable)."""
    from .catalogue import install_dispute_types

    install_dispute_types(tenant)
