"""Admin walk cases of the residents app (tests/grids/test_admin_walk.py collects them)."""

from tests.grids.admin_cases import grid_of, tenant_of


def _account(world, key):
    from tests.residents.scope_cases import account_in

    phone = {"A": "13900009001", "B": "13900009002"}[key]
    return account_in(world.node(f"{key}/S1/C1"), phone, f"resident-admin-{key}")


def _reopen(world, key):
    from django.utils import timezone

    from events.services import report_event
    from residents.models import ReopenRequest
    from tests.events.admin_cases import category_of
    from tests.grids.admin_cases import user_of

    grid = grid_of(world, key)
    event = report_event(actor=user_of(world, key), node=grid, category=category_of(world, key), title="路灯不亮")
    row = ReopenRequest(event=event, account=_account(world, key), reason="还是坏的", created_at=timezone.now(),
                        node=grid)
    row.stamp_from(grid)
    row.save()
    return row


def _settings(world, key):
    from residents.models import ResidentSettings

    return ResidentSettings.objects.create(tenant=tenant_of(world, key))


def _client(world, key):
    from residents.open311 import new_client

    return new_client(tenant=tenant_of(world, key), name=f"{key}区市民App")[0]


def _open311_request(world, key):
    from django.utils import timezone

    from events.services import report_event
    from residents.models import Open311Request
    from tests.events.admin_cases import category_of
    from tests.grids.admin_cases import user_of

    event = report_event(actor=user_of(world, key), node=grid_of(world, key), category=category_of(world, key),
                         title="路灯不亮")
    return Open311Request.objects.create(tenant=tenant_of(world, key), event=event, client=_client(world, key),
                                         token=f"token-{key}", created_at=timezone.now())


SCOPED = {
    "ResidentAccount": _account,
    "ReopenRequest": _reopen,
    "ResidentSettings": _settings,
    "Open311Client": _client,
    "Open311Request": _open311_request,
}
PLATFORM_ONLY = {}
SHARED = {}
