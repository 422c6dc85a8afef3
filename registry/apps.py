from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """The registry of people, places, things and organisations in every grid (人地事物), personal data protected."""

    name = "registry"
    verbose_name = _("Registry")

    def ready(self):
        from grids.signals import tenant_created

        from . import rights  # noqa: F401  (declares registry.edit, registry.reveal, registry.audit)

        tenant_created.connect(_install_catalogues, dispatch_uid="registry.install_catalogues")

        from yaohai.core.personal import fields

        from .services import CONTACT_PURPOSE, ID_PURPOSE, PHONE_PURPOSE

        # the encrypted columns the key rotation re-seals (manage.py rotate_personal_data_key)
        fields.register("registry.Resident", "id_number", ID_PURPOSE)
        fields.register("registry.Resident", "phone", PHONE_PURPOSE)
        fields.register("registry.Organisation", "contact_phone", CONTACT_PURPOSE)

        from .exports import register_kinds
        from .panels import register_indicators, register_panels

        register_kinds()  # large sheets imported by a background job (exports.ExportJob)

        register_panels()  # patrol coverage and care visits on time, for dashboards
        register_indicators()  # the same two as indicators of the monthly assessment

        from .shell import register

        register()  # 人地事物 in the menu, the grid worker's tasks on her 首页 (yaohai.core.shell)


def _install_catalogues(sender, tenant, **kwargs):
    """A new district can keep care lists and things from its first day (the catalogues stay editable)."""
    from .catalogue import install_registry_catalogue

    install_registry_catalogue(tenant)
