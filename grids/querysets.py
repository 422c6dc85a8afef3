"""The one scope filter: every interface reads scoped data through `visible_to(user, action)`."""

from __future__ import annotations

from django.db import models
from mptt.querysets import TreeQuerySet

from .rights import VIEW
from .scope import scope_for


class ScopedQuerySetMixin:
    """Adds `visible_to` to the querysets of models that carry the ancestor stamps."""

    scope_prefix = ""

    def visible_to(self, user, right: str = VIEW):
        return self.filter(scope_for(user, right).q(self.scope_prefix))


class ScopedQuerySet(ScopedQuerySetMixin, models.QuerySet):
    pass


class TenantQuerySet(models.QuerySet):
    """For per-tenant catalogues (posts, categories): visible to anyone with some jurisdiction in the tenant."""

    def visible_to(self, user, right: str = VIEW):
        scope = scope_for(user, right)
        if scope.everything:
            return self
        if scope.is_empty:
            return self.none()
        return self.filter(tenant_id=scope.tenant_id)


class GridNodeQuerySet(ScopedQuerySetMixin, TreeQuerySet):
    def live(self):
        return self.filter(is_archived=False)

    def grids_at(self, lon: float, lat: float):
        """Grids whose bounding box holds the point: the indexed first step of point-in-polygon."""
        return self.filter(
            kind="grid",
            is_archived=False,
            min_lon__lte=lon,
            max_lon__gte=lon,
            min_lat__lte=lat,
            max_lat__gte=lat,
        )


class AssignmentQuerySet(ScopedQuerySet):
    def current(self, on_date):
        """Assignments in force on the given date."""
        return self.filter(start_date__lte=on_date).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=on_date)
        )
