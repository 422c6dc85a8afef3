"""The rules every tree shares, as helpers a tree's own validation composes: where a node may hang, its name
among its siblings, its code; and the small writes every tree service needs (stamps, child codes, re-coding).

Each `check_*` adds messages to an `errors` dict keyed by field and writes nothing; the caller raises one
ValidationError with all of them."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .spec import TreeSpec

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def check_placement(spec: TreeSpec, errors: Errors, *, parent, subkind: str, node=None) -> str | None:
    """The node's kind (from its sub-kind) and whether it may hang under `parent`; returns the kind or None."""
    kind = spec.kind_of_subkind.get(subkind)
    if kind is None:
        _add(errors, "subkind", _("Unknown sub-kind “%(subkind)s”.") % {"subkind": subkind})
    else:
        wanted = spec.parent_kind[kind]
        if wanted is None and parent is not None:
            _add(errors, "parent", str(spec.root_has_no_parent))
        elif wanted is not None and parent is None:
            _add(errors, "parent", _("A %(kind)s needs a parent %(parent_kind)s.")
                 % {"kind": spec.kind_label(kind), "parent_kind": spec.kind_label(wanted)})
        elif wanted is not None and parent.kind != wanted:
            _add(errors, "parent", _("A %(kind)s must sit under a %(parent_kind)s, but “%(parent)s” is a %(actual)s.")
                 % {
                     "kind": spec.kind_label(kind),
                     "parent_kind": spec.kind_label(wanted),
                     "parent": parent.name,
                     "actual": spec.kind_label(parent.kind),
                 })
        if node is not None and node.pk and node.kind != kind:
            _add(errors, "subkind", _("A node cannot change its kind: “%(name)s” stays a %(kind)s.")
                 % {"name": node.name, "kind": spec.kind_label(node.kind)})
    if parent is not None and parent.is_archived:
        _add(errors, "parent", _("“%(parent)s” is archived; restore it first.") % {"parent": parent.name})
    if parent is not None and node is not None and node.pk:
        if parent.pk == node.pk or (
            parent.tree_id == node.tree_id and node.lft <= parent.lft and parent.rght <= node.rght
        ):
            _add(errors, "parent", _("A node cannot be moved under itself or its own descendant."))
        if parent.tenant_id != node.tenant_id:
            _add(errors, "parent", _("A node cannot be moved to another tenant's tree."))
    return kind


def check_name(spec: TreeSpec, errors: Errors, *, parent, name: str, node=None) -> str:
    """A name is required, fits the column, and is unique among its siblings; returns it stripped."""
    name = (name or "").strip()
    max_name = spec.model._meta.get_field("name").max_length
    if not name:
        _add(errors, "name", _("A name is required."))
    elif len(name) > max_name:
        _add(errors, "name", _("A name has at most %(max)d characters.") % {"max": max_name})
    elif parent is not None:
        siblings = spec.model.objects.filter(parent=parent, name=name)
        if node is not None and node.pk:
            siblings = siblings.exclude(pk=node.pk)
        if siblings.exists():
            _add(errors, "name", _("“%(parent)s” already has a child named “%(name)s”.")
                 % {"parent": parent.name, "name": name})
    return name


def check_code(spec: TreeSpec, errors: Errors, *, parent, kind: str | None, code: str | None, tenant_id, node=None) -> str:
    """A code of the kind's length that extends the parent's and is unique in the tenant; blank takes the next
    free child code. Checked only once the kind and the parent are right; returns the code."""
    code = (code or "").strip()
    if kind is None or errors.get("parent"):
        return code
    if not code:
        code = next_child_code(spec, parent) if parent is not None else ""
    length = spec.code_length.get(kind)
    if length is not None and (not re.fullmatch(r"\d+", code or "") or len(code) != length):
        _add(errors, "code", _("The code of a %(kind)s has exactly %(length)d digits.")
             % {"kind": spec.kind_label(kind), "length": length})
    elif parent is not None and not code.startswith(parent.code):
        _add(errors, "code", _("The code must start with its parent's code %(prefix)s.") % {"prefix": parent.code})
    elif parent is not None and code == parent.code + "0" * spec.code_step:
        _add(errors, "code", _("The last three digits of a code cannot be 000."))
    elif tenant_id is not None:
        clash = spec.model.objects.filter(tenant_id=tenant_id, code=code)
        if node is not None and node.pk:
            clash = clash.exclude(pk=node.pk)
        taken = clash.values_list("name", flat=True).first()
        if taken is not None:
            _add(errors, "code", _("Code %(code)s is already used by “%(name)s”.") % {"code": code, "name": taken})
    return code


def next_child_code(spec: TreeSpec, parent) -> str:
    """The parent's code plus the next free suffix (of `code_step` digits) among its children."""
    codes = spec.model.objects.filter(parent=parent).values_list("code", flat=True)
    prefix = parent.code
    suffixes = [int(c[len(prefix):]) for c in codes if c.startswith(prefix) and c[len(prefix):].isdigit()]
    nxt = max(suffixes, default=0) + 1
    if nxt >= 10**spec.code_step:
        raise ValidationError({"code": [_("“%(parent)s” has no free child code left.") % {"parent": parent.name}]})
    return f"{prefix}{nxt:0{spec.code_step}d}"


def stamp_node(spec: TreeSpec, node, parent) -> None:
    """A node's stamps: its parent's, plus itself at its own level (set the latter again once it has a pk)."""
    for level in spec.stamped_levels:
        setattr(node, f"{level}_id", getattr(parent, f"{level}_id") if parent is not None else None)
    if node.kind in spec.stamped_levels:
        setattr(node, f"{node.kind}_id", node.pk)


def stamp_self(spec: TreeSpec, node) -> None:
    """After the first save: the node's stamp at its own level is its new pk."""
    if node.kind in spec.stamped_levels:
        setattr(node, f"{node.kind}_id", node.pk)
        spec.model.objects.filter(pk=node.pk).update(**{f"{node.kind}_id": node.pk})


def locked(spec: TreeSpec, node):
    """Re-read a node after taking the tree lock: its lft/rght may have moved since it was loaded."""
    return spec.model.objects.select_for_update().get(pk=node.pk)


def recode_descendants(spec: TreeSpec, node, old_code: str) -> None:
    """The node's code changed from `old_code`: every descendant's code takes the new prefix."""
    descendants = list(node.get_descendants().only("id", "code"))
    for child in descendants:
        child.code = node.code + child.code[len(old_code):]
    spec.model.objects.bulk_update(descendants, ["code"], batch_size=500)
