"""Setting and reading the encrypted personal fields of a record: token, blind index and masked form together;
and the catalogue of encrypted columns that `manage.py rotate_personal_data_key` walks.

A column `<field>` is three model fields: `<field>_encrypted` (the token), `<field>_index` (the blind index) and
`<field>_masked` (what pages show). Each app registers its columns from its AppConfig.ready():

    fields.register("events.Event", "resident_phone", "event.resident_phone")
"""

from __future__ import annotations

from dataclasses import dataclass

from . import crypto
from .identity import mask_id, mask_phone


@dataclass(frozen=True)
class EncryptedColumn:
    """One encrypted column: the model ("app.Model"), the field's stem, the purpose it is sealed under."""

    model: str
    field: str
    purpose: str


_COLUMNS: dict[tuple[str, str], EncryptedColumn] = {}


def register(model: str, field: str, purpose: str) -> None:
    """Add a column to the catalogue (registering it again replaces it)."""
    _COLUMNS[(model, field)] = EncryptedColumn(model, field, purpose)


def columns() -> list[EncryptedColumn]:
    return sorted(_COLUMNS.values(), key=lambda c: (c.model, c.field))


def set_field(record, field: str, purpose: str, value: str, *, masked: str | None = None) -> None:
    """Store a normalised value on `record`: sealed token, blind index and masked form (no save)."""
    setattr(record, f"{field}_encrypted", crypto.encrypt(value, purpose))
    setattr(record, f"{field}_index", crypto.blind_index(value, purpose))
    if masked is None:
        masked = mask_phone(value) if "phone" in field else mask_id(value)
    setattr(record, f"{field}_masked", masked)


def read_field(record, field: str, purpose: str) -> str:
    """The plain value: only the reveal services (registry, events) and the unmasked export call this."""
    return crypto.decrypt(getattr(record, f"{field}_encrypted"), purpose)


def index_of(value: str, purpose: str) -> str:
    return crypto.blind_index(value, purpose)
