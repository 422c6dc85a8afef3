"""Scope cases of the events routes (shape: tests/scope_cases.py). The viewer is the head of A/S1/C1."""

from events import services
from events.catalogue import install_event_catalogue
from events.models import Category, Event
from tests.scope_cases import by_id


def events(w):
    """One reported event in the viewer's grid, one in a sibling community, one in another tenant."""
    found = {}
    for which, path in (("inside", "A/S1/C1/G1"), ("sibling", "A/S1/C2/G1"), ("foreign", "B/S1/C1/G1")):
        tenant = w.tenants[path[0]]
        install_event_catalogue(tenant)
        category = Category.objects.filter(tenant=tenant, parent__isnull=False).order_by("id").first()
        found[which] = services.report_event(
            actor=w.user(f"{path}:grid_worker"), node=w.nodes[path], category=category, title=f"scope {which}"
        )
    return found


def photos(w):
    """A photo of each of the three events (set up directly: the upload path is tested in test_pages)."""
    from django.core.files.base import ContentFile

    from events.models import EventPhoto
    from tests.events.images import jpeg_bytes

    found = {}
    for which, event in events(w).items():
        photo = EventPhoto(event=event, kind="report", uploaded_by=event.reporter)
        photo.image.save(f"{which}.jpg", ContentFile(jpeg_bytes()), save=True)
        found[which] = photo
    return found


def by_title(event: Event) -> str:
    # Not the reference: references are numbered per tenant, so two tenants share YH…-0001.
    return event.title


SCOPE_CASES = {
    "events:list": {"kind": "list", "objects": events, "marker": by_title},
    "events:todo": {"kind": "list", "objects": events, "marker": by_title},
    # The .xlsx is zipped, so no marker: tests/events/test_pages.py::test_export_is_the_filtered_list proves it.
    "events:export": {"kind": "self"},
    "events:report": {"kind": "self"},
    "events:notifications": {"kind": "self"},
    # POST-only and touches nothing but the caller's own notifications.
    "events:notifications-read": {"kind": "public"},
    "events:detail": {"kind": "object", "objects": events},
    "events:photo": {"kind": "object", "objects": photos},
    "events:extension-request": {"kind": "object", "objects": events, "method": "post"},
    "events:extension-decide": {"kind": "object", "objects": events, "method": "post"},
    "events:pause-request": {"kind": "object", "objects": events, "method": "post"},
    "events:pause-decide": {"kind": "object", "objects": events, "method": "post"},
    "events:resume": {"kind": "object", "objects": events, "method": "post"},
    "events:reveal-phone": {"kind": "object", "objects": events, "method": "post"},
    "events:transition": {
        "kind": "object",
        "objects": events,
        "kwargs": lambda e: {"pk": e.pk, "action": "accept"},
        "method": "post",
    },
}


def categories(w):
    from events.models import Category

    for tenant in w.tenants.values():
        install_event_catalogue(tenant)
    return {
        "inside": Category.objects.filter(tenant=w.tenants["A"]).order_by("id").first(),
        "sibling": None,
        "foreign": Category.objects.filter(tenant=w.tenants["B"]).order_by("id").first(),
    }


def units(w):
    from events.models import HandlingUnit

    return {
        "inside": HandlingUnit.objects.create(tenant=w.tenants["A"], name="甲区城管"),
        "sibling": None,
        "foreign": HandlingUnit.objects.create(tenant=w.tenants["B"], name="乙区城管"),
    }


def notifications(w):
    """The viewer's own notification (filing an event notifies the community's head), and other heads'."""
    from events.models import Notification

    found = events(w)
    heads = {"inside": "A/S1/C1:grid_head", "sibling": "A/S1/C2:grid_head", "foreign": "B/S1/C1:grid_head"}
    return {
        which: Notification.objects.get(event=found[which], user=w.user(heads[which])) for which in heads
    }


def _api_step(_name):
    return {"kind": "object", "objects": events, "method": "post"}


SCOPE_CASES.update(
    {
        "event-list": {"kind": "list", "objects": events, "marker": by_id},
        "event-detail": {"kind": "object", "objects": events},
        **{f"event-{step}": _api_step(step) for step in
           ("accept", "reject", "dispatch", "sign", "return", "handle", "verify", "reopen", "recheck",
            "request-extension", "decide-extension", "request-pause", "decide-pause", "resume", "reveal-phone")},
        "event-category-list": {"kind": "list", "objects": categories, "marker": by_id},
        "event-category-detail": {"kind": "object", "objects": categories},
        "handling-unit-list": {"kind": "list", "objects": units, "marker": by_id},
        "handling-unit-detail": {"kind": "object", "objects": units},
        "notification-list": {"kind": "list", "objects": notifications, "marker": by_id},
        "notification-detail": {"kind": "object", "objects": notifications},
        # POST-only and touches nothing but the caller's own notifications.
        "notification-read-all": {"kind": "public"},
    }
)
