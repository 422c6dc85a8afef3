from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Issues filed from the grids, their handling workflow, deadlines and escalation."""

    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from grids.signals import subtree_moved, tenant_created

        from . import rights  # noqa: F401  (declares report, dispatch, handle, verify)

        tenant_created.connect(_install_categories, dispatch_uid="events.install_categories")

        from yaohai.core.personal import fields

        from .choices import RESIDENT_PHONE_PURPOSE

        fields.register("events.Event", "resident_phone", RESIDENT_PHONE_PURPOSE)  # re-sealed by the key rotation

        from .exports import register_kinds
        from .indicators import register_indicators
        from .panels import register_panels

        register_kinds()  # the event list and the dashboard sheets, for exports
        register_panels()  # the KPI cards, trend, breakdowns, map, ranking and overdue list, for dashboards
        register_indicators()  # the monthly assessment's six indicators and how the month's events are counted

        from .shell import register

        register()  # menu entries and workbench panels (yaohai.core.shell)
        subtree_moved.connect(_recount_rollups, dispatch_uid="events.recount_rollups")

        from django.db.models.signals import post_delete, post_save

        from .models import Category

        # The categories' names are on the dashboards.
        post_save.connect(_dashboards_changed, sender=Category, dispatch_uid="events.dashboards.category_saved")
        post_delete.connect(_dashboards_changed, sender=Category, dispatch_uid="events.dashboards.category_deleted")


def _install_categories(sender, tenant, **kwargs):
    """A new district can file events from its first day: give it the default categories (editable after)."""
    from .catalogue import install_event_catalogue

    install_event_catalogue(tenant)


def _recount_rollups(sender, node, old_ancestors=(), **kwargs):
    """A moved subtree took new ancestor stamps by bulk UPDATE: recount the dashboard rollups it touched — of the
    subtree's nodes and of its old and new ancestors."""
    from .rollups import recount_nodes

    new_ancestors = node.get_ancestors().values_list("pk", flat=True)
    subtree = node.get_descendants(include_self=True).values_list("pk", flat=True)
    recount_nodes(node.tenant_id, {*old_ancestors, *new_ancestors, *subtree})


def _dashboards_changed(sender, instance, **kwargs):
    from dashboards.cache import tenant_changed

    tenant_changed(instance.tenant_id)
