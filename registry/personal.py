"""Setting and reading the encrypted personal fields of a record: token, blind index and masked form together."""

from __future__ import annotations

from . import crypto
from .identity import mask_id, mask_phone


def set_field(record, field: str, purpose: str, value: str, *, masked: str | None = None) -> None:
    """Store a normalised value on `record`: sealed token, blind index and masked form (no save)."""
    setattr(record, f"{field}_encrypted", crypto.encrypt(value, purpose))
    setattr(record, f"{field}_index", crypto.blind_index(value, purpose))
    if masked is None:
        masked = mask_phone(value) if "phone" in field else mask_id(value)
    setattr(record, f"{field}_masked", masked)


def read_field(record, field: str, purpose: str) -> str:
    """The plain value: only registry.services.reveal_* and the unmasked export call this."""
    return crypto.decrypt(getattr(record, f"{field}_encrypted"), purpose)


def index_of(value: str, purpose: str) -> str:
    return crypto.blind_index(value, purpose)
