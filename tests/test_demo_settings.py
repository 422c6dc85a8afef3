"""What `make demo` shows (issue 11): each log line once, the demo reachable by the machine's own address in DEBUG,
the event loader speaking the platform's language as the tree loader does.

Settings are read once per process, so the DEBUG cases run Python in a subprocess with the demo's environment."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parent.parent


def run_debug(code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")}
    env.update({"DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "yaohai.settings"})
    prelude = "import django; django.setup()\n"
    return subprocess.run([sys.executable, "-c", prelude + code], cwd=BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=120)


def test_a_django_log_line_is_printed_once_in_debug():
    result = run_debug('import logging; logging.getLogger("django.request").warning("once-only-marker")')
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("once-only-marker") == 1, result.stderr


def test_in_debug_the_machines_own_name_and_address_are_allowed_hosts():
    result = run_debug("from django.conf import settings; print('\\n'.join(settings.ALLOWED_HOSTS))")
    assert result.returncode == 0, result.stderr
    hosts = result.stdout.split()
    assert socket.gethostname() in hosts
    assert "localhost" in hosts and "testserver" in hosts


@pytest.mark.django_db
def test_the_event_loader_speaks_chinese_like_the_tree_loader(world, capsys):
    from events.catalogue import install_event_catalogue
    from events.models import Category
    from events.services import report_event

    tenant = world.tenants["A"]
    install_event_catalogue(tenant)
    report_event(actor=world.user("A/S1/C1/G1:grid_worker"), node=world.nodes["A/S1/C1/G1"], title="楼道堆物",
                 category=Category.objects.filter(tenant=tenant, parent__isnull=False).first())
    call_command("load_demo_events", tenant.code)
    out = capsys.readouterr().out
    assert "已有事件，跳过" in out and "skipped" not in out
