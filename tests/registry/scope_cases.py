"""Scope cases of the registry routes (shape: tests/scope_cases.py). The viewer is the head of A/S1/C1."""

import datetime as dt

from registry import services
from registry.catalogue import install_registry_catalogue
from registry.models import AccessRecord, CareList, ThingType
from tests.registry.factories import make_id
from tests.scope_cases import by_id

PATHS = {"inside": "A/S1/C1/G1", "sibling": "A/S1/C2/G1", "foreign": "B/S1/C1/G1"}
DAY = dt.date(2026, 1, 5)


def registry(w):
    """For each of the three grids: a compound, a building, a house, a household with its head on a care list,
    an organisation, a thing and an access record; keyed by kind, then inside / sibling / foreign."""
    found = {}
    for which, path in PATHS.items():
        grid = w.node(path)
        install_registry_catalogue(grid.tenant)
        label = f"{which}-{path.replace('/', '')}"
        compound = services.save_compound(actor=None, node=grid, name=f"小区{label}")
        org = services.save_organisation(
            actor=None, node=grid, name=f"单位{label}", kind="shop", contact_phone="13800001111"
        )
        building = services.save_building(actor=None, node=grid, number=f"楼{label}", compound=compound, floors=6)
        house = services.save_house(actor=None, building=building, unit="1", floor=1, number=f"房{label}")
        person = services.register_resident(
            actor=None, node=grid, name=f"居民{label}", id_number=make_id(), phone="13905518230", house=house
        )
        household = services.form_household(actor=None, house=house, head=person, on_date=DAY)
        care = services.add_to_care_list(
            actor=None, care_list=CareList.objects.get(tenant=grid.tenant, code="elderly_alone"), resident=person,
            since=DAY,
        )
        thing = services.save_thing(
            actor=None, node=grid, thing_type=ThingType.objects.get(tenant=grid.tenant, code="manhole"),
            lon=117.3, lat=31.87, code=f"井{label}",
        )
        record = AccessRecord(
            actor=w.user(f"{path}:grid_head"), resident=person, kind="reveal", field="phone", reason=f"原因{label}",
            node=grid,
        )
        record.stamp_from(grid)
        record.save()
        for kind, obj in (("compound", compound), ("organisation", org), ("building", building), ("house", house),
                          ("resident", person), ("household", household), ("care", care), ("thing", thing),
                          ("access", record)):
            found.setdefault(kind, {})[which] = obj
    return found


def patrols(w):
    """A patrol by each of the three grids' workers, with a visit in each grid."""
    from registry import patrols as patrol_services

    found = registry(w)
    result = {"patrol": {}, "visit": {}}
    for which, path in PATHS.items():
        worker = w.user(f"{path}:grid_worker")
        result["patrol"][which] = patrol_services.start_patrol(actor=worker, grid=w.node(path))
        result["visit"][which] = patrol_services.record_visit(
            actor=worker, household=found["household"][which], visited_on=DAY, purpose=f"走访{which}"
        )
    return result


def of(kind):
    return lambda w: registry(w)[kind]


def catalogue(model, code):
    def objects(w):
        for tenant in w.tenants.values():
            install_registry_catalogue(tenant)
        return {
            "inside": model.objects.get(tenant=w.tenants["A"], code=code),
            "sibling": None,
            "foreign": model.objects.get(tenant=w.tenants["B"], code=code),
        }

    return objects


def by_name(obj):
    return obj.name


def by_resident_name(obj):
    return obj.resident.name


def by_number(obj):
    return obj.number


def by_reason(obj):
    return obj.reason


def by_worker(obj):
    return str(obj.worker)


def by_code(obj):
    return obj.code


def _obj(kind, **extra):
    return {"kind": "object", "objects": of(kind), **extra}


def _list(kind, marker, **extra):
    return {"kind": "list", "objects": of(kind), "marker": marker, **extra}


SCOPE_CASES = {
    # Pages.
    "registry:residents": _list("resident", by_name),
    "registry:resident": _obj("resident"),
    "registry:resident-reveal": _obj("resident", method="post"),
    # A POSTed exact search inside the caller's scope: tests/registry/test_pages.py::test_lookup_is_scoped.
    "registry:lookup": {"kind": "self"},
    # The sheets are zipped: tests/registry/test_sheets.py proves the export holds only the viewer's people.
    "registry:export": {"kind": "self"},
    "registry:import": {"kind": "self"},
    "registry:import-template": {"kind": "self", "kwargs": lambda w: {"kind": "residents"}},
    "registry:buildings": _list("building", by_number),
    "registry:building": _obj("building"),
    "registry:building-plate": _obj("building"),
    "registry:building-plate-svg": _obj("building"),
    "registry:household": _obj("household"),
    "registry:household-visit": _obj("household", method="post"),
    "registry:patrol": {"kind": "self"},
    "registry:patrol-tracks": {"kind": "list", "objects": lambda w: patrols(w)["patrol"], "marker": by_worker},
    **{f"registry:patrol-{step}": {"kind": "object", "objects": lambda w: patrols(w)["patrol"], "method": "post"}
       for step in ("check-in", "finding", "end")},
    "registry:organisations": _list("organisation", by_name),
    "registry:organisation": _obj("organisation"),
    "registry:organisation-reveal": _obj("organisation", method="post"),
    "registry:things": _list("thing", by_code),
    "registry:care": _list("care", by_resident_name),
    "registry:access": _list("access", by_reason),
    "registry:my-grid": _list("building", by_number),
    # API.
    "registry-compound-list": _list("compound", by_id),
    "registry-compound-detail": _obj("compound"),
    "registry-building-list": _list("building", by_id),
    "registry-building-detail": _obj("building"),
    "registry-house-list": _list("house", by_id),
    "registry-house-detail": _obj("house"),
    "registry-resident-list": _list("resident", by_id),
    "registry-resident-detail": _obj("resident"),
    "registry-resident-reveal": _obj("resident", method="post"),
    # POST-only, every id in the body read through the caller's scope: tests/registry/test_api.py.
    "registry-resident-register": {"kind": "public"},
    "registry-resident-lookup": {"kind": "public"},
    "registry-household-list": _list("household", by_id),
    "registry-household-detail": _obj("household"),
    "registry-household-form": {"kind": "public"},
    "registry-household-move-in": _obj("household", method="post"),
    "registry-household-move-out": _obj("household", method="post"),
    "registry-care-list-list": {"kind": "list", "objects": catalogue(CareList, "disabled"), "marker": by_id},
    "registry-care-list-detail": {"kind": "object", "objects": catalogue(CareList, "disabled")},
    "registry-care-member-list": _list("care", by_id),
    "registry-care-member-detail": _obj("care"),
    "registry-care-member-add": {"kind": "public"},
    "registry-care-member-end": _obj("care", method="post"),
    "registry-organisation-list": _list("organisation", by_id),
    "registry-organisation-detail": _obj("organisation"),
    "registry-organisation-reveal": _obj("organisation", method="post"),
    "registry-thing-type-list": {"kind": "list", "objects": catalogue(ThingType, "manhole"), "marker": by_id},
    "registry-thing-type-detail": {"kind": "object", "objects": catalogue(ThingType, "manhole")},
    "registry-thing-list": _list("thing", by_id),
    "registry-thing-detail": _obj("thing"),
    "registry-access-record-list": _list("access", by_id),
    "registry-access-record-detail": _obj("access"),
    "registry-care-member-due": _list("care", by_resident_name),
    "registry-patrol-list": {"kind": "list", "objects": lambda w: patrols(w)["patrol"], "marker": by_id},
    "registry-patrol-detail": {"kind": "object", "objects": lambda w: patrols(w)["patrol"]},
    # POST-only; the grid is read through the caller's scope: tests/registry/test_patrols.py.
    "registry-patrol-start": {"kind": "public"},
    **{f"registry-patrol-{step}": {"kind": "object", "objects": lambda w: patrols(w)["patrol"], "method": "post"}
       for step in ("positions", "check-in", "finding", "end")},
    "registry-visit-list": {"kind": "list", "objects": lambda w: patrols(w)["visit"], "marker": by_id},
    "registry-visit-detail": {"kind": "object", "objects": lambda w: patrols(w)["visit"]},
    "registry-visit-record": {"kind": "public"},
}
