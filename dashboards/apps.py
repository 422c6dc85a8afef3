from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """A node's page (驾驶舱): filters, breadcrumbs, its cache, and the panels each domain registers."""

    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from grids.models import GridNode

        from .cache import node_edited

        # The nodes' names and shapes are on every page.
        post_save.connect(node_edited, sender=GridNode, dispatch_uid="dashboards.node_saved")
        post_delete.connect(node_edited, sender=GridNode, dispatch_uid="dashboards.node_deleted")
