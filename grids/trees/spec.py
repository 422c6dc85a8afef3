"""What the generic tree machinery needs to know about one kind of tree."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _


def _no_records() -> Iterable[type]:
    return ()


@dataclass(frozen=True, eq=False)
class TreeSpec:
    """One kind of tree: an MPTT model with a `tenant`, a `parent`, a `kind`, a `subkind`, a `name`, a `code`
    and `is_archived`; its kinds root first, the kind each one's parent must be, its sub-kinds, and its codes."""

    model_label: str  # "app_label.ModelName"
    lock_namespace: int  # the first key of pg_advisory_xact_lock: one per tree model, never another app's
    levels: tuple[str, ...]  # the kinds, root first
    parent_kind: Mapping[str, str | None]  # kind → the kind its parent must be (None: the root)
    subkinds: Mapping[str, tuple[str, ...]]  # kind → its sub-kinds
    kind_choices: type[models.TextChoices]
    code_length: Mapping[str, int] = field(default_factory=dict)  # kind → digits (codes extend the parent's)
    code_step: int = 3  # digits a level adds to its parent's code
    # Nodes carry `<level>_id` for each level (their own path, themselves included). Empty: no stamps.
    stamped_levels: tuple[str, ...] = ()
    # The models whose rows carry a node's stamps and follow it on a move; each has a `node` foreign key to
    # the tree's model (grids: the scoped models that do not opt out, ADR 5).
    records: Callable[[], Iterable[type]] = _no_records
    moved: Signal | None = None  # sent after a move: (sender=model, node, tenant_id, old_ancestors)
    root_has_no_parent: str = _("The root of a tree has no parent.")
    root_cannot_be_archived: str = _("The root of a tree cannot be archived.")

    @cached_property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @cached_property
    def kind_of_subkind(self) -> dict[str, str]:
        return {sub: kind for kind, subs in self.subkinds.items() for sub in subs}

    @property
    def stamp_fields(self) -> tuple[str, ...]:
        return tuple(f"{level}_id" for level in self.stamped_levels)

    def kind_label(self, kind: str) -> str:
        try:
            return str(self.kind_choices(kind).label)
        except ValueError:
            return kind

    def root_kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind in self.levels if self.parent_kind.get(kind) is None)
