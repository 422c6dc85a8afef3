"""Signals grids sends, for apps above it that keep per-tenant data (grids imports none of them).

`tenant_created(sender=Tenant, tenant=...)` is sent by `grids.services.create_tenant` inside its transaction, once
the tenant and the root of its tree exist. Receivers install what a new district needs to work from its first
day (the events app installs its default event categories); they run in the same transaction, so a failing
receiver leaves no half-made tenant behind.

`subtree_moved(sender=GridNode, node=..., tenant_id=..., old_ancestors={ids})` is sent by
`grids.services.move_node` inside its transaction, after every scoped record under the moved node took its new
ancestor stamps (with one UPDATE per model, which bypasses the models' save). `old_ancestors` are the nodes the
subtree hung under before. Receivers that keep data derived from those stamps recompute it there (the events app
recounts the dashboard rollups of the old and new ancestors and of the subtree).
"""

from django.dispatch import Signal

tenant_created = Signal()
subtree_moved = Signal()
