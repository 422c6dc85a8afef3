"""Admin walk cases of exports (shape: tests/grids/test_admin_walk.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.grids.admin_cases import registered, user_of


def _export_job(world, key):
    user = user_of(world, key)
    return registered("ExportJob").objects.create(
        owner=user, tenant_id=user.tenant_id, kind="event_list", title=f"{key}事件", language="zh-hans",
        status="failed", error="x", expires_at=timezone.now() + dt.timedelta(hours=1),
    )


SCOPED = {"ExportJob": _export_job}
PLATFORM_ONLY = {}
SHARED = {}
