"""The querysets of the exports app."""

from django.db import models


class ExportJobQuerySet(models.QuerySet):
    """Export jobs belong to one person: nobody else sees them, whatever their jurisdiction."""

    def owned_by(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(owner_id=user.pk)
