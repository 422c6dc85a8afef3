"""The party organisation tree as the generic tree machinery sees it (grids.trees): model, levels, lock."""

from django.utils.translation import gettext_lazy as _

from grids.trees import TreeSpec

from .choices import LEVELS, PARENT_KIND, SUBKINDS, OrgLevel

PARTY_TREE_LOCK_NAMESPACE = 0x59480002  # its own: never blocks or is blocked by the grid tree (0x59480001)

PARTY_TREE = TreeSpec(
    model_label="parties.PartyOrg",
    lock_namespace=PARTY_TREE_LOCK_NAMESPACE,
    levels=LEVELS,
    parent_kind=PARENT_KIND,
    subkinds=SUBKINDS,
    kind_choices=OrgLevel,
    code_length={},  # codes are the parent's plus three digits, any depth
    code_step=3,
    stamped_levels=(),  # organisations carry the grid stamps of their anchor node, not party-level stamps
    root_has_no_parent=_("The district party committee is the root of the party tree and has no parent."),
    root_cannot_be_archived=_("The district party committee cannot be archived."),
)
