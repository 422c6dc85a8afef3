"""Admin walk cases of the parties app (shape: tests/grids/test_admin_walk.py): one object of each registered model
of a tenant, made through parties.services in the tenant's first grid and its community."""

from __future__ import annotations

import datetime as dt

from parties import services
from registry import services as registry
from tests.grids.admin_cases import grid_of, tenant_of, user_of
from tests.registry import factories

ON = dt.date(2026, 3, 2)
START = dt.datetime(2030, 6, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _root(world, key):
    from parties.models import PartyOrg

    tenant = tenant_of(world, key)
    found = PartyOrg.objects.filter(tenant=tenant, parent__isnull=True).first()
    return found or services.create_root(tenant=tenant, name=f"{key}区委")


def _branch(world, key):
    grid = grid_of(world, key)
    working = services.create_org(parent=_root(world, key), subkind="working_committee", name=f"{key}党工委",
                                  node=grid.parent.parent)
    committee = services.create_org(parent=working, subkind="party_committee", name=f"{key}社区党委", node=grid.parent)
    branch = services.create_org(parent=committee, subkind="grid_branch", name=f"{key}网格支部")
    services.set_led_grids(org=branch, grids=[grid])
    return branch


def _member(world, key):
    person = factories.resident(grid_of(world, key), name=f"{key}党员", phone="")
    return services.admit_member(org=_branch(world, key), resident=person, joined_on=dt.date(2001, 7, 1))


def _central(world, key):
    member = _member(world, key)
    grid = grid_of(world, key)
    household = registry.form_household(actor=None, house=factories.house(grid, number=f"{key}01"),
                                        head=member.resident, on_date=ON, number=f"{key}户")
    return services.name_central_household(member=member, since=ON, household=household)


def _team(world, key):
    return services.form_team(node=grid_of(world, key).parent, name=f"{key}小巷管家", kind="stewards")


def _partner(world, key):
    grid = grid_of(world, key)
    organisation = registry.save_organisation(actor=None, node=grid, name=f"{key}便民超市", kind="enterprise")
    return services.enlist_partner(node=grid.parent, organisation=organisation, since=ON,
                                   offers=[("rewards", "兑换洗衣液")])


def _centre(world, key):
    return services.open_centre(node=grid_of(world, key).parent, level="community", name=f"{key}党群服务中心",
                                place="某路1号", hours="8:30-17:30", sections=[("culture", "")])


def _activity(world, key):
    return services.plan_activity(centre=_centre(world, key), section="culture", title=f"{key}太极拳",
                                  starts_at=START, ends_at=START + dt.timedelta(hours=2), place="活动室", capacity=20,
                                  organiser=world.user(f"{key}/S1/C1:grid_head"))


def _committee(world, key):
    return services.set_up_committee(grid=grid_of(world, key), name=f"{key}网格共治委员会")


def _seat(world, key):
    return services.seat_member(committee=_committee(world, key), seat="grid_worker", user=user_of(world, key),
                                term_start=ON)


def _topic(world, key):
    return services.raise_topic(actor=None, node=grid_of(world, key), title=f"{key}议题", due_on=dt.date(2030, 12, 31),
                                source="grid_worker")


def _notice(world, key):
    topic = _topic(world, key)
    services.accept_topic(actor=None, topic=topic)
    meeting = services.schedule_meeting(actor=None, topic=topic, starts_at=START, place="议事厅")
    services.record_meeting(actor=None, meeting=meeting, minutes="同意")
    services.resolve_topic(actor=None, topic=topic, resolution="决议", on_date=ON)
    return services.draft_notice(actor=None, topic=topic, title=f"{key}公示", body="正文")


SCOPED = {
    "PartyOrg": _branch,
    "Member": _member,
    "CentralHousehold": _central,
    "Team": _team,
    "PartnerUnit": _partner,
    "ServiceCentre": _centre,
    "Activity": _activity,
    "Committee": _committee,
    "CommitteeSeat": _seat,
    "Topic": _topic,
    "Notice": _notice,
}
PLATFORM_ONLY = {}
SHARED = {}
