"""The district officer's workbench on the demo data, in Chromium at 1440 px: the menu, 待办 with its first rows, the
overdue and today's figures, 瑶海区 with its 13 streets and their dashboards, the roster gaps anywhere in the district
(the demo's four), in Chinese; a full-page screenshot of it.

The screenshot goes to test-artifacts/; with SAVE_SCREENSHOTS=docs it also replaces docs/screenshot.png, the README's
first picture (`SAVE_SCREENSHOTS=docs DJANGO_DEBUG=1 DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest -p no:cacheprovider
tests/browser/test_workbench_screenshot.py`).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from events.demo import create_demo_events, load_history
from grids.demo.data import YAOHAI
from grids.models import GridNode, Tenant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"
WIDE = {"width": 1440, "height": 900}


def test_district_officers_workbench_on_the_demo(live_server, new_page, log_in, shot, tmp_path):
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_demo", "--quiet", stdout=open(os.devnull, "w"))
    yaohai = Tenant.objects.get(code=YAOHAI.code)
    load_history(yaohai, count=3000, days=120)
    create_demo_events(yaohai, count=30, days=1)

    page = new_page(viewport=WIDE)
    from django.conf import settings

    log_in(page, "district_officer", settings.DEMO_PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("home-node")).to_contain_text("瑶海区")
    streets = GridNode.objects.filter(tenant=yaohai, kind="street").count()
    assert streets == 13
    expect(page.get_by_test_id("dashboard-link")).to_have_count(1 + streets)
    expect(page.get_by_test_id("roster-gaps").get_by_test_id("gap-row")).to_have_count(4)
    expect(page.get_by_test_id("panel-todo")).to_be_visible()
    menu = [t.strip() for t in page.get_by_test_id("menu").locator("a").all_inner_texts()]
    assert menu[:6] == ["工作台", "事件", "待办", "驾驶舱", "考核", "导出"]
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"]

    path = tmp_path / "workbench.png"
    page.screenshot(path=str(path), full_page=True)
    shot(page, "district-officer")
    if os.environ.get("SAVE_SCREENSHOTS") == "docs":
        shutil.copyfile(path, DOCS_SCREENSHOT)
