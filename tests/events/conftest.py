import datetime as dt

import pytest

from events import services
from events.catalogue import install_event_catalogue
from events.choices import Transition
from events.models import Category, HandlingUnit
from tests.world import make_user

WORKER = "A/S1/C1/G1:grid_worker"
HEAD = "A/S1/C1:grid_head"
GRID = "A/S1/C1/G1"
# A Wednesday morning in an ordinary working week.
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def ev(world):
    """The event world: default categories for both tenants, a handling unit with one member, helpers."""
    return EventWorld(world)


class EventWorld:
    def __init__(self, world):
        self.world = world
        for tenant in world.tenants.values():
            install_event_catalogue(tenant)
        self.unit_member = make_user("a_cg_member", world.tenants["A"], display_name="城管队员")
        self.unit = HandlingUnit.objects.create(tenant=world.tenants["A"], name="城管中队", kind="department")
        self.unit.members.add(self.unit_member)
        world.users["unit"] = self.unit_member  # so client_for("unit") signs the unit member in
        self.foreign_unit = HandlingUnit.objects.create(tenant=world.tenants["B"], name="乙区城管", kind="department")

    def user(self, key):
        return self.world.user(key)

    def category(self, tenant="A", name="暴露垃圾"):
        return Category.objects.get(tenant=self.world.tenants[tenant], name=name, parent__isnull=False)

    def report(self, path=GRID, reporter=None, now=NOW, **kwargs):
        tenant = path.split("/")[0]
        reporter = reporter or f"{path}:grid_worker"
        kwargs.setdefault("title", "楼道堆放垃圾")
        kwargs.setdefault("category", self.category(tenant))
        return services.report_event(actor=self.user(reporter), node=self.world.nodes[path], now=now, **kwargs)

    def step(self, event, action, actor=None, now=NOW, **kwargs):
        default_actor, default_kwargs = DEFAULT_STEP[action]
        kwargs = {**default_kwargs(self), **kwargs}
        service = services.TRANSITION_SERVICES[action]
        return service(actor=self.user(actor or default_actor), event=event.pk, now=now, **kwargs)

    def sampled_on_spot(self):
        """A 自处置 event picked for a re-check (the pick itself is a hash; here it is forced)."""
        from django.core.files.base import ContentFile

        from events.models import Event

        from .images import jpeg_bytes

        event = self.report(handled_on_spot=True, photos=[("after", ContentFile(jpeg_bytes(), name="a.jpg"))])
        Event.objects.filter(pk=event.pk).update(needs_recheck=True)
        return Event.objects.get(pk=event.pk)

    def event_in(self, status, **kwargs):
        """A fresh event brought to `status` through the services, the way users would."""
        event = self.report(**kwargs)
        for action, extra in PATHS[status]:
            event = self.step(event, action, **extra)
        return event


DEFAULT_STEP = {
    Transition.ACCEPT: (HEAD, lambda ev: {}),
    Transition.REJECT: (HEAD, lambda ev: {"reason": "invalid", "note": "不属实"}),
    Transition.DISPATCH: (HEAD, lambda ev: {"unit": ev.unit.pk}),
    Transition.SIGN: ("unit", lambda ev: {}),
    Transition.RETURN: ("unit", lambda ev: {"note": "不属于本单位职责"}),
    Transition.HANDLE: ("unit", lambda ev: {"note": "已清理完毕"}),
    Transition.VERIFY: (WORKER, lambda ev: {"passed": True, "close_reason": "fixed"}),
    Transition.REOPEN: (WORKER, lambda ev: {"note": "问题再次出现"}),
    Transition.RECHECK: (HEAD, lambda ev: {"passed": True}),
}

_HANDLED = [(Transition.ACCEPT, {}), (Transition.DISPATCH, {}), (Transition.SIGN, {}), (Transition.HANDLE, {})]
PATHS = {
    "reported": [],
    "accepted": [(Transition.ACCEPT, {})],
    "rejected": [(Transition.REJECT, {})],
    "dispatched": [(Transition.ACCEPT, {}), (Transition.DISPATCH, {})],
    "in_progress": _HANDLED[:3],
    "handled": _HANDLED,
    "rework": [*_HANDLED, (Transition.VERIFY, {"passed": False, "note": "仍有垃圾"})],
    "closed": [*_HANDLED, (Transition.VERIFY, {})],
}
