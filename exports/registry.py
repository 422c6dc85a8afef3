"""The export kinds every app registers: how to check an export's parameters, count its rows, and build it.

An app registers its kinds once, from its AppConfig.ready() (events: events/exports.py). Each callable takes the
actor the export is built for and reads only through that actor's scope (`visible_to`), so the same function serves
a sheet built inside the request and one built later by the task for the job's owner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from yaohai.core.errors import Invalid


@dataclass(frozen=True)
class Sheet:
    """A finished sheet (台账): the .xlsx bytes, the name the download carries, and how many rows it holds."""

    filename: str
    content: bytes
    rows: int


@dataclass(frozen=True)
class ExportKind:
    """One kind of export.

    - clean(actor=, parameters=) -> dict: the parameters checked and normalised to plain JSON (what a job stores),
      or ValidationError with messages in the active language; the task calls it again under the owner's scope
      of that moment.
    - count(actor=, parameters=, limit=) -> int: the number of rows, counted no further than `limit` (a capped
      COUNT, cheap whatever the data size).
    - title(actor=, parameters=) -> str: what the export is, for the list of the user's exports.
    - build(actor=, parameters=) -> Sheet.
    """

    key: str
    clean: Callable[..., dict]
    count: Callable[..., int]
    title: Callable[..., str]
    build: Callable[..., Sheet]


class ExportRefused(Invalid):
    """An export that cannot be made as asked (an unknown kind, too many rows): nothing is created (HTTP 400)."""


_KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    """Make `kind` available to the export service and its task (idempotent for the same kind)."""
    known = _KINDS.get(kind.key)
    if known is not None and known != kind:
        raise ValueError(f"export kind {kind.key!r} is registered twice")
    _KINDS[kind.key] = kind
    return kind


def kind_of(key: str) -> ExportKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise ExportRefused(_("Unknown kind of export.")) from None


def registered() -> list[str]:
    return sorted(_KINDS)
