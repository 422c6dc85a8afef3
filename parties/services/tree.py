"""Writes to the party organisation tree: every one under the tenant's party-tree lock (grids.trees.locks), with
the generic rules (placement, name, code) and the party's own: each organisation is anchored at the grid node of
its level, and a branch or group leads only grids and buildings of its committee's community."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids.choices import NodeKind
from grids.models import GridNode
from grids.trees import moves, rules
from grids.trees.locks import creation_lock, tree_lock

from ..choices import ANCHOR_KIND, OfficerRole, OrgLevel
from ..models import LedBuilding, LedGrid, Officer, PartyOrg
from ..tree_spec import PARTY_TREE
from .common import audit, check_manage, same_tenant


def _anchor(kind: str | None, parent: PartyOrg | None, node: GridNode | None, errors: dict) -> GridNode | None:
    """The grid node an organisation of `kind` under `parent` is anchored at: a street under the parent's district
    for a working committee, a community under the parent's street for a committee; a branch or group shares its
    parent's community."""
    if kind is None or parent is None:
        return node
    if kind in (OrgLevel.BRANCH, OrgLevel.GROUP):
        return parent.node
    wanted = ANCHOR_KIND[kind]
    if node is None or node.kind != wanted or node.is_archived:
        errors.setdefault("node", []).append(
            _("Choose the %(level)s this organisation serves.") % {"level": NodeKind(wanted).label}
        )
        return None
    if node.parent_id != parent.node_id:
        errors.setdefault("node", []).append(
            _("“%(node)s” is not within “%(parent)s”.") % {"node": node.name, "parent": parent.node.name}
        )
        return None
    return node


def validate_org(*, parent, subkind, name, code="", node=None, org=None, tenant_id=None) -> tuple[str, str, str, GridNode]:
    """Check an organisation's place, name, code and anchor; returns (kind, name, code, anchor) or raises."""
    errors: dict[str, list[str]] = {}
    kind = rules.check_placement(PARTY_TREE, errors, parent=parent, subkind=subkind, node=org)
    name = rules.check_name(PARTY_TREE, errors, parent=parent, name=name, node=org)
    tenant_id = tenant_id if tenant_id is not None else (parent.tenant_id if parent is not None else None)
    code = rules.check_code(PARTY_TREE, errors, parent=parent, kind=kind, code=code, tenant_id=tenant_id, node=org)
    anchor = _anchor(kind, parent, node, errors) if not errors.get("parent") else None
    if errors:
        raise ValidationError(errors)
    return kind, name, code, anchor


@transaction.atomic
def create_root(*, tenant, name: str, actor=None) -> PartyOrg:
    """The tenant's district party committee: the one root of its party tree, anchored at the district."""
    if actor is not None and not (actor.is_superuser or (actor.is_tenant_admin and actor.tenant_id == tenant.pk)):
        check_manage(actor, GridNode.objects.get(tenant=tenant, parent__isnull=True))
    creation_lock(PARTY_TREE)
    with tree_lock(PARTY_TREE, tenant.pk):
        if PartyOrg.objects.filter(tenant=tenant, parent__isnull=True).exists():
            raise ValidationError({"parent": [_("This district's party tree has its root already.")]})
        district = GridNode.objects.get(tenant=tenant, parent__isnull=True)
        name = (name or "").strip()
        if not name:
            raise ValidationError({"name": [_("A name is required.")]})
        org = PartyOrg(parent=None, kind=OrgLevel.DISTRICT_COMMITTEE, subkind=OrgLevel.DISTRICT_COMMITTEE,
                       name=name[:100], code=tenant.code, node=district)
        org.stamp_from(district)
        org.save()
        audit.record("parties.org.create", org, after={"name": org.name, "kind": org.kind}, actor=actor)
        return org


@transaction.atomic
def create_org(
    *, parent: PartyOrg, subkind: str, name: str, node: GridNode | None = None, code: str = "", actor=None
) -> PartyOrg:
    """A new organisation under `parent` (a working committee needs its street, a committee its community)."""
    check_manage(actor, parent)
    same_tenant(node, parent.tenant_id)
    with tree_lock(PARTY_TREE, parent.tenant_id):
        parent = rules.locked(PARTY_TREE, parent)
        kind, name, code, anchor = validate_org(parent=parent, subkind=subkind, name=name, code=code, node=node)
        org = PartyOrg(parent=parent, kind=kind, subkind=subkind, name=name, code=code, node=anchor)
        org.stamp_from(anchor)
        check_manage(actor, org)
        org.save()
        audit.record("parties.org.create", org, after={"name": name, "kind": kind, "parent": parent.pk}, actor=actor)
        return org


@transaction.atomic
def rename_org(*, org: PartyOrg, name: str, subkind: str | None = None, actor=None) -> PartyOrg:
    """Rename an organisation or change what it is called at its level (a 党委 becoming a 党总支)."""
    check_manage(actor, org)
    with tree_lock(PARTY_TREE, org.tenant_id):
        org = rules.locked(PARTY_TREE, org)
        before = {"name": org.name, "subkind": org.subkind}
        errors: dict[str, list[str]] = {}
        subkind = subkind or org.subkind
        rules.check_placement(PARTY_TREE, errors, parent=org.parent, subkind=subkind, node=org)
        name = rules.check_name(PARTY_TREE, errors, parent=org.parent, name=name, node=org)
        if errors:
            raise ValidationError(errors)
        org.name, org.subkind = name, subkind
        org.save(update_fields=["name", "subkind", "updated_at"])
        audit.record("parties.org.update", org, before=before, after={"name": name, "subkind": subkind}, actor=actor)
        return org


@transaction.atomic
def move_org(*, org: PartyOrg, new_parent: PartyOrg, actor=None) -> PartyOrg:
    """Hang an organisation (and its subtree) under another parent of the right level: a committee stays in its
    street, a branch or group in its community (they lead grids and buildings there)."""
    check_manage(actor, org)
    check_manage(actor, new_parent)
    same_tenant(new_parent, org.tenant_id)

    def validate(node: PartyOrg, parent: PartyOrg, code: str) -> None:
        errors: dict[str, list[str]] = {}
        rules.check_placement(PARTY_TREE, errors, parent=parent, subkind=node.subkind, node=node)
        rules.check_name(PARTY_TREE, errors, parent=parent, name=node.name, node=node)
        if not errors and node.kind == OrgLevel.COMMITTEE and node.node.parent_id != parent.node_id:
            errors["parent"] = [_("A community's organisation stays under its own street's working committee.")]
        if not errors and node.kind in (OrgLevel.BRANCH, OrgLevel.GROUP) and parent.node_id != node.node_id:
            errors["parent"] = [_("A branch or group moves only within its community: it leads grids there.")]
        if errors:
            raise ValidationError(errors)

    before = {"parent": org.parent_id}
    org = moves.move_subtree(PARTY_TREE, node=org, new_parent=new_parent, validate=validate, actor=actor)
    audit.record("parties.org.move", org, before=before, after={"parent": org.parent_id}, actor=actor)
    return org


@transaction.atomic
def archive_org(*, org: PartyOrg, actor=None) -> int:
    """Take an organisation and its subtree out of service (nothing is deleted)."""
    check_manage(actor, org)
    count = moves.archive_subtree(PARTY_TREE, node=org, actor=actor)
    audit.record("parties.org.archive", org, summary={"archived": count}, actor=actor)
    return count


@transaction.atomic
def restore_org(*, org: PartyOrg, actor=None) -> PartyOrg:
    """Bring an archived organisation back."""
    check_manage(actor, org)
    org = moves.restore(PARTY_TREE, node=org, actor=actor)
    audit.record("parties.org.restore", org, actor=actor)
    return org


@transaction.atomic
def set_led_grids(*, org: PartyOrg, grids: Iterable[GridNode], actor=None) -> list[LedGrid]:
    """The grids a branch (or group) leads: one or several, all in its committee's community."""
    check_manage(actor, org)
    grids = list(grids)
    for grid in grids:
        same_tenant(grid, org.tenant_id)
    with tree_lock(PARTY_TREE, org.tenant_id):
        org = rules.locked(PARTY_TREE, org)
        if org.kind not in (OrgLevel.BRANCH, OrgLevel.GROUP):
            raise ValidationError({"grids": [_("Only a branch or a group leads grids.")]})
        if org.is_archived:
            raise ValidationError({"grids": [_("“%(name)s” is archived.") % {"name": org.name}]})
        for grid in grids:
            if grid.kind != "grid" or grid.is_archived:
                raise ValidationError({"grids": [_("“%(name)s” is not a grid in service.") % {"name": grid.name}]})
            if grid.community_id != org.community_id:
                raise ValidationError({"grids": [
                    _("“%(grid)s” is outside the community of “%(org)s”'s committee.")
                    % {"grid": grid.name, "org": org.name}
                ]})
        before = sorted(org.led_grids.values_list("node_id", flat=True))
        wanted = {grid.pk: grid for grid in grids}
        org.led_grids.exclude(node_id__in=wanted).delete()
        have = set(org.led_grids.values_list("node_id", flat=True))
        new = []
        for pk, grid in wanted.items():
            if pk not in have:
                row = LedGrid(org=org, node=grid)
                row.stamp_from(grid)
                new.append(row)
        LedGrid.objects.bulk_create(new)
        audit.record("parties.org.grids", org, before={"grids": before}, after={"grids": sorted(wanted)}, actor=actor)
        return list(org.led_grids.all())


@transaction.atomic
def set_led_buildings(*, org: PartyOrg, buildings: Iterable, actor=None) -> list[LedBuilding]:
    """The registry buildings a party group covers, all in its community."""
    check_manage(actor, org)
    buildings = list(buildings)
    for building in buildings:
        same_tenant(building, org.tenant_id)
    with tree_lock(PARTY_TREE, org.tenant_id):
        org = rules.locked(PARTY_TREE, org)
        if org.kind != OrgLevel.GROUP:
            raise ValidationError({"buildings": [_("Only a party group covers buildings.")]})
        for building in buildings:
            if building.community_id != org.community_id:
                raise ValidationError({"buildings": [
                    _("Building “%(building)s” is outside the community of “%(org)s”.")
                    % {"building": building, "org": org.name}
                ]})
        before = sorted(org.led_buildings.values_list("building_id", flat=True))
        wanted = {b.pk: b for b in buildings}
        org.led_buildings.exclude(building_id__in=wanted).delete()
        have = set(org.led_buildings.values_list("building_id", flat=True))
        new = []
        for pk, building in wanted.items():
            if pk not in have:
                row = LedBuilding(org=org, building=building, node=building.node)
                row.stamp_from(building.node)
                new.append(row)
        LedBuilding.objects.bulk_create(new)
        audit.record("parties.org.buildings", org, before={"buildings": before},
                     after={"buildings": sorted(wanted)}, actor=actor)
        return list(org.led_buildings.all())


@transaction.atomic
def appoint_officer(
    *, org: PartyOrg, role: str, start_date: dt.date, resident=None, user=None, actor=None
) -> Officer:
    """A secretary, deputy or committee member for a term: a registry person or a staff user of the tenant.
    A new secretary ends the current one's term the day before."""
    check_manage(actor, org)
    if role not in OfficerRole.values:
        raise ValidationError({"role": [_("Choose one of the offered values.")]})
    if (resident is None) == (user is None):
        raise ValidationError({"person": [_("Choose a person of the registry or a staff user.")]})
    same_tenant(resident, org.tenant_id)
    if user is not None and user.tenant_id != org.tenant_id:
        raise ValidationError({"person": [_("Choose a person of the registry or a staff user.")]})
    org = PartyOrg.objects.select_for_update().get(pk=org.pk)
    if role == OfficerRole.SECRETARY:
        current = org.officers.filter(role=role, end_date__isnull=True).first()
        if current is not None:
            if current.start_date >= start_date:
                raise ValidationError({"start_date": [_("The new term starts after the current secretary's.")]})
            current.end_date = start_date - dt.timedelta(days=1)
            current.save(update_fields=["end_date"])
    officer = Officer(org=org, role=role, resident=resident, user=user, start_date=start_date, node=org.node)
    officer.stamp_from(org.node)
    officer.save()
    audit.record("parties.officer.appoint", officer, after={"role": role, "org": org.pk}, actor=actor)
    return officer


@transaction.atomic
def end_officer(*, officer: Officer, end_date: dt.date, actor=None) -> Officer:
    """End an officer's term (the row stays: the history of who held the post)."""
    check_manage(actor, officer)
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if officer.end_date is not None or end_date < officer.start_date:
        raise ValidationError({"end_date": [_("The term ends after it starts, once.")]})
    officer.end_date = end_date
    officer.save(update_fields=["end_date"])
    audit.record("parties.officer.end", officer, after={"end_date": end_date}, actor=actor)
    return officer
