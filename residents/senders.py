"""Where a one-time code goes: the sender named by settings.RESIDENT_CODE_SENDER.

A real SMS gateway is a class with the same one method, `send(phone, code, *, tenant)`, named by its dotted path in
RESIDENT_CODE_SENDER (docs/residents.md): it receives the plain number (decrypted only for the call) and the code,
and raises SendFailed when the gateway refuses. The console and file senders are for development, the demo and the
tests: never configure them in production (they write codes where operators can read them).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SendFailed(Exception):
    """The gateway did not take the message."""


class CodeSender:
    """The interface: deliver `code` to `phone` for a district (`tenant`, for its signature and its account)."""

    def send(self, phone: str, code: str, *, tenant) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSender(CodeSender):
    """Prints the code on the server's console (development)."""

    def send(self, phone: str, code: str, *, tenant) -> None:
        print(f"[e网清] {tenant.name} 验证码 {code} → {phone}", flush=True)  # noqa: T201


class FileSender(CodeSender):
    """Appends one JSON line per code to settings.RESIDENT_CODE_FILE (demo and tests read it back)."""

    def send(self, phone: str, code: str, *, tenant) -> None:
        path = Path(settings.RESIDENT_CODE_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {"at": timezone.now().isoformat(), "tenant": tenant.code, "phone": phone, "code": code}
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def last_code_in_file(phone: str) -> str | None:
    """The latest code the file sender wrote for `phone` (the demo's and the tests' way to read an SMS)."""
    path = Path(settings.RESIDENT_CODE_FILE)
    if not path.exists():
        return None
    found = None
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("phone") == phone:
            found = row["code"]
    return found


def sender() -> CodeSender:
    return import_string(settings.RESIDENT_CODE_SENDER)()
