"""Scope cases of the export routes (shape: tests/scope_cases.py). The viewer heads community A/S1/C1.

The API's routes (export-list, export-detail, export-download) follow the same rule. An export job belongs to the
person who asked for it: the "sibling" job is another officer's of the same tenant
(the head of A/S1/C2), the "foreign" one an officer's of tenant B; both answer 404 to the viewer.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from exports.models import ExportJob
from tests.scope_cases import by_id

OWNERS = {"inside": "A/S1/C1:grid_head", "sibling": "A/S1/C2:grid_head", "foreign": "B/S1/C1:grid_head"}


def jobs(w):
    """A finished export of each owner, with its file."""
    found = {}
    for which, key in OWNERS.items():
        owner = w.user(key)
        job = ExportJob(
            owner=owner, tenant_id=owner.tenant_id, kind="events.list", title=f"scope export {which}",
            language="zh-hans", status="done", filename=f"{which}.xlsx", size=4, row_count=1,
            expires_at=timezone.now() + dt.timedelta(hours=1),
        )
        job.file.save(f"{which}.xlsx", ContentFile(b"PK\x03\x04"), save=False)
        job.save()
        found[which] = job
    return found


def by_title(job):
    return job.title


SCOPE_CASES = {
    "exports:list": {"kind": "list", "objects": jobs, "marker": by_title},
    "exports:detail": {"kind": "object", "objects": jobs},
    "exports:download": {"kind": "object", "objects": jobs},
    # The API (grids.api.views.ExportJobViewSet): the same owner-only rule.
    "export-list": {"kind": "list", "objects": jobs, "marker": by_id},
    "export-detail": {"kind": "object", "objects": jobs},
    "export-download": {"kind": "object", "objects": jobs},
}
