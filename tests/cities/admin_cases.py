"""Admin walk cases of the city level (shape: tests/grids/test_admin_walk.py): a city spans tenants, so it is the
platform's — no tenant admin reaches one."""

from __future__ import annotations

from tests.grids.admin_cases import registered


def _city(world, key):
    return registered("City").objects.create(name=f"{key} 市", code=f"99{ord(key):04d}")


SCOPED = {}
PLATFORM_ONLY = {"City": _city}
SHARED = {}
