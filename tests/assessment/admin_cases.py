"""Admin walk cases of assessment (shape: tests/grids/test_admin_walk.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.grids.admin_cases import registered, tenant_of


def _scheme(world, key):
    return registered("AssessmentScheme").objects.get(tenant=tenant_of(world, key))


def _run(world, key):
    scheme = _scheme(world, key)
    now = timezone.now()
    return registered("AssessmentRun").objects.create(
        tenant=scheme.tenant, scheme=[], month=dt.date(2026, 10, 1), version=1, reason="test",
        as_of=now, computed_at=now, status="draft",
    )


SCOPED = {"AssessmentScheme": _scheme, "AssessmentRun": _run}
PLATFORM_ONLY = {}
SHARED = {}
