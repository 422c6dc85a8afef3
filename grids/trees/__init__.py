"""The tree machinery, generic over a django-mptt model with one tree per tenant.

A tree is described once by a `TreeSpec` (its model, kinds and parent rules, code rules, lock namespace, the
records that carry its stamps); the pieces here take the spec and do the rest the same way for every tree:

- `locks`: the per-tree advisory lock every write holds (`tree_lock(spec, tenant_id)`);
- `rules`: parent kinds, names among siblings, codes that extend their parent's (validation helpers a tree's
  own `validate_*` composes with its own fields), the next free child code, stamping a node;
- `moves`: moving a subtree under a new parent, re-coding and re-stamping it;
- `integrity`: checking a tenant's tree against its parent links and rebuilding it;
- `sheets`: the whole tree as an .xlsx sheet, and importing one back (preview, all-or-nothing apply).

`grids` plugs in the grid tree (`grids.trees.grid.GRID_TREE`); the party-organisation tree plugs in the same way
(docs/architecture.md, "A second tree").
"""

from .spec import TreeSpec

__all__ = ["TreeSpec"]
