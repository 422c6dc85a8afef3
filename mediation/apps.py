from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    """Dispute mediation (矛盾纠纷调解): intake, bodies and mediators, sessions, agreements and follow-ups."""

    name = "mediation"
    verbose_name = _("Mediation")

    def ready(self):
        from grids.signals import tenant_created

        from . import rights, timeline, workflow  # noqa: F401  (rights, the case table, the events' timeline)
        from .panels import register_indicators, register_panels
        from .shell import register

        register()  # the menu entry and the workbench panel (yaohai.core.shell)

        from yaohai.core.personal import fields

        from .services import ID_PURPOSE, PHONE_PURPOSE

        fields.register("mediation.CaseParty", "id_number", ID_PURPOSE)  # re-sealed by rotate_personal_data_key
        fields.register("mediation.CaseParty", "phone", PHONE_PURPOSE)
        register_panels()  # dashboards.registry
        register_indicators()  # yaohai.core.indicators

        register_notification_subject()  # events.notifications: the 通知 page shows cases beside events

        tenant_created.connect(_install_catalogue, dispatch_uid="mediation.install_catalogue")


def _install_catalogue(sender, tenant, **kwargs):
    """A new district can file disputes from its first day (the catalogue stays editable)."""
    from .catalogue import install_dispute_types

    install_dispute_types(tenant)


def register_notification_subject():
    from django.urls import reverse

    from events.notifications import register_subject

    from .models import Case

    register_subject(Case, link=lambda case: reverse("mediation:detail", args=[case.pk]),
                     title=lambda case: f"{case.number} {case.dispute_type.name}")
