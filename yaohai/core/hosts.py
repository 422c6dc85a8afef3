"""This machine's names and addresses, for ALLOWED_HOSTS in DEBUG (the demo listens on every interface)."""

from __future__ import annotations

import socket


def machine_addresses() -> list[str]:
    """The host name, its fully qualified name and every address they resolve to, plus the address of the
    interface that routes outwards (read from a UDP socket's own end: nothing is sent)."""
    found: list[str] = []

    def add(host: str | None) -> None:
        shown = f"[{host}]" if host and ":" in host else host
        if shown and shown not in found:
            found.append(shown)

    name = socket.gethostname()
    add(name)
    add(socket.getfqdn())
    try:
        for *_, address in socket.getaddrinfo(name, None):
            add(address[0])
    except OSError:
        pass
    for family, target in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as probe:
                probe.connect((target, 9))
                add(probe.getsockname()[0])
        except OSError:
            pass
    return found
