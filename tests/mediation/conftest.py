import datetime as dt

import pytest

from events.catalogue import install_event_catalogue
from mediation import services
from mediation.models import Body, DisputeType, Mediator
from tests.registry.factories import make_id
from tests.world import make_user

HEAD = "A/S1/C1:grid_head"
# A Wednesday morning in an ordinary working week.
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def med(world):
    return MediationWorld(world)


class MediationWorld:
    """The mediation world: a committee of A/S1/C1 headed by its grid head, an inside and an outside mediator."""

    def __init__(self, world):
        self.world = world
        community = world.node("A/S1/C1")
        self.body = Body(kind="community", name="社区人民调解委员会", head=world.user(HEAD))
        self.body.stamp_from(community)
        self.body.node = community
        self.body.save()
        self.inside_user = make_user("a_mediator", world.tenants["A"], display_name="调解员")
        self.lawyer_user = make_user("a_lawyer", world.tenants["A"], display_name="律师")
        world.users["mediator"], world.users["lawyer"] = self.inside_user, self.lawyer_user
        self.inside = Mediator.objects.create(body=self.body, user=self.inside_user, name="王调解", kind="peoples")
        self.lawyer = Mediator.objects.create(body=self.body, user=self.lawyer_user, name="李律师", kind="lawyer",
                                              fields="婚姻家庭、债务", visits="每月第一个周二")
        self.id_number = make_id()

    def user(self, key):
        return self.world.user(key)

    def dispute_type(self, code="neighbours", tenant="A"):
        return DisputeType.objects.get(tenant=self.world.tenants[tenant], code=code)

    def register(self, path="A/S1/C1/G1", actor=HEAD, risk="low", body=True, **kwargs):
        kwargs.setdefault("parties", [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": self.id_number,
             "phone": "13905518230"},
            {"role": "respondent", "kind": "person", "name": "李四"},
        ])
        return services.register_case(
            actor=self.user(actor), node=self.world.nodes[path], channel="walk_in",
            dispute_type=self.dispute_type(tenant=path.split("/")[0]), facts="楼上漏水，协商未果", risk=risk,
            body=self.body if body else None, amount="1200.50", **kwargs,
        )

    def install_events(self):
        for tenant in self.world.tenants.values():
            install_event_catalogue(tenant)
