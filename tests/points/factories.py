"""Points records for tests: registry people and organisations made through the registry's services."""

import datetime as dt

from points.services import ledger
from registry import services as registry
from tests.registry import factories as reg


def person(world, grid_path="A/S1/C1/G1", name="李桂兰", **extra):
    return reg.resident(world.node(grid_path), name=name, phone=None, **extra)


def passbook(world, grid_path="A/S1/C1/G1", name="李桂兰"):
    return ledger.passbook_for_person(person=person(world, grid_path, name))


def household(world, grid_path="A/S1/C1/G1", number="101", head_name="王秀英"):
    grid = world.node(grid_path)
    house = reg.house(grid, number=number)
    head = reg.resident(grid, name=head_name, phone=None)
    return registry.form_household(actor=None, house=house, head=head, on_date=dt.date(2025, 1, 1))


def organisation(world, grid_path="A/S1/C1/G1", name="瑶海便民超市"):
    return registry.save_organisation(actor=None, node=world.node(grid_path), name=name, kind="enterprise")


def community_of(world, path="A/S1/C1"):
    return world.node(path)


def grant(world, account, amount, key, community="A/S1/C1", **extra):
    issuing = ledger.issuing_account(node=world.node(community))
    return ledger.move(debit=issuing, credit=account, amount=amount, key=key, kind="grant", **extra)


def staff(world, code, path="A/S1/C1", name=None):
    """A user holding one of the points posts (registrar, resident_representative) on a node."""
    from grids import services as grids
    from grids.models import Post
    from tests.world import make_user

    node = world.node(path)
    user = make_user(name or (path.replace("/", "_") + "_" + code).lower(), node.tenant)
    grids.assign(user=user, post=Post.objects.get(tenant=node.tenant, code=code), node=node,
                 start_date=dt.date(2024, 1, 1))
    return user


def service_type(world, tenant="A", code="patrol", name="楼道巡查", *, basis="per_hour", points=10, daily_cap=0,
                 monthly_cap=0, registration="registrar", effective_from=dt.date(2024, 1, 1)):
    from points.services import earning

    kind = earning.save_service_type(actor=None, tenant=world.tenants[tenant], code=code, name=name)
    earning.publish_rule(
        actor=None, service_type=kind, basis=basis, points=points, daily_cap=daily_cap, monthly_cap=monthly_cap,
        registration=registration, effective_from=effective_from,
    )
    return kind


def reward(world, *, community="A/S1/C1", name="洗衣液", price=20, stock=10, sponsor=None, per_account_limit=0,
           requires_approval=False, valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2099, 12, 31)):
    from points.services import spending

    return spending.save_reward(
        actor=None, node=world.node(community), name=name, price=price, stock=stock, sponsor=sponsor,
        per_account_limit=per_account_limit, requires_approval=requires_approval, valid_from=valid_from,
        valid_until=valid_until,
    )
