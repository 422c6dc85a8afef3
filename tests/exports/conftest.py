"""Export fixtures: events filed through the services in the viewer's community, its sibling and another tenant,
and helpers to read a sheet back."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from events import services
from events.catalogue import install_event_catalogue
from events.models import Category, Event
from tests.celery_worker import tasks_in_process  # noqa: F401  (autouse: tasks run in the process)

VIEWER = "A/S1/C1:grid_head"
# Rows of a sheet with merged header groups: title, groups, headers, then the data from row 4.
FIRST_ROW = 4


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class Filed:
    """Events reported through the services, by grid path."""

    def __init__(self, world):
        self.world = world
        for tenant in world.tenants.values():
            install_event_catalogue(tenant)

    def category(self, tenant="A"):
        return Category.objects.filter(tenant=self.world.tenants[tenant], parent__isnull=False).order_by("id").first()

    def report(self, path, n=1, *, title="事件", days_ago=0) -> list[Event]:
        """n events in the grid at `path`, reported `days_ago` days ago (so their first deadline may have passed)."""
        at = timezone.now() - dt.timedelta(days=days_ago)
        found = []
        for i in range(n):
            event = services.report_event(
                actor=self.world.user(f"{path}:grid_worker"), node=self.world.nodes[path],
                category=self.category(path[0]), title=f"{title}{i + 1}", now=at,
            )
            if days_ago:
                Event.objects.filter(pk=event.pk).update(created_at=at)
            found.append(event)
        return found

    def reject(self, event, path):
        community = "/".join(path.split("/")[:3])
        services.reject(actor=self.world.user(f"{community}:grid_head"), event=event.pk, reason="invalid", note="不属实")


@pytest.fixture
def filed(world):
    return Filed(world)


def sheet_of(content: bytes):
    return load_workbook(BytesIO(content)).active


def data_rows(sheet):
    return list(sheet.iter_rows(min_row=FIRST_ROW, values_only=True))
