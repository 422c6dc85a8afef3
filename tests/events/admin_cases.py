"""Admin walk cases of events (shape: tests/grids/test_admin_walk.py)."""

from __future__ import annotations

import datetime as dt

from tests.grids.admin_cases import grid_of, registered, tenant_of, user_of


def category_of(world, key):
    """A subcategory of the tenant's event catalogue (installed on first use)."""
    from events.catalogue import install_event_catalogue
    from events.models import Category

    tenant = tenant_of(world, key)
    if not Category.objects.filter(tenant=tenant).exists():
        install_event_catalogue(tenant)
    return Category.objects.filter(tenant=tenant, parent__isnull=False).order_by("pk").first()


def _event(world, key):
    from events.services import report_event

    return report_event(
        actor=user_of(world, key), node=grid_of(world, key), category=category_of(world, key), title=f"{key}区楼道垃圾",
        now=dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC),
    )


def _handling_unit(world, key):
    unit = registered("HandlingUnit").objects.create(tenant=tenant_of(world, key), name=f"{key}城管中队", kind="department")
    unit.members.add(user_of(world, key))
    return unit


def _calendar_day(world, key):
    day = dt.date(2031, 1, 1) + dt.timedelta(days=0 if key == "A" else 1)
    return registered("CalendarDay").objects.create(date=day, is_workday=False, note=f"{key} 元旦")


SCOPED = {
    "Category": category_of,
    "HandlingUnit": _handling_unit,
    "Event": _event,
}

PLATFORM_ONLY = {}

# The national working calendar: every tenant admin reads it, only a superuser changes it.
SHARED = {
    "CalendarDay": _calendar_day,
}
