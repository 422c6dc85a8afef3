"""Moving a subtree under a new parent, archiving and restoring: the writes every tree makes the same way.

Each runs inside the caller's transaction, takes the tree's lock, re-reads the rows it builds on, asks the
caller's `validate` before it writes, and writes through the model's save (mptt keeps the nested set)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .locks import tree_lock
from .spec import TreeSpec


@transaction.atomic
def move_subtree(spec: TreeSpec, *, node, new_parent, validate: Callable, actor=None):
    """Hang `node` and its subtree under `new_parent`: it takes the parent's next free child code, its
    descendants are re-coded, the subtree and its records re-stamped, and `spec.moved` is sent.

    `validate(node, new_parent, code)` runs on the locked rows and raises ValidationError to refuse."""
    with tree_lock(spec, node.tenant_id):
        node = rules.locked(spec, node)
        new_parent = rules.locked(spec, new_parent)
        if new_parent.pk == node.parent_id:
            return node
        old_code = node.code
        old_ancestors = [node.parent_id, *(getattr(node, stamp) for stamp in spec.stamp_fields)]
        same_tenant = new_parent.tenant_id == node.tenant_id
        validate(node, new_parent, rules.next_child_code(spec, new_parent) if same_tenant else "")
        node.code = rules.next_child_code(spec, new_parent)
        node.parent = new_parent
        node._history_user = actor
        node.save()
        node = rules.locked(spec, node)
        rules.recode_descendants(spec, node, old_code)
        restamp_subtree(spec, node)
        if spec.moved is not None:
            spec.moved.send(
                sender=spec.model,
                node=node,
                tenant_id=node.tenant_id,
                old_ancestors={pk for pk in old_ancestors if pk and pk != node.pk},
            )
        return spec.model.objects.get(pk=node.pk)


def restamp_subtree(spec: TreeSpec, node) -> None:
    """After a move: the subtree's nodes, and every record of `spec.records()` under them, take the new
    ancestors (one UPDATE per model; rows of models that opt out are not among the records)."""
    if not spec.stamped_levels or node.kind not in spec.stamped_levels:
        return
    parent = node.parent
    above = spec.stamped_levels[: spec.stamped_levels.index(node.kind)]
    new_stamps = {f"{level}_id": getattr(parent, f"{level}_id") for level in above}
    node.get_descendants(include_self=True).update(**new_stamps)
    for model in spec.records():
        model._base_manager.filter(**{f"{node.kind}_id": node.pk}).update(**new_stamps)


@transaction.atomic
def archive_subtree(spec: TreeSpec, *, node, actor=None) -> int:
    """Take a node and its subtree out of service; nothing is deleted. Returns how many nodes were archived."""
    with tree_lock(spec, node.tenant_id):
        node = rules.locked(spec, node)
        if node.parent_id is None:
            raise ValidationError(str(spec.root_cannot_be_archived))
        now = timezone.now()
        count = 0
        for each in node.get_descendants(include_self=True).filter(is_archived=False):
            each.is_archived, each.archived_at = True, now
            each._history_user = actor
            each.save(update_fields=["is_archived", "archived_at", "updated_at"])
            count += 1
        return count


@transaction.atomic
def restore(spec: TreeSpec, *, node, actor=None):
    """Bring an archived node back (its subtree stays archived until restored one by one)."""
    with tree_lock(spec, node.tenant_id):
        node = rules.locked(spec, node)
        if node.parent is not None and node.parent.is_archived:
            raise ValidationError(_("“%(parent)s” is archived; restore it first.") % {"parent": node.parent.name})
        node.is_archived, node.archived_at = False, None
        node._history_user = actor
        node.save(update_fields=["is_archived", "archived_at", "updated_at"])
        return node
