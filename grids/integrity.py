"""Check that a tenant's grid tree is whole, and rebuild it from its parent links when it is not.

django-mptt keeps lft/rght/level/tree_id beside the parent link and warns that concurrent writes can leave
them inconsistent. The parent link is the truth: the check recomputes the nested set from it in Python and
compares, and also checks the rules the services enforce (parent kinds, codes, ancestor stamps, one tree per
tenant). The rebuild recomputes the nested set and the stamps under the tree's lock.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from . import services
from .choices import CODE_LENGTH, LEVELS, PARENT_KIND
from .models import GridNode, Tenant

STAMPS = tuple(f"{level}_id" for level in LEVELS)
FIELDS = ("id", "parent_id", "lft", "rght", "level", "tree_id", "tenant_id", "kind", "code", "name", *STAMPS)


@dataclass(frozen=True)
class Problem:
    """One inconsistency found in a tenant's tree (node None: about the tree as a whole)."""

    tenant: Tenant
    message: str
    node_id: int | None = None
    code: str = ""

    def __str__(self):
        where = f"[{self.tenant.code} {self.tenant.name}]"
        if self.node_id is not None:
            where += f" #{self.node_id} {self.code}"
        return f"{where}: {self.message}"


def check_tree(tenant: Tenant) -> list[Problem]:
    """Every inconsistency in the tenant's tree: nested set, parent kinds, codes, stamps, one tree, records."""
    rows = list(GridNode.objects.filter(tenant=tenant).values_list(*FIELDS))
    nodes = {row[0]: dict(zip(FIELDS, row, strict=True)) for row in rows}
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
    others = (
        GridNode.objects.filter(tree_id__in=tree_ids).exclude(tenant=tenant).values_list("tree_id", flat=True).distinct()
    )
    for tree_id in others:
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
        stamps = dict.fromkeys(STAMPS) if parent is None else {k: expected[parent["id"]]["stamps"][k] for k in STAMPS}
        if node["kind"] in LEVELS:
            stamps[f"{node['kind']}_id"] = node["id"]
        expected[node["id"]] = {"lft": counter, "level": depth, "stamps": stamps}
        counter += 1
        _check_rules(node, parent, report)
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
        wrong = [k for k in STAMPS if node[k] != want["stamps"][k]]
        if wrong:
            report(
                _("Ancestor stamps %(fields)s do not match its ancestors.") % {"fields": ", ".join(wrong)}, node
            )

    for model in services.restamped_models():
        count = _misstamped_records(model, tenant).count()
        if count:
            report(
                _("%(count)d %(model)s records carry stamps that differ from their node's.")
                % {"count": count, "model": model._meta.verbose_name_plural}
            )
    return problems


def _check_rules(node, parent, report) -> None:
    """The rules create_node enforces, read back from the stored rows."""
    kind = node["kind"]
    if kind not in PARENT_KIND:
        report(_("Unknown level “%(kind)s”.") % {"kind": kind}, node)
        return
    wanted = PARENT_KIND[kind]
    if parent is None and wanted is not None:
        report(_("A %(kind)s cannot be the root of a tree.") % {"kind": kind}, node)
    elif parent is not None and parent["kind"] != wanted:
        report(
            _("A %(kind)s sits under a %(parent_kind)s (#%(parent)d); it must sit under a %(wanted)s.")
            % {"kind": kind, "parent_kind": parent["kind"], "parent": parent["id"], "wanted": wanted or "-"},
            node,
        )
    code = node["code"] or ""
    if not code.isdigit() or len(code) != CODE_LENGTH[kind]:
        report(_("The code of a %(kind)s has exactly %(length)d digits.") % {"kind": kind, "length": CODE_LENGTH[kind]},
               node)
    elif parent is not None and not code.startswith(parent["code"] or ""):
        report(_("The code does not start with its parent's code %(prefix)s.") % {"prefix": parent["code"]}, node)


def _misstamped_records(model, tenant: Tenant):
    """Records whose tenant or ancestor stamps differ from those of the node they belong to."""
    same = Q(tenant_id=F("node__tenant_id"))
    for stamp in STAMPS:
        level = stamp[:-3]
        same &= Q(**{stamp: F(f"node__{stamp}")}) | Q(**{f"{level}__isnull": True, f"node__{level}__isnull": True})
    return model._base_manager.filter(node__tenant=tenant).exclude(same)


def rebuild_tree(tenant: Tenant) -> None:
    """Recompute the nested set from the parent links and re-stamp nodes and records, under the tree's lock."""
    with transaction.atomic(), services.tree_lock(tenant.pk):
        root = GridNode.objects.filter(tenant=tenant, parent__isnull=True).order_by("pk").first()
        if root is None:
            return
        tree_id = root.tree_id
        if GridNode.objects.filter(tree_id=tree_id).exclude(tenant=tenant).exists():
            # Another tenant's nodes carry the same tree id: this tree moves to a fresh one.
            services._advisory_lock(services.GLOBAL_TREE_KEY)
            tree_id = (GridNode.objects.aggregate(top=Max("tree_id"))["top"] or 0) + 1
        # Stray nodes of this tenant rejoin its tree, so that mptt's rebuild walks them too.
        GridNode.objects.filter(tenant=tenant).exclude(tree_id=tree_id).update(tree_id=tree_id)
        GridNode.objects.partial_rebuild(tree_id)
        _restamp_nodes(tenant, root)
        for model in services.restamped_models():
            records = _misstamped_records(model, tenant)
            node = GridNode.objects.filter(pk=OuterRef("node_id"))
            model._base_manager.filter(pk__in=records.values("pk")).update(
                tenant_id=Subquery(node.values("tenant_id")[:1]),
                **{stamp: Subquery(node.values(stamp)[:1]) for stamp in STAMPS},
            )


def _restamp_nodes(tenant: Tenant, root: GridNode) -> None:
    rows = list(GridNode.objects.filter(tenant=tenant).values_list("id", "parent_id", "kind", *STAMPS))
    children = defaultdict(list)
    for row in rows:
        children[row[1]].append(row)
    changed = []
    stack = [(root.pk, dict.fromkeys(STAMPS))]
    current = {row[0]: dict(zip(STAMPS, row[3:], strict=True)) for row in rows}
    kinds = {row[0]: row[2] for row in rows}
    seen = set()
    while stack:
        pk, above = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        stamps = dict(above)
        if kinds[pk] in LEVELS:
            stamps[f"{kinds[pk]}_id"] = pk
        if stamps != current[pk]:
            changed.append(GridNode(pk=pk, **stamps))
        stack.extend((row[0], stamps) for row in children.get(pk, ()))
    if changed:
        GridNode.objects.bulk_update(changed, list(STAMPS), batch_size=500)


def check_all(tenants=None) -> dict[Tenant, list[Problem]]:
    """Check every tenant's tree (or the given tenants')."""
    tenants = Tenant.objects.order_by("code") if tenants is None else tenants
    return {tenant: check_tree(tenant) for tenant in tenants}
