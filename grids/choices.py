"""Kinds of grid node, the parent rules between them, post tiers, and the export table.

The rights a post can grant are declared by each app in its rights.py (yaohai.core.rights).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NodeKind(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")


class NodeSubkind(models.TextChoices):
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    TOWN = "town", _("Town")
    DEVELOPMENT_ZONE = "development_zone", _("Development zone")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    RESIDENT = "resident", _("Resident grid")
    EXCLUSIVE = "exclusive", _("Exclusive grid")


# The tree, as data: each kind, the kind its parent must be (None: a root), its sub-kinds, and the
# length of its administrative-division code (a district has 6 digits, each level below adds 3).
LEVELS = (NodeKind.DISTRICT, NodeKind.STREET, NodeKind.COMMUNITY, NodeKind.GRID)
PARENT_KIND = {
    NodeKind.DISTRICT: None,
    NodeKind.STREET: NodeKind.DISTRICT,
    NodeKind.COMMUNITY: NodeKind.STREET,
    NodeKind.GRID: NodeKind.COMMUNITY,
}
SUBKINDS = {
    NodeKind.DISTRICT: (NodeSubkind.DISTRICT,),
    NodeKind.STREET: (NodeSubkind.SUBDISTRICT, NodeSubkind.TOWN, NodeSubkind.DEVELOPMENT_ZONE),
    NodeKind.COMMUNITY: (NodeSubkind.COMMUNITY, NodeSubkind.VILLAGE),
    NodeKind.GRID: (NodeSubkind.RESIDENT, NodeSubkind.EXCLUSIVE),
}
KIND_OF_SUBKIND = {sub: kind for kind, subs in SUBKINDS.items() for sub in subs}
CODE_LENGTH = {NodeKind.DISTRICT: 6, NodeKind.STREET: 9, NodeKind.COMMUNITY: 12, NodeKind.GRID: 15}


class AdminRole(models.TextChoices):
    """三员分立: the three administrator roles of a 等保 level-3 system; none holds another's rights."""

    NONE = "", _("None")
    SYSTEM = "system", _("System administrator")
    SECURITY = "security", _("Security administrator")
    AUDIT = "audit", _("Audit administrator")


class PostTier(models.TextChoices):
    """The place of a post in the 1+4+N staffing model."""

    HEAD = "head", _("Head (1)")
    MEMBER = "member", _("Member (4)")
    SUPPORT = "support", _("Support (N)")
