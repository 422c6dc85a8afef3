"""Production settings pass `manage.py check --deploy`, and production refuses to start without a secret key.

Each case runs manage.py in a subprocess with a production environment (DEBUG off), since settings are read once
per process and the test process itself runs with DJANGO_DEBUG=1.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables that would weaken or change the production defaults under test.
CLEARED = (
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_COOKIES",
    "DJANGO_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by tests/browser/harness.py for Playwright; never in production
)


def manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    # Explicit, so a developer's .env file (read with overwrite=False) cannot turn DEBUG back on.
    env.update({"DJANGO_DEBUG": "false", "DJANGO_SETTINGS_MODULE": "yaohai.settings"})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_key() -> str:
    return secrets.token_urlsafe(64)  # 86 characters, far more than 5 distinct


def test_check_deploy_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=production_key(),
        DJANGO_ALLOWED_HOSTS="egrid.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_ALLOWED_HOSTS="egrid.example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "override, warning",
    [
        ({"DJANGO_SECRET_KEY": "too-short"}, "security.W009"),
        ({"DJANGO_HSTS_SECONDS": "0"}, "security.W004"),
        ({"DJANGO_SECURE_COOKIES": "false"}, "security.W012"),
    ],
)
def test_check_deploy_catches_a_weakened_setting(override, warning):
    """The check really runs: weakening one production default makes it fail."""
    env = {"DJANGO_SECRET_KEY": production_key(), "DJANGO_ALLOWED_HOSTS": "egrid.example.org", **override}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    settings_py = (BASE_DIR / "yaohai" / "settings.py").read_text()
    read = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", settings_py))
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (BASE_DIR / ".env.example").read_text(), re.M))
    assert read, "no env reads found in settings.py"
    assert not read - listed, f"add these to .env.example with a comment: {sorted(read - listed)}"
