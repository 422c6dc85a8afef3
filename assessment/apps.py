from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    """The monthly assessment (评价考核): a tenant's scheme weights the indicators the domains register."""

    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from grids.signals import tenant_created

        from . import rights  # noqa: F401  (declares assess)
        from .shell import register

        register()  # 考核 in the menu (yaohai.core.shell)

        tenant_created.connect(_install_assessment_scheme, dispatch_uid="assessment.install_assessment_scheme")


def _install_assessment_scheme(sender, tenant, **kwargs):
    """A new district is assessed from its first month: give it the default scheme (weights editable after)."""
    from .services import install_default_scheme

    install_default_scheme(tenant)
