"""Signals grids sends, for apps above it that keep per-tenant data (grids imports none of them).

`tenant_created(sender=Tenant, tenant=...)` is sent by `grids.services.create_tenant` inside its transaction, once
the tenant and the root of its tree exist. Receivers install what a new district needs to work from its first
day (the events app installs its default event categories); they run in the same transaction, so a failing
receiver leaves no half-made tenant behind.
"""

from django.dispatch import Signal

tenant_created = Signal()
