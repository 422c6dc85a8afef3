"""The pages as a person sees them in Chromium: a grid worker on a phone, an officer on a desktop, two languages."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grids import services
from grids.models import Assignment
from tests.browser.harness import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABS = ["首页", "上报", "待办", "我的"]


def tab_labels(page):
    # Each tab is an icon above a label; the label is the last line of the link's text.
    return [text.split("\n")[-1].strip() for text in page.locator("nav.tabbar a").all_inner_texts()]


def test_grid_worker_signs_in_on_a_phone_and_switches_tabs(world, live_server, new_page, log_in, shot):
    worker = world.users["A/S1/C1/G1:grid_worker"]
    # A browser asking for a language we don't ship (French) gets the default language, Chinese.
    page = new_page(viewport=PHONE, locale="fr-FR", mobile=True)
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    shot(page, "login")
    log_in(page, worker.username)

    assert page.viewport_size == PHONE
    expect(page.get_by_test_id("my-grid")).to_have_count(1)
    expect(page.get_by_test_id("my-grid")).to_contain_text("网格1")
    assert tab_labels(page) == TABS
    tabbar = page.locator("nav.tabbar").bounding_box()
    assert abs(tabbar["y"] + tabbar["height"] - PHONE["height"]) <= 1, (
        "the tab bar sits at the bottom of the screen"
    )
    expect(page.locator("nav.tabbar a.active")).to_contain_text("首页")
    shot(page, "home")

    for label, path, marker in [("上报", "/events/report/", "submit-report"), ("待办", "/events/todo/", "empty-todo")]:
        page.locator("nav.tabbar a", has_text=label).click()
        page.wait_for_url(f"**{path}")
        expect(page.locator("nav.tabbar a.active")).to_contain_text(label)
        expect(page.get_by_test_id(marker)).to_be_visible()
        shot(page, path.strip("/").replace("/", "-"))

    page.locator("nav.tabbar a", has_text="我的").click()
    page.wait_for_url("**/?tab=me")
    expect(page.locator("nav.tabbar a.active")).to_contain_text("我的")
    expect(page.locator("main")).to_contain_text(str(worker))
    shot(page, "me")

    page.locator("nav.tabbar a", has_text="首页").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_test_id("my-grid")).to_be_visible()


def test_community_officer_sees_node_children_and_roster_gaps(world, live_server, new_page, log_in, shot):
    officer = world.users["A/S1/C1:grid_head"]
    community = world.nodes["A/S1/C1"]
    # Grid 2's grid worker left yesterday: the post is required on a grid, so grid 2 now has a gap.
    leaver = Assignment.objects.get(user=world.users["A/S1/C1/G2:grid_worker"])
    services.end_assignment(assignment=leaver, end_date=timezone.localdate() - dt.timedelta(days=1))
    page = new_page(viewport=DESKTOP)
    log_in(page, officer.username)

    nodes = page.get_by_test_id("home-node")
    expect(nodes).to_have_count(1)
    expect(nodes).to_contain_text(community.name)
    expect(nodes).to_contain_text(community.code)
    children = nodes.get_by_test_id("child-node")
    expect(children).to_have_count(2)
    expect(children.nth(0)).to_contain_text("网格1")
    expect(children.nth(1)).to_contain_text("网格2")
    # A sibling community is outside the jurisdiction.
    expect(page.locator("main")).not_to_contain_text(world.nodes["A/S1/C2"].name)

    gaps = page.get_by_test_id("roster-gaps")
    expect(gaps).to_be_visible()
    expect(gaps.locator("li", has_text="网格2").locator(".gap-badge")).to_contain_text(leaver.post.name)
    expect(gaps.locator("li", has_text="网格1")).to_have_count(0)
    shot(page, "home")

    nodes.get_by_role("link", name=community.name).click()
    page.wait_for_url(f"**/grids/{community.pk}/")
    expect(page.locator("h1")).to_contain_text(community.name)
    shot(page, "node")


def test_language_switcher_changes_the_page_to_english(world, live_server, new_page, log_in, shot):
    officer = world.users["A/S1/C1:grid_head"]
    page = new_page(viewport=DESKTOP)
    log_in(page, officer.username)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    chinese_title = page.title()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)

    with page.expect_navigation():
        page.get_by_test_id("language-switcher").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("roster-gaps")).to_contain_text("Roster gaps")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert page.title() != chinese_title
    assert page.url == f"{live_server.url}/"
    shot(page, "english")

    # The choice sticks across pages until switched back.
    page.goto(f"{live_server.url}/?again=1")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.get_by_test_id("language-switcher").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_swagger_ui_and_the_language_switcher_work_under_the_content_security_policy(world, live_server, new_page, log_in):
    """Swagger UI from the sidecar starts from its own script file (no inline start-up block), and the language
    switcher, once an inline onchange, now sends its form from static/js/ui.js."""
    page = new_page()
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_be_visible()
    log_in(page, world.users["A/S1/C1:grid_head"].username)
    page.goto(f"{live_server.url}/accounts/security/")
    page.get_by_test_id("language-switcher").first.select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
