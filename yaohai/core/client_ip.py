"""The client's address, as the sign-in lockout and the throttles see it.

Behind a reverse proxy on the same host every request comes from 127.0.0.1, so an address lock on REMOTE_ADDR
locks everyone at once. The proxy adds the client's address to `X-Forwarded-For`; that header is trusted only when
the request comes from an address listed in `TRUSTED_PROXIES` (DJANGO_TRUSTED_PROXIES: addresses or networks),
which is empty by default: without configuration the header is ignored, because any client can send one.

The header is read from the right (what the nearest proxy appended) and trusted proxies are skipped; the first
address that is not a trusted proxy is the client. A client that writes its own `X-Forwarded-For` only adds
entries to the left of the one our proxy appended, which are never reached.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The address of the client that sent the request: REMOTE_ADDR, or, from a trusted proxy, the nearest
    untrusted entry of X-Forwarded-For."""
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(_parse(remote or ""), networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for entry in reversed(forwarded):
        address = _parse(entry)
        if address is None:
            return remote  # a garbled header: fall back to the proxy's own address rather than trust garbage
        if not _trusted(address, networks):
            return str(address)
    return remote
