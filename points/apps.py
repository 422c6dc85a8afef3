from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    """The e网清 passbook (网格银行存折): points earned for service, spent on rewards, kept on an append-only ledger."""

    name = "points"
    verbose_name = _("Points")

    def ready(self):
        from grids.signals import tenant_created
        from yaohai.core.backup import register_invariant

        from . import rights  # noqa: F401  (declares points.manage, .register, .approve, .represent, .redeem)
        from .integrity import totals

        register_invariant("points.ledger", lambda alias: totals(alias))
        tenant_created.connect(_install_posts, dispatch_uid="points.install_posts")


def _install_posts(sender, tenant, **kwargs):
    """A new district gets the registrar's and the resident representative's posts (editable after)."""
    from .catalogue import install_points_posts

    install_points_posts(tenant)
