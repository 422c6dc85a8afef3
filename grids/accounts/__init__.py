"""Accounts: password rules and history, password expiry, API tokens with a lifetime (see docs/security.md)."""
