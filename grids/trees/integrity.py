"""Check that a tenant's tree is whole, and rebuild it from its parent links when it is not.

django-mptt keeps lft/rght/level/tree_id beside the parent link and warns that concurrent writes can leave
them inconsistent. The parent link is the truth: the check recomputes the nested set from it in Python and
compares, and also checks the rules the services enforce (parent kinds, codes, ancestor stamps, one tree per
tenant, the stamps of the records that follow their node). The rebuild recomputes the nested set and the stamps
under the tree's lock."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from .locks import creation_lock, tree_lock
from .spec import TreeSpec


@dataclass(frozen=True)
class Problem:
    """One inconsistency found in a tenant's tree (node None: about the tree as a whole)."""

    tenant: object
    message: str
    node_id: int | None = None
    code: str = ""

    def __str__(self):
        where = f"[{self.tenant.code} {self.tenant.name}]"
        if self.node_id is not None:
            where += f" #{self.node_id} {self.code}"
        return f"{where}: {self.message}"


def _fields(spec: TreeSpec) -> tuple[str, ...]:
    return ("id", "parent_id", "lft", "rght", "level", "tree_id", "tenant_id", "kind", "code", "name",
            *spec.stamp_fields)


def check_tree(spec: TreeSpec, tenant) -> list[Problem]:
    """Every inconsistency in the tenant's tree: nested set, parent kinds, codes, stamps, one tree, records."""
    model, stamps_of = spec.model, spec.stamp_fields
    fields = _fields(spec)
    rows = list(model.objects.filter(tenant=tenant).values_list(*fields))
    nodes = {row[0]: dict(zip(fields, row, strict=True)) for row in rows}
    problems: list[Problem] = []

    def report(message, node=None):
        problems.append(Problem(tenant, message, node["id"] if node else None, node["code"] if node else ""))

    roots = [n for n in nodes.values() if n["parent_id"] is None]
    if not roots:
        report(_("The tenant has no root node."))
        return problems
    if len(roots) > 1:
        report(_("The tenant has %(count)d root nodes; it must have one.") % {"count": len(roots)})
    root = min(roots, key=lambda n: n["id"])

    tree_ids = {n["tree_id"] for n in nodes.values()}
    if len(tree_ids) > 1:
        report(_("The tenant's nodes are spread over %(count)d trees (tree ids %(ids)s).")
               % {"count": len(tree_ids), "ids": ", ".join(map(str, sorted(tree_ids)))})
    others = model.objects.filter(tree_id__in=tree_ids).exclude(tenant=tenant).values_list("tree_id", flat=True)
    for tree_id in others.distinct():
        report(_("Tree id %(tree_id)d is shared with another tenant's nodes.") % {"tree_id": tree_id})

    children = defaultdict(list)
    for node in nodes.values():
        if node["parent_id"] is not None:
            if node["parent_id"] in nodes:
                children[node["parent_id"]].append(node)
            else:
                report(_("Its parent #%(parent)d is not in this tenant's tree.") % {"parent": node["parent_id"]}, node)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n["lft"], n["code"], n["id"]))

    # Walk down from the root: the nested set, the level, the kinds, the codes and the stamps each node should have.
    expected = {}
    counter = 1
    stack = [(root, None, 0, False)]
    while stack:
        node, parent, depth, closing = stack.pop()
        if closing:
            expected[node["id"]]["rght"] = counter
            counter += 1
            continue
        stamps = dict.fromkeys(stamps_of) if parent is None else dict(expected[parent["id"]]["stamps"])
        if node["kind"] in spec.stamped_levels:
            stamps[f"{node['kind']}_id"] = node["id"]
        expected[node["id"]] = {"lft": counter, "level": depth, "stamps": stamps}
        counter += 1
        _check_rules(spec, node, parent, report)
        stack.append((node, parent, depth, True))
        stack.extend((child, node, depth + 1, False) for child in reversed(children.get(node["id"], ())))

    for node in nodes.values():
        want = expected.get(node["id"])
        if want is None:
            if node["parent_id"] in nodes:
                report(_("The node cannot be reached from the root by its parent links."), node)
            continue
        got = (node["lft"], node["rght"], node["level"], node["tree_id"])
        should = (want["lft"], want["rght"], want["level"], root["tree_id"])
        if got != should:
            report(
                _("MPTT fields (lft, rght, level, tree_id) are %(got)s; the parent links give %(should)s.")
                % {"got": got, "should": should},
                node,
            )
        wrong = [k for k in stamps_of if node[k] != want["stamps"][k]]
        if wrong:
            report(_("Ancestor stamps %(fields)s do not match its ancestors.") % {"fields": ", ".join(wrong)}, node)

    for record_model in spec.records():
        count = misstamped_records(spec, record_model, tenant).count()
        if count:
            report(
                _("%(count)d %(model)s records carry stamps that differ from their node's.")
                % {"count": count, "model": record_model._meta.verbose_name_plural}
            )
    return problems


def _check_rules(spec: TreeSpec, node, parent, report) -> None:
    """The rules the services enforce, read back from the stored rows."""
    kind = node["kind"]
    if kind not in spec.parent_kind:
        report(_("Unknown kind “%(kind)s”.") % {"kind": kind}, node)
        return
    wanted = spec.parent_kind[kind]
    if parent is None and wanted is not None:
        report(_("A %(kind)s cannot be the root of a tree.") % {"kind": kind}, node)
    elif parent is not None and parent["kind"] != wanted:
        report(
            _("A %(kind)s sits under a %(parent_kind)s (#%(parent)d); it must sit under a %(wanted)s.")
            % {"kind": kind, "parent_kind": parent["kind"], "parent": parent["id"], "wanted": wanted or "-"},
            node,
        )
    code = node["code"] or ""
    length = spec.code_length.get(kind)
    if length is not None and (not code.isdigit() or len(code) != length):
        report(_("The code of a %(kind)s has exactly %(length)d digits.") % {"kind": kind, "length": length}, node)
    elif parent is not None and not code.startswith(parent["code"] or ""):
        report(_("The code does not start with its parent's code %(prefix)s.") % {"prefix": parent["code"]}, node)


def misstamped_records(spec: TreeSpec, model, tenant):
    """Records whose tenant or ancestor stamps differ from those of the node they belong to."""
    same = Q(tenant_id=F("node__tenant_id"))
    for stamp in spec.stamp_fields:
        level = stamp[:-3]
        same &= Q(**{stamp: F(f"node__{stamp}")}) | Q(**{f"{level}__isnull": True, f"node__{level}__isnull": True})
    return model._base_manager.filter(node__tenant=tenant).exclude(same)


def rebuild_tree(spec: TreeSpec, tenant) -> None:
    """Recompute the nested set from the parent links and re-stamp nodes and records, under the tree's lock."""
    model = spec.model
    with transaction.atomic(), tree_lock(spec, tenant.pk):
        root = model.objects.filter(tenant=tenant, parent__isnull=True).order_by("pk").first()
        if root is None:
            return
        tree_id = root.tree_id
        if model.objects.filter(tree_id=tree_id).exclude(tenant=tenant).exists():
            # Another tenant's nodes carry the same tree id: this tree moves to a fresh one.
            creation_lock(spec)
            tree_id = (model.objects.aggregate(top=Max("tree_id"))["top"] or 0) + 1
        # Stray nodes of this tenant rejoin its tree, so that mptt's rebuild walks them too.
        model.objects.filter(tenant=tenant).exclude(tree_id=tree_id).update(tree_id=tree_id)
        model.objects.partial_rebuild(tree_id)
        if not spec.stamped_levels:
            return
        _restamp_nodes(spec, tenant, root)
        for record_model in spec.records():
            records = misstamped_records(spec, record_model, tenant)
            node = model.objects.filter(pk=OuterRef("node_id"))
            record_model._base_manager.filter(pk__in=records.values("pk")).update(
                tenant_id=Subquery(node.values("tenant_id")[:1]),
                **{stamp: Subquery(node.values(stamp)[:1]) for stamp in spec.stamp_fields},
            )


def _restamp_nodes(spec: TreeSpec, tenant, root) -> None:
    model, stamps_of = spec.model, spec.stamp_fields
    rows = list(model.objects.filter(tenant=tenant).values_list("id", "parent_id", "kind", *stamps_of))
    children = defaultdict(list)
    for row in rows:
        children[row[1]].append(row)
    changed = []
    stack = [(root.pk, dict.fromkeys(stamps_of))]
    current = {row[0]: dict(zip(stamps_of, row[3:], strict=True)) for row in rows}
    kinds = {row[0]: row[2] for row in rows}
    seen = set()
    while stack:
        pk, above = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        stamps = dict(above)
        if kinds[pk] in spec.stamped_levels:
            stamps[f"{kinds[pk]}_id"] = pk
        if stamps != current[pk]:
            changed.append(model(pk=pk, **stamps))
        stack.extend((row[0], stamps) for row in children.get(pk, ()))
    if changed:
        model.objects.bulk_update(changed, list(stamps_of), batch_size=500)
