"""Personal data at rest: field-by-field authenticated encryption, keyed blind indexes, masking (docs/adr/0010).

A stored value is a token `<cipher>$<key id>$<base64(nonce | ciphertext | tag)>`: the cipher ("A" AES-256-GCM,
"S" SM4-GCM for 密评) and the key id travel with the value, so keys rotate (manage.py rotate_personal_data_key)
and the cipher can change without a flag day. The field's purpose ("resident.id_number") is bound in as
associated data, so a value copied into another column does not decrypt. Exact look-ups never read a plain
column: they compare HMAC-SHA256(index key, purpose : normalised value), the blind index.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

AES, SM4 = "A", "S"
CIPHERS = {"aes-gcm": AES, "sm4-gcm": SM4}
NONCE = 12
TAG = 16


class DecryptionError(Exception):
    """A stored value that no configured key opens: a wrong or missing key, or a tampered value."""


@dataclass(frozen=True)
class Keyring:
    current: str
    keys: dict[str, bytes]
    index_key: bytes
    cipher: str


def _b64key(text: str, what: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{what} is not base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{what} must be 32 bytes (base64 of 32 random bytes)")
    return key


def parse_keys(spec: str) -> tuple[str, dict[str, bytes]]:
    """`id=base64,id=base64,…`, the first the one new values are written with."""
    keys: dict[str, bytes] = {}
    current = None
    for part in (p for p in spec.split(",") if p.strip()):
        key_id, sep, value = part.strip().partition("=")
        if not sep or not key_id.isalnum():
            raise ImproperlyConfigured("PERSONAL_DATA_KEYS entries are id=base64key (id: letters and digits)")
        keys[key_id] = _b64key(value, f"PERSONAL_DATA_KEYS[{key_id}]")
        current = current or key_id
    if current is None:
        raise ImproperlyConfigured("PERSONAL_DATA_KEYS is empty")
    return current, keys


@lru_cache(maxsize=4)
def _keyring(spec: str, index: str, cipher: str) -> Keyring:
    current, keys = parse_keys(spec)
    if cipher not in CIPHERS:
        raise ImproperlyConfigured(f"PERSONAL_DATA_CIPHER must be one of {', '.join(CIPHERS)}")
    return Keyring(current, keys, _b64key(index, "PERSONAL_DATA_INDEX_KEY"), CIPHERS[cipher])


def keyring() -> Keyring:
    spec, index = settings.PERSONAL_DATA_KEYS, settings.PERSONAL_DATA_INDEX_KEY
    if not spec or not index:  # settings fill in development keys when DJANGO_DEBUG is on, and only then
        raise ImproperlyConfigured(
            "PERSONAL_DATA_KEYS and PERSONAL_DATA_INDEX_KEY must be set when DJANGO_DEBUG is off (.env.example)."
        )
    return _keyring(spec, index, settings.PERSONAL_DATA_CIPHER)


def _sm4_key(key: bytes) -> bytes:
    """SM4 takes 128-bit keys: derive one from the 256-bit master key, apart from the AES use."""
    return HKDF(algorithm=hashes.SHA256(), length=16, salt=None, info=b"e-net-clear sm4-gcm").derive(key)


def _seal(cipher: str, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    if cipher == AES:
        return AESGCM(key).encrypt(nonce, data, aad)
    encryptor = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _open(cipher: str, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    if cipher == AES:
        return AESGCM(key).decrypt(nonce, sealed, aad)
    body, tag = sealed[:-TAG], sealed[-TAG:]
    decryptor = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(body) + decryptor.finalize()


def encrypt(value: str, purpose: str) -> str:
    """A token for `value` under the current key; "" stays "" (an empty field holds nothing to hide)."""
    if not value:
        return ""
    ring = keyring()
    nonce = os.urandom(NONCE)
    aad = f"{purpose}|{ring.current}".encode()
    sealed = _seal(ring.cipher, ring.keys[ring.current], nonce, value.encode(), aad)
    return f"{ring.cipher}${ring.current}${base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, purpose: str) -> str:
    if not token:
        return ""
    try:
        cipher, key_id, body = token.split("$", 2)
        raw = base64.b64decode(body)
        key = keyring().keys[key_id]
        return _open(cipher, key, raw[:NONCE], raw[NONCE:], f"{purpose}|{key_id}".encode()).decode()
    except (ValueError, KeyError, InvalidTag):
        raise DecryptionError(purpose) from None


def key_id_of(token: str) -> str | None:
    parts = token.split("$", 2) if token else []
    return parts[1] if len(parts) == 3 else None


def needs_rotation(token: str) -> bool:
    """Written with a key or a cipher other than the current ones."""
    if not token:
        return False
    ring = keyring()
    return not token.startswith(f"{ring.cipher}${ring.current}$")


def blind_index(normalised: str, purpose: str) -> str:
    """The keyed look-up value of a normalised value: equal values, equal indexes; nothing to read back."""
    if not normalised:
        return ""
    message = f"{purpose}:{normalised}".encode()
    return hmac.new(keyring().index_key, message, hashlib.sha256).hexdigest()
