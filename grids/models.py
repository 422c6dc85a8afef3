"""Tenants, the four-level grid tree, the post catalogue and assignments (三定), the scoped-record base, and the
accounts' password history."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from simple_history.models import HistoricalRecords

from .choices import KIND_OF_SUBKIND, LEVELS, AdminRole, NodeKind, NodeSubkind, PostTier
from .querysets import AssignmentQuerySet, GridNodeQuerySet, ScopedQuerySet, TenantQuerySet


class Tenant(models.Model):
    """A district running on the platform: it owns one grid tree and every record below it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("division code"), max_length=6, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    password_max_age_days = models.PositiveSmallIntegerField(
        _("password lifetime (days)"),
        default=0,
        help_text=_("After this many days a user must change their password at sign-in; 0 means never."),
    )
    officers_need_two_factors = models.BooleanField(
        _("officers need two factors"),
        default=False,
        help_text=_(
            "Officers (heads of streets, communities and the district) give a one-time code after the password. "
            "Administrators always do."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["code"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who signs in: belongs to one tenant; what they see comes from their assignments."""

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    display_name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_tenant_admin = models.BooleanField(
        _("tenant admin"), default=False, help_text=_("Sees and administers the whole tenant.")
    )
    admin_role = models.CharField(
        _("administrator role"), max_length=10, choices=AdminRole.choices, default="", blank=True,
        help_text=_("Separation of duties: the audit administrator reads the audit trail and changes nothing."),
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(is_tenant_admin=False) | Q(tenant__isnull=False), name="tenant_admin_has_tenant"
            ),
            models.CheckConstraint(condition=Q(admin_role__in=AdminRole.values), name="user_admin_role_valid"),
            # The audit administrator holds no other administrator's rights.
            models.CheckConstraint(
                condition=~Q(admin_role=AdminRole.AUDIT) | Q(is_superuser=False, is_tenant_admin=False, is_staff=False),
                name="auditor_holds_no_other_admin_right",
            ),
            # A superuser holds every right, so it cannot also stand for one of the three separate roles.
            models.CheckConstraint(
                condition=Q(admin_role="") | Q(is_superuser=False), name="admin_role_is_not_a_superuser"
            ),
        ]

    def __str__(self):
        return self.display_name or self.username


class ScopeStamps(models.Model):
    """The ancestor stamps (tenant, district, street, community, grid) that `visible_to` filters on."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant"))
    district = models.ForeignKey(
        "grids.GridNode", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    street = models.ForeignKey(
        "grids.GridNode", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    community = models.ForeignKey(
        "grids.GridNode", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    grid = models.ForeignKey(
        "grids.GridNode", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        abstract = True

    def stamp_from(self, node: GridNode) -> None:
        """Copy the node's own stamps: a record inherits the path of the node it belongs to."""
        self.tenant_id = node.tenant_id
        for level in LEVELS:
            setattr(self, f"{level}_id", getattr(node, f"{level}_id"))


class ScopedModel(ScopeStamps):
    """A record that belongs to one node of the tree; moving the node re-stamps it (unless it opts out)."""

    # A record that states what was true when it was written (a published score, a ledger entry) sets this to
    # False: a move in the tree leaves its stamps as recorded (docs/adr/0005-immutable-rows-keep-their-stamps.md).
    restamp_on_move = True

    node = models.ForeignKey(
        "grids.GridNode", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid node")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


def _subkind_matches_kind() -> Q:
    """One CHECK for the whole table of kinds and their sub-kinds."""
    condition = None
    for kind in NodeKind.values:
        rule = Q(kind=kind, subkind__in=[sub for sub, k in KIND_OF_SUBKIND.items() if k == kind])
        condition = rule if condition is None else condition | rule
    return condition


class GridNodeManager(TreeManager.from_queryset(GridNodeQuerySet)):
    pass


class GridNode(MPTTModel, ScopeStamps):
    """One node of a tenant's tree: district → street → community → grid. Written only by grids.services."""

    parent = TreeForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(pgettext_lazy("grid node", "kind"), max_length=12, choices=NodeKind.choices, editable=False)
    subkind = models.CharField(pgettext_lazy("grid node", "sub-kind"), max_length=20, choices=NodeSubkind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("division code"), max_length=15)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    is_archived = models.BooleanField(_("archived"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GridNodeManager()
    history = HistoricalRecords(
        excluded_fields=["lft", "rght", "tree_id", "level", "updated_at"],
        verbose_name=_("change of a node"),
        verbose_name_plural=_("changes of nodes"),
    )

    # No `order_insertion_by`: with it, mptt inserts a new root among the others and renumbers the tree_id of
    # every later tree, which would write to other tenants' trees without their locks. Children are appended;
    # pages order siblings by code.

    class Meta:
        verbose_name = _("grid node")
        verbose_name_plural = _("grid nodes")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="node_code_unique_in_tenant"),
            models.UniqueConstraint(fields=["parent", "name"], name="node_name_unique_among_siblings"),
            models.UniqueConstraint(fields=["tenant"], condition=Q(parent__isnull=True), name="one_root_per_tenant"),
            models.CheckConstraint(condition=Q(kind__in=NodeKind.values), name="node_kind_valid"),
            models.CheckConstraint(
                condition=_subkind_matches_kind(),
                name="node_subkind_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, kind=NodeKind.DISTRICT)
                | (Q(parent__isnull=False) & ~Q(kind=NodeKind.DISTRICT)),
                name="only_districts_are_roots",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "kind", "is_archived"], name="node_tenant_kind"),
            models.Index(fields=["kind", "min_lon", "max_lon", "min_lat", "max_lat"], name="node_bbox"),
        ]

    def __str__(self):
        return self.name

    @property
    def level_index(self) -> int:
        return LEVELS.index(self.kind)


class Post(models.Model):
    """An entry of a tenant's post catalogue (1+4+N): its written duties and the rights it grants."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="posts", verbose_name=_("tenant"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=50)
    tier = models.CharField(_("tier"), max_length=10, choices=PostTier.choices, default=PostTier.SUPPORT)
    duties = models.TextField(_("duty list"), blank=True, max_length=2000)
    rights = models.JSONField(_("granted rights"), default=list, blank=True)
    required_on = models.JSONField(
        _("required on levels"),
        default=list,
        blank=True,
        help_text=_("Levels where every node must have someone in this post; an empty post there is a roster gap."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("change of a post"), verbose_name_plural=_("changes of posts"))

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["tenant", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="post_code_unique_in_tenant"),
            models.UniqueConstraint(fields=["tenant", "name"], name="post_name_unique_in_tenant"),
            models.CheckConstraint(condition=Q(tier__in=PostTier.values), name="post_tier_valid"),
        ]

    def __str__(self):
        return self.name


class Assignment(ScopedModel):
    """三定: this person holds this post on this node, with these duties, from one date to another."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("person"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("post"))
    duties = models.TextField(_("duties"), blank=True, max_length=2000, help_text=_("What this person answers for, beyond the post."))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("change of an assignment"), verbose_name_plural=_("changes of assignments")
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["node", "post__sort_order", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "start_date"], name="assignment_user"),
            models.Index(fields=["node", "post"], name="assignment_node_post"),
        ]

    def __str__(self):
        return f"{self.user} · {self.post} · {self.node}"


class PasswordHistory(models.Model):
    """A hash of a password a user once had, so a new password cannot repeat one of the last few."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_recent")]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


from .accounts.models import RecoveryCode, RecoveryCodeDevice  # noqa: E402, F401  (the second factor)
