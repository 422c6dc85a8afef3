"""Scope cases of the mediation routes (shape: tests/scope_cases.py). The viewer is the head of A/S1/C1."""

from mediation import services
from mediation.models import DisputeType
from tests.scope_cases import by_id

PATHS = {"inside": "A/S1/C1/G1", "sibling": "A/S1/C2/G1", "foreign": "B/S1/C1/G1"}


def cases(w):
    """A walk-in case in each of the three grids, registered by its community's head."""
    found = {}
    for which, path in PATHS.items():
        head = w.user(path.rsplit("/", 1)[0] + ":grid_head")
        grid = w.node(path)
        found[which] = services.register_case(
            actor=head, node=grid, channel="walk_in",
            dispute_type=DisputeType.objects.get(tenant=grid.tenant, code="neighbours"),
            facts=f"纠纷{which}", parties=[{"role": "applicant", "kind": "person", "name": f"当事人{which}"}],
        )
    return found


def by_number(case):
    return case.number


SCOPE_CASES = {
    "mediation:todo": {"kind": "list", "objects": cases, "marker": by_number},
    "mediation:new": {"kind": "self"},
    "mediation:detail": {"kind": "object", "objects": cases},
    "mediation:step": {"kind": "object", "objects": cases, "method": "post",
                       "kwargs": lambda case: {"pk": case.pk, "name": "accept"}},
    "mediation-case-list": {"kind": "list", "objects": cases, "marker": by_id},
    "mediation-case-detail": {"kind": "object", "objects": cases},
    "mediation-case-step": {"kind": "object", "objects": cases, "method": "post", "data": {"step": "accept"}},
    # POST-only; the node, the type and the body are read through the caller's scope: tests/mediation/test_pages.py.
    "mediation-case-register": {"kind": "public"},
}


def agreed(w):
    """The three cases, each with an agreement (the agreement page answers only for a case that has one)."""
    import datetime as dt

    found = cases(w)
    for which, case in found.items():
        head = w.user(PATHS[which].rsplit("/", 1)[0] + ":grid_head")
        services.accept(actor=head, case=case.pk)
        from mediation.models import Body, Mediator

        node = w.node(PATHS[which].rsplit("/", 1)[0])
        body = Body(kind="community", name=f"调委会{which}", head=head, node=node)
        body.stamp_from(node)
        body.save()
        mediator = Mediator.objects.create(body=body, user=head, name=f"调解员{which}", kind="peoples")
        services.assign(actor=head, case=case.pk, mediator=mediator)
        services.begin(actor=head, case=case.pk)
        services.agree(actor=head, case=case.pk, terms="赔偿", perform_by=dt.date(2030, 1, 1), signed_on=dt.date(2026, 1, 5))
    return found


SCOPE_CASES["mediation:agreement"] = {"kind": "object", "objects": agreed}
SCOPE_CASES["mediation:file"] = {"kind": "object", "objects": cases}


def with_evidence(w):
    """The three cases accepted, each with a photographed piece of evidence (set up through the service)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mediation import handling
    from tests.events.images import jpeg_bytes

    found = {}
    for which, case in cases(w).items():
        head = w.user(PATHS[which].rsplit("/", 1)[0] + ":grid_head")
        services.accept(actor=head, case=case.pk)
        found[which] = handling.add_evidence(
            actor=head, case=case.pk, description=f"照片{which}",
            photo=SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg"),
        )
    return found


SCOPE_CASES.update({
    "mediation:agreement-pdf": {"kind": "object", "objects": agreed},
    # an act the case's status refuses (409) inside, 404 for the others
    "mediation:act": {"kind": "object", "objects": cases, "method": "post",
                      "kwargs": lambda case: {"pk": case.pk, "name": "evidence"},
                      "data": {"evidence-description": "收据"}},
    "mediation:photo": {"kind": "object", "objects": with_evidence,
                        "kwargs": lambda ev: {"pk": ev.case_id, "kind": "evidence", "item": ev.pk}},
    **{f"mediation-case-{name}": {"kind": "object", "objects": cases, "method": "post"}
       for name in ("session", "evidence", "extend", "apply-confirmation", "not-confirmed")},
})
