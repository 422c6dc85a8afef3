"""Writes to tenants, the grid tree, posts and assignments. The only code that changes the tree.

Every tree write runs in a transaction holding that tree's lock (a PostgreSQL advisory lock; SQLite serialises
writers by itself), re-reads the rows it builds on after taking the lock, and validates before it writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import services as audit
from yaohai.core import rights

from . import geo
from .choices import NodeKind, NodeSubkind
from .models import Assignment, GridNode, Post, ScopedModel, Tenant, User
from .rights import MANAGE_ROSTER
from .scope import scope_for
from .signals import tenant_created
from .tree_spec import GRID_TREE
from .trees import locks, moves, rules

LOCK_NAMESPACE = GRID_TREE.lock_namespace
GLOBAL_TREE_KEY = locks.GLOBAL_TREE_KEY

_NODE_FIELDS = ("name", "code", "subkind", "parent_id", "is_archived")
_POST_FIELDS = ("name", "tier", "duties", "rights", "required_on", "sort_order")
_ASSIGNMENT_FIELDS = ("user_id", "post_id", "node_id", "start_date", "end_date", "duties")


def _facts(obj, fields) -> dict:
    """The fields of a row an audit summary compares (a boundary is summarised by a digest, not copied)."""
    facts = {name: getattr(obj, name) for name in fields}
    if hasattr(obj, "boundary"):
        facts["boundary"] = audit.digest(obj.boundary)
    return facts


def _audit(action: str, obj, actor: User | None, before: dict | None = None, after: dict | None = None) -> None:
    """The grid app's one audit helper: one row per write, in the write's transaction."""
    tenant_id = obj.pk if isinstance(obj, Tenant) else getattr(obj, "tenant_id", None)
    audit.record(f"grids.{action}", obj, actor=actor, before=before or {}, after=after or {}, tenant_id=tenant_id)


def tree_lock(tenant_id: int):
    """Hold the tenant's grid tree for the rest of the surrounding transaction: one writer per tree."""
    return locks.tree_lock(GRID_TREE, tenant_id)


# ---------------------------------------------------------------------------------------------------------
# Validation shared by the services, the admin forms and the importer
# ---------------------------------------------------------------------------------------------------------


@dataclass
class NodeFields:
    """The cleaned fields of a node about to be written."""

    kind: str
    subkind: str
    name: str
    code: str
    boundary: dict | None
    bbox: tuple[float, float, float, float] | None


def validate_node(
    *,
    parent: GridNode | None,
    subkind: str,
    name: str,
    code: str | None,
    boundary: dict | None,
    tenant: Tenant | None = None,
    node: GridNode | None = None,
    check_children: bool = True,
) -> NodeFields:
    """Check one node's fields against the tree rules; raise a ValidationError keyed by field, write nothing."""
    errors: rules.Errors = {}
    tenant_id = parent.tenant_id if parent is not None else (tenant.pk if tenant else None)
    kind = rules.check_placement(GRID_TREE, errors, parent=parent, subkind=subkind, node=node)
    name = rules.check_name(GRID_TREE, errors, parent=parent, name=name, node=node)
    code = rules.check_code(GRID_TREE, errors, parent=parent, kind=kind, code=code, tenant_id=tenant_id, node=node)

    bbox = None
    if boundary in ("", {}):
        boundary = None
    if boundary is not None:
        try:
            shape = geo.parse_boundary(boundary)
            if parent is not None and parent.boundary:
                geo.check_within(shape, geo.parse_boundary(parent.boundary))
            if check_children and node is not None and node.pk:
                for child in node.get_children().filter(boundary__isnull=False).only("name", "boundary"):
                    if not geo.parse_boundary(child.boundary).within(shape.buffer(geo.CONTAINMENT_TOLERANCE)):
                        raise ValidationError(
                            _("The boundary would leave child “%(child)s” outside.") % {"child": child.name}
                        )
            bbox = shape.bounds
            if isinstance(boundary, dict) and boundary.get("type") == "Feature":
                boundary = boundary["geometry"]
        except ValidationError as exc:
            errors.setdefault("boundary", []).extend(exc.messages)

    if errors:
        raise ValidationError(errors)
    return NodeFields(kind=kind, subkind=subkind, name=name, code=code, boundary=boundary, bbox=bbox)


def next_child_code(parent: GridNode) -> str:
    """The parent's code plus the next free three-digit suffix among its children."""
    return rules.next_child_code(GRID_TREE, parent)


def _apply_fields(node: GridNode, fields: NodeFields) -> None:
    node.kind, node.subkind, node.name, node.code = fields.kind, fields.subkind, fields.name, fields.code
    node.boundary = fields.boundary
    node.min_lon, node.min_lat, node.max_lon, node.max_lat = fields.bbox or (None, None, None, None)


def _stamp_node(node: GridNode, parent: GridNode | None) -> None:
    """A node's stamps: its parent's, plus itself at its own level."""
    rules.stamp_node(GRID_TREE, node, parent)


def check_tree_editor(actor: User | None, tenant_id: int) -> None:
    """Only the system (actor None), a superuser or the tenant's own admins write a tree."""
    if actor is None or actor.is_superuser:
        return
    if not (actor.is_active and actor.is_tenant_admin and actor.tenant_id == tenant_id):
        raise ValidationError(_("You may not change this tenant's grid tree."), code="not_tree_editor")


def _locked(node: GridNode) -> GridNode:
    """Re-read a node after taking the tree lock: its lft/rght may have moved since it was loaded."""
    return rules.locked(GRID_TREE, node)


# ---------------------------------------------------------------------------------------------------------
# Tenants and nodes
# ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def create_tenant(*, name: str, code: str, boundary: dict | None = None, actor: User | None = None) -> Tenant:
    """Open a district on the platform: the tenant row and the root of its tree, created together."""
    locks.creation_lock(GRID_TREE)
    name = (name or "").strip()
    errors = {}
    if Tenant.objects.filter(name=name).exists():
        errors["name"] = [_("A tenant named “%(name)s” already exists.") % {"name": name}]
    if Tenant.objects.filter(code=code).exists():
        errors["code"] = [_("A tenant with code %(code)s already exists.") % {"code": code}]
    if errors:
        raise ValidationError(errors)
    fields = validate_node(parent=None, subkind=NodeSubkind.DISTRICT, name=name, code=code, boundary=boundary)
    tenant = Tenant.objects.create(name=fields.name, code=fields.code)
    root = GridNode(tenant=tenant, parent=None)
    _apply_fields(root, fields)
    root._history_user = actor
    root.save()
    rules.stamp_self(GRID_TREE, root)
    _audit("tenant.create", tenant, actor, after={"name": tenant.name, "code": tenant.code})
    tenant_created.send(sender=Tenant, tenant=tenant)
    return tenant


@transaction.atomic
def create_node(
    *,
    parent: GridNode,
    subkind: str,
    name: str,
    code: str | None = None,
    boundary: dict | None = None,
    actor: User | None = None,
) -> GridNode:
    """Add a street, community or grid under its parent."""
    check_tree_editor(actor, parent.tenant_id)
    with tree_lock(parent.tenant_id):
        parent = _locked(parent)
        fields = validate_node(parent=parent, subkind=subkind, name=name, code=code, boundary=boundary)
        node = GridNode(tenant_id=parent.tenant_id, parent=parent)
        _apply_fields(node, fields)
        _stamp_node(node, parent)
        node._history_user = actor
        node.save()
        rules.stamp_self(GRID_TREE, node)
        _audit("node.create", node, actor, after=_facts(node, _NODE_FIELDS))
        return node


@transaction.atomic
def update_node(
    *,
    node: GridNode,
    name: str | None = None,
    subkind: str | None = None,
    code: str | None = None,
    boundary: dict | None | type[Ellipsis] = ...,
    actor: User | None = None,
) -> GridNode:
    """Rename a node, change its sub-kind, code or boundary (a code change re-codes its subtree)."""
    check_tree_editor(actor, node.tenant_id)
    with tree_lock(node.tenant_id):
        node = _locked(node)
        parent = node.parent
        old_code = node.code
        before = _facts(node, _NODE_FIELDS)
        fields = validate_node(
            parent=parent,
            tenant=node.tenant,
            node=node,
            subkind=subkind if subkind is not None else node.subkind,
            name=name if name is not None else node.name,
            code=code if code is not None else node.code,
            boundary=node.boundary if boundary is ... else boundary,
        )
        _apply_fields(node, fields)
        node._history_user = actor
        node.save()
        if fields.code != old_code:
            _recode_descendants(node, old_code)
        _audit("node.update", node, actor, before, _facts(node, _NODE_FIELDS))
        return node


def _recode_descendants(node: GridNode, old_code: str) -> None:
    rules.recode_descendants(GRID_TREE, node, old_code)


@transaction.atomic
def move_node(*, node: GridNode, new_parent: GridNode, actor: User | None = None) -> GridNode:
    """Hang a node (and its subtree) under another parent of the right kind; re-code and re-stamp the subtree."""
    check_tree_editor(actor, node.tenant_id)
    check_tree_editor(actor, new_parent.tenant_id)

    def validate(node: GridNode, new_parent: GridNode, code: str) -> None:
        validate_node(
            parent=new_parent, node=node, subkind=node.subkind, name=node.name, code=code, boundary=node.boundary,
            check_children=False,
        )

    before = {"parent_id": node.parent_id, "code": node.code}
    moved = moves.move_subtree(GRID_TREE, node=node, new_parent=new_parent, validate=validate, actor=actor)
    _audit("node.move", moved, actor, before, {"parent_id": moved.parent_id, "code": moved.code})
    return moved


def restamp_subtree(node: GridNode) -> None:
    """After a move: the subtree's nodes, and every scoped record under them that follows its node, take the new
    ancestors (immutable rows keep theirs)."""
    moves.restamp_subtree(GRID_TREE, node)


def scoped_models() -> Iterable[type]:
    """Every concrete model that carries the ancestor stamps of one node."""
    return [m for m in apps.get_models() if issubclass(m, ScopedModel) and not m._meta.abstract]


def restamped_models() -> Iterable[type]:
    """The scoped models whose rows follow their node when it moves; immutable rows (`restamp_on_move = False`)
    keep the stamps they were written with."""
    return [m for m in scoped_models() if m.restamp_on_move]


@transaction.atomic
def archive_node(*, node: GridNode, actor: User | None = None) -> int:
    """Take a node and its subtree out of service; nothing is deleted. Returns how many nodes were archived."""
    check_tree_editor(actor, node.tenant_id)
    count = moves.archive_subtree(GRID_TREE, node=node, actor=actor)
    _audit("node.archive", node, actor, {"is_archived": False}, {"is_archived": True, "nodes": count})
    return count


@transaction.atomic
def restore_node(*, node: GridNode, actor: User | None = None) -> GridNode:
    """Bring an archived node back (its subtree stays archived until restored one by one)."""
    check_tree_editor(actor, node.tenant_id)
    restored = moves.restore(GRID_TREE, node=node, actor=actor)
    _audit("node.restore", restored, actor, {"is_archived": True}, {"is_archived": restored.is_archived})
    return restored


# ---------------------------------------------------------------------------------------------------------
# Posts and assignments
# ---------------------------------------------------------------------------------------------------------


def _clean_post_lists(granted: Iterable[str], required_on: Iterable[str]) -> tuple[list[str], list[str]]:
    granted, required_on = list(dict.fromkeys(granted)), list(dict.fromkeys(required_on))
    errors = {}
    bad = [a for a in granted if not rights.is_known(a)]  # the apps declare them (their rights.py)
    if bad:
        errors["rights"] = [_("Unknown rights: %(rights)s.") % {"rights": ", ".join(bad)}]
    bad = [k for k in required_on if k not in NodeKind.values]
    if bad:
        errors["required_on"] = [_("Unknown levels: %(levels)s.") % {"levels": ", ".join(bad)}]
    if errors:
        raise ValidationError(errors)
    return granted, required_on


@transaction.atomic
def save_post(
    *,
    tenant: Tenant,
    code: str,
    name: str,
    tier: str,
    duties: str = "",
    rights: Iterable[str] = (),
    required_on: Iterable[str] = (),
    sort_order: int = 100,
    actor: User | None = None,
) -> Post:
    """Add a post to the tenant's catalogue, or update the one with this code."""
    granted, required_on = _clean_post_lists(rights, required_on)
    post = Post.objects.select_for_update().filter(tenant=tenant, code=code).first() or Post(tenant=tenant, code=code)
    before = _facts(post, _POST_FIELDS) if post.pk else {}
    post.name, post.tier, post.duties = name, tier, duties
    post.rights, post.required_on, post.sort_order = granted, required_on, sort_order
    post.full_clean()
    post._history_user = actor
    post.save()
    _audit("post.update" if before else "post.create", post, actor, before, _facts(post, _POST_FIELDS))
    return post


@transaction.atomic
def assign(
    *,
    user: User,
    post: Post,
    node: GridNode,
    start_date: date,
    end_date: date | None = None,
    duties: str = "",
    actor: User | None = None,
) -> Assignment:
    """三定: put a person in a post on a node from a date."""
    if actor is not None and not scope_for(actor, MANAGE_ROSTER).covers(node):
        raise ValidationError(_("You may not change the roster of “%(node)s”.") % {"node": node.name})
    errors = {}
    if not (user.tenant_id == post.tenant_id == node.tenant_id):
        errors["user"] = [_("The person, the post and the node must belong to the same tenant.")]
    if node.is_archived:
        errors["node"] = [_("“%(node)s” is archived.") % {"node": node.name}]
    if end_date is not None and end_date < start_date:
        errors["end_date"] = [_("The end date cannot come before the start date.")]
    overlapping = Assignment.objects.filter(user=user, post=post, node=node).exclude(end_date__lt=start_date)
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if overlapping.exists():
        errors["start_date"] = [_("This person already holds this post on this node in that period.")]
    if errors:
        raise ValidationError(errors)
    assignment = Assignment(
        user=user, post=post, node=node, start_date=start_date, end_date=end_date, duties=duties
    )
    assignment.stamp_from(node)
    assignment.node = node
    assignment._history_user = actor
    assignment.save()
    _audit("assignment.assign", assignment, actor, after=_facts(assignment, _ASSIGNMENT_FIELDS))
    return assignment


@transaction.atomic
def end_assignment(*, assignment: Assignment, end_date: date, actor: User | None = None) -> Assignment:
    """Close an assignment on a date; the row stays as history of who held the post."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if actor is not None and not scope_for(actor, MANAGE_ROSTER).covers(assignment):
        raise ValidationError(_("You may not change the roster of “%(node)s”.") % {"node": assignment.node.name})
    if end_date < assignment.start_date:
        raise ValidationError({"end_date": [_("The end date cannot come before the start date.")]})
    before = {"end_date": assignment.end_date}
    assignment.end_date = end_date
    assignment._history_user = actor
    assignment.save(update_fields=["end_date"])
    _audit("assignment.end", assignment, actor, before, {"end_date": end_date})
    return assignment


@transaction.atomic
def update_assignment(
    *, assignment: Assignment, duties: str, end_date: date | None, actor: User | None = None
) -> Assignment:
    """Edit what an assignment says: its written duties (定责) and, to close it, its end date (one history row)."""
    current = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if actor is not None and not scope_for(actor, MANAGE_ROSTER).covers(current):
        raise ValidationError(_("You may not change the roster of “%(node)s”.") % {"node": current.node.name})
    if end_date is not None and end_date < current.start_date:
        raise ValidationError({"end_date": [_("The end date cannot come before the start date.")]})
    changed = [
        name for name, value in (("duties", duties), ("end_date", end_date)) if getattr(current, name) != value
    ]
    if changed:
        before = {name: getattr(current, name) for name in changed}
        current.duties, current.end_date = duties, end_date
        current._history_user = actor
        current.save(update_fields=changed)
        _audit("assignment.update", current, actor, before, {name: getattr(current, name) for name in changed})
    return current
