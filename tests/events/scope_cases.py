"""Scope cases of the events routes (shape: tests/scope_cases.py). The viewer is the head of A/S1/C1."""

from events import services
from events.catalogue import install_event_catalogue
from events.models import Category, Event


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


def by_title(event: Event) -> str:
    # Not the reference: references are numbered per tenant, so two tenants share YH…-0001.
    return event.title


def by_id(obj):
    return f'"id":{obj.pk},'


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
    "events:transition": {
        "kind": "object",
        "objects": events,
        "kwargs": lambda e: {"pk": e.pk, "action": "accept"},
        "method": "post",
    },
}
