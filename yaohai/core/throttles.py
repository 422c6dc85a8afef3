"""API throttles keyed by the client's real address (yaohai.core.client_ip) and by account.

DRF's own throttles identify a client by `X-Forwarded-For` whenever one is sent, which any client can forge; these
use the address the lockout uses. Rates come from settings at each request (API_THROTTLE_RATES), so a deployment
and a test can change them.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .client_ip import client_ip

logger = logging.getLogger(__name__)


class _SettingsRate(SimpleRateThrottle):
    def allow_request(self, request, view):
        """Counts in the cache; when the cache (Redis) cannot be reached the request goes through unthrottled,
        as every other cache use does: an outage of Redis must not stop the API (tests/core/test_redis_outage.py).
        Sign-in stays guarded by django-axes, which counts failures in the database."""
        try:
            return super().allow_request(request, view)
        except Exception as error:  # redis.exceptions.ConnectionError and friends; the backend is configurable
            logger.warning("throttle %s skipped: the cache is unavailable (%s)", self.scope, type(error).__name__)
            return True

    def get_rate(self):
        return getattr(settings, "API_THROTTLE_RATES", {}).get(self.scope) or None  # empty: no throttle

    def get_ident(self, request):
        return client_ip(request) or "unknown"


class AddressThrottle(_SettingsRate):
    """Requests of anonymous callers, per address."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AccountThrottle(_SettingsRate):
    """Requests of a signed-in caller, per account."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class SignInAddressThrottle(_SettingsRate):
    """Attempts to obtain a token, per address (the lockout counts failures; this counts every attempt)."""

    scope = "sign_in_address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInAccountThrottle(_SettingsRate):
    """Attempts to obtain a token, per user name asked for, whatever the address."""

    scope = "sign_in_account"

    def get_cache_key(self, request, view):
        username = str(request.data.get("username", "") if hasattr(request.data, "get") else "")[:150].lower()
        if not username:
            return None
        # Hashed: a user name may hold any character, a cache key may not (memcached refuses spaces and controls).
        return self.cache_format % {"scope": self.scope, "ident": hashlib.sha256(username.encode()).hexdigest()}
