from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    """The e网清 passbook (网格银行存折): points earned for service, spent on rewards, kept on an append-only ledger."""

    name = "points"
    verbose_name = _("Points")

    def ready(self):
        from grids.signals import tenant_created
        from yaohai.core.backup import register_invariant

        from . import rights, workflows  # noqa: F401  (declares the rights; registers the workflow tables)
        from .integrity import totals

        register_invariant("points.ledger", lambda alias: totals(alias))
        tenant_created.connect(_install_posts, dispatch_uid="points.install_posts")
        from events.signals import report_verified

        report_verified.connect(_credit_report, dispatch_uid="points.credit_report")
        from parties.signals import attendance_recorded

        attendance_recorded.connect(_credit_attendance, dispatch_uid="points.credit_attendance")
        from parties.signals import consultation_attended

        consultation_attended.connect(_credit_consultation, dispatch_uid="points.credit_consultation")
        from .exports import register_kinds
        from .panels import register_panels
        from .shell import register

        register()  # menu entry and workbench panel (yaohai.core.shell)
        register_panels()  # points issued and spent, the most active, on every node's page (dashboards.registry)
        register_kinds()  # the panel's sheets (exports.registry)


def _install_posts(sender, tenant, **kwargs):
    """A new district gets the registrar's and the resident representative's posts (editable after)."""
    from .catalogue import install_points_posts

    install_points_posts(tenant)


def _credit_report(sender, **kwargs):
    """A verified report earns its reporter's linked passbook the tenant's "report" service (events/signals.py)."""
    import logging

    from yaohai.core.errors import DomainError

    from .services.earning import credit_verified_report

    try:
        credit_verified_report(**kwargs)
    except DomainError as refused:  # e.g. no rule in force yet: the report stands, the credit is logged as missed
        logging.getLogger(__name__).warning("no points for event %s: %s", kwargs.get("event_id"), refused)


def _credit_attendance(sender, **kwargs):
    """Attending a party–mass activity earns the attendee's passbook the tenant's "activity" service
    (parties/signals.py); sent after the check-in committed, so a refusal here leaves the check-in standing."""
    import logging

    from yaohai.core.errors import DomainError

    from .services.earning import credit_attendance

    try:
        credit_attendance(**kwargs)
    except DomainError as refused:  # no rule in force yet, a frozen passbook: logged, the attendance stands
        logging.getLogger(__name__).warning("no points for activity %s: %s", kwargs.get("activity_id"), refused)


def _credit_consultation(sender, **kwargs):
    """Taking part in a consultation meeting earns the attendee's passbook the tenant's "consultation" service
    (parties/signals.py); sent after the meeting's record committed, so a refusal here leaves the record standing."""
    import logging

    from yaohai.core.errors import DomainError

    from .services.earning import credit_consultation

    try:
        credit_consultation(**kwargs)
    except DomainError as refused:  # no rule in force yet, a frozen passbook: logged, the meeting's record stands
        logging.getLogger(__name__).warning("no points for meeting %s: %s", kwargs.get("meeting_id"), refused)
