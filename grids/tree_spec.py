"""The grid tree as the generic tree machinery sees it (grids.trees): its model, levels, codes and lock."""

from django.utils.translation import gettext_lazy as _

from .choices import CODE_LENGTH, LEVELS, PARENT_KIND, SUBKINDS, NodeKind
from .signals import subtree_moved
from .trees import TreeSpec

GRID_TREE_LOCK_NAMESPACE = 0x59480001  # "YH" + 1: our advisory locks never collide with another application's


def _restamped_records():
    from .services import restamped_models

    return restamped_models()


GRID_TREE = TreeSpec(
    model_label="grids.GridNode",
    lock_namespace=GRID_TREE_LOCK_NAMESPACE,
    levels=LEVELS,
    parent_kind=PARENT_KIND,
    subkinds=SUBKINDS,
    kind_choices=NodeKind,
    code_length=CODE_LENGTH,
    code_step=3,
    stamped_levels=LEVELS,  # a node carries district_id … grid_id, itself included at its own level
    records=_restamped_records,  # the scoped models that follow their node (ADR 1, ADR 5)
    moved=subtree_moved,
    root_has_no_parent=_("A district is the root of its tree and has no parent."),
    root_cannot_be_archived=_("A district's root cannot be archived."),
)
