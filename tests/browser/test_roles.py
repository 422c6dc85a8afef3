"""Every role, in Chromium, from its home to every feature it has, by clicking only (no typed URL after signing in):
the grid worker on a 390 px phone, the community, street and district officers on a 1440 px desktop. On every page
it visits: no horizontal overflow, the same navigation (the phone shell, or the officers' menu), no English left
in a Chinese page."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from events import services
from events.catalogue import install_event_catalogue
from events.models import Category
from grids.models import Assignment
from tests.browser.harness import PHONE
from tests.events.images import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1440, "height": 900}
OFFICER_MENU = ["工作台", "事件", "待办", "驾驶舱", "考核", "导出"]
PHONE_TABS = ["首页", "上报", "待办", "我的"]
# English words a Chinese page may show: the brand, and names that are data (user names are ASCII in the world).
ALLOWED_ENGLISH = {"English", "ECharts", "GeoJSON"}  # the language switcher names English in English


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def check_page(page, label: str, shot, *, phone: bool):
    """What every page must be: as wide as the screen, in its shell, in Chinese."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    if width > viewport:
        wide = page.evaluate(
            """w => [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > w)
                .slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))""",
            viewport,
        )
        raise AssertionError(f"{label}: {width} px wide in a {viewport} px viewport: {wide}")
    if phone:
        tabs = [t.split("\n")[-1].strip() for t in page.locator("nav.tabbar a").all_inner_texts()]
        assert tabs == PHONE_TABS, label
        expect(page.get_by_test_id("desktop-bar")).to_have_count(0)
    else:
        menu = [t.strip() for t in page.get_by_test_id("menu").locator("a").all_inner_texts()]
        assert menu[: len(OFFICER_MENU)] == OFFICER_MENU, label
        expect(page.get_by_test_id("notifications-icon").locator("svg")).to_have_count(1)
    text = page.locator("body").inner_text()
    english = {w for w in re.findall(r"\b[A-Z][a-z]{2,}(?: [a-z]{2,})*\b", text)} - ALLOWED_ENGLISH
    assert not english, f"{label}: untranslated {sorted(english)}"
    shot(page, label)


def click_menu(page, key: str):
    page.get_by_test_id(f"menu-{key}").click()
    page.wait_for_load_state("load")


def file_events(world, path="A/S1/C1/G1", n=2):
    install_event_catalogue(world.tenants["A"])
    category = Category.objects.filter(tenant=world.tenants["A"], parent__isnull=False).order_by("id").first()
    worker = world.user(f"{path}:grid_worker")
    return [
        services.report_event(actor=worker, node=world.nodes[path], category=category, title=f"楼道堆物{i}",
                              photos=[("before", ContentFile(jpeg_bytes(), name="p.jpg"))])
        for i in range(n)
    ]


def test_grid_worker_reaches_everything_from_the_phone(world, live_server, new_page, log_in, shot):
    file_events(world, n=0)
    worker = world.users["A/S1/C1/G1:grid_worker"]
    page = new_page(viewport=PHONE, mobile=True)
    log_in(page, worker.username)
    check_page(page, "home", shot, phone=True)
    expect(page.get_by_test_id("my-grid")).to_contain_text("网格1")
    expect(page.get_by_test_id("empty-events")).to_be_visible()

    # 上报: file an event with a photo.
    page.locator("nav.tabbar a", has_text="上报").click()
    page.wait_for_url("**/events/report/")
    check_page(page, "report", shot, phone=True)
    category = Category.objects.filter(tenant=world.tenants["A"], parent__isnull=False).order_by("id").first()
    page.select_option("#id_main_category", str(category.parent_id))
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_title", "小区东门暴露垃圾")
    page.set_input_files("#id_photos", files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    page.get_by_test_id("submit-report").click()
    page.wait_for_url("**/events/*/?filed=1")
    check_page(page, "event", shot, phone=True)

    # 首页 shows it among her own events; it opens from there.
    page.locator("nav.tabbar a", has_text="首页").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_test_id("my-event")).to_have_count(1)
    expect(page.get_by_test_id("my-event")).to_contain_text("小区东门暴露垃圾")
    check_page(page, "home-with-event", shot, phone=True)
    page.get_by_test_id("my-event").click()
    page.wait_for_url("**/events/*/")
    expect(page.get_by_test_id("event-title")).to_have_text("小区东门暴露垃圾")

    page.locator("nav.tabbar a", has_text="待办").click()
    page.wait_for_url("**/events/todo/")
    check_page(page, "todo", shot, phone=True)

    # 我的: notifications, the events of her grid, her assessment; and the bell in the top bar.
    for testid, url, label in [
        ("open-notifications", "**/events/notifications/", "notifications"),
        ("open-events", "**/events/", "events"),
        ("open-assessment", "**/assessment/me/**", "assessment"),
    ]:
        page.locator("nav.tabbar a", has_text="我的").click()
        page.wait_for_url("**/?tab=me")
        check_page(page, "me", shot, phone=True)
        page.get_by_test_id(testid).click()
        page.wait_for_url(url)
        check_page(page, label, shot, phone=True)
    page.get_by_test_id("notifications-icon").click()
    page.wait_for_url("**/events/notifications/")


def officer_walk(page, live_server, shot, *, label: str, expect_node: str):
    """The officer's features, each reached by a click from the menu or the workbench."""
    check_page(page, f"{label}-workbench", shot, phone=False)
    expect(page.get_by_test_id("home-node")).to_contain_text(expect_node)
    expect(page.get_by_test_id("panel-todo")).to_be_visible()
    expect(page.get_by_test_id("panel-figures")).to_be_visible()

    click_menu(page, "events")
    check_page(page, f"{label}-events", shot, phone=False)
    page.get_by_test_id("event-row").first.locator("a").first.click()
    page.wait_for_url("**/events/*/")
    check_page(page, f"{label}-event", shot, phone=False)

    click_menu(page, "todo")
    check_page(page, f"{label}-todo", shot, phone=False)

    click_menu(page, "dashboards")
    page.wait_for_url("**/dashboards/*/")
    check_page(page, f"{label}-dashboard", shot, phone=False)

    click_menu(page, "assessment")
    check_page(page, f"{label}-assessment", shot, phone=False)

    click_menu(page, "exports")
    check_page(page, f"{label}-exports", shot, phone=False)

    page.get_by_test_id("notifications-icon").click()
    page.wait_for_url("**/events/notifications/")
    check_page(page, f"{label}-notifications", shot, phone=False)

    click_menu(page, "workbench")
    page.wait_for_url(f"{live_server.url}/")
    # Each node's dashboard opens from the workbench too.
    page.get_by_test_id("dashboard-link").first.click()
    page.wait_for_url("**/dashboards/*/")


def test_community_officer_reaches_everything(world, live_server, new_page, log_in, shot):
    file_events(world)
    page = new_page(viewport=WIDE)
    log_in(page, world.users["A/S1/C1:grid_head"].username)
    expect(page.get_by_test_id("todo-row")).to_have_count(2)  # the two new reports wait for acceptance
    officer_walk(page, live_server, shot, label="community", expect_node=world.nodes["A/S1/C1"].name)
    # The breadcrumb names the street but does not link its dashboard (it answers 404 to a community head).
    expect(page.get_by_test_id("breadcrumb").locator("a")).to_have_count(0)


def test_street_officer_reaches_everything_and_the_large_screen_fits(world, live_server, new_page, log_in, shot):
    file_events(world)
    page = new_page(viewport=WIDE)
    log_in(page, world.users["A/S1:grid_head"].username)
    officer_walk(page, live_server, shot, label="street", expect_node=world.nodes["A/S1"].name)
    click_menu(page, "dashboards")
    page.get_by_test_id("screen-link").click()
    page.wait_for_url("**/screen/**")
    screen = page
    box = screen.get_by_test_id("screen").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDE["width"] + 1, box
    assert box["y"] >= 0 and box["y"] + box["height"] <= WIDE["height"] + 1, box
    shot(screen, "street-screen")


def test_district_officer_reaches_everything_and_sees_gaps_anywhere(world, live_server, new_page, log_in, shot):
    file_events(world)
    Assignment.objects.filter(node_id=world.nodes["A/S2/C2/G1"].pk, post__code="police").delete()
    page = new_page(viewport=WIDE)
    log_in(page, world.users["A:grid_head"].username)
    gaps = page.get_by_test_id("roster-gaps")
    expect(gaps.get_by_test_id("gap-row")).to_have_count(1)
    expect(gaps).not_to_contain_text("所有必备岗位均已配齐")
    gaps.get_by_test_id("gap-row").locator("a").click()
    page.wait_for_url(f"**/grids/{world.nodes['A/S2/C2/G1'].pk}/")
    click_menu(page, "workbench")
    officer_walk(page, live_server, shot, label="district", expect_node=world.nodes["A"].name)


def test_an_officers_pages_fit_a_phone_too(world, live_server, new_page, log_in, shot):
    """Desktop pages stay usable on a phone: the menu folds behind its button and nothing is wider than 390 px."""
    file_events(world)
    page = new_page(viewport=PHONE, mobile=True)
    log_in(page, world.users["A/S1/C1:grid_head"].username)
    check_page(page, "phone-workbench", shot, phone=False)
    for key in ("events", "todo", "dashboards", "assessment", "exports"):
        page.locator("button.navbar-toggler").click()
        expect(page.get_by_test_id(f"menu-{key}")).to_be_visible()
        click_menu(page, key)
        check_page(page, f"phone-{key}", shot, phone=False)


def test_tenant_admin_moves_a_node_and_edits_duties_in_the_admin(world, live_server, new_page, log_in, shot):
    """From the workbench to the admin by clicking: move a grid to another street's community (it answered 500),
    then change an assignment's duties (the edit was dropped)."""
    from grids.models import GridNode

    grid, target = world.nodes["A/S1/C1/G2"], world.nodes["A/S2/C1"]
    page = new_page(viewport=WIDE)
    log_in(page, world.users["A:admin"].username)
    check_page(page, "admin-workbench", shot, phone=False)
    click_menu(page, "admin")
    page.locator("#content-main").get_by_role("link", name="网格节点", exact=True).click()
    page.fill("#searchbar", grid.code)
    page.locator("#changelist-search input[type=submit]").click()
    page.locator("#result_list").get_by_role("link", name="网格2").click()
    page.wait_for_url(f"**/admin/grids/gridnode/{grid.pk}/change/**")
    page.fill("#id_name", "迁入网格")
    page.locator("#select2-id_parent-container").click()
    page.locator(".select2-search__field").fill(target.name)
    page.locator(".select2-results__option", has_text=target.name).click()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("成功")
    moved = GridNode.objects.get(pk=grid.pk)
    assert moved.parent_id == target.pk and moved.code.startswith(target.code)
    shot(page, "admin-moved")

    page.get_by_role("link", name="三定配置", exact=True).first.click()
    worker = world.users["A/S1/C1/G1:grid_worker"]
    page.fill("#searchbar", worker.username)
    page.locator("#changelist-search input[type=submit]").click()
    page.locator("#result_list tbody tr th a").first.click()
    page.fill("#id_duties", "负责1号楼至5号楼的日常巡查")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("成功")
    assignment = Assignment.objects.get(user=worker)
    assert assignment.duties == "负责1号楼至5号楼的日常巡查"
    shot(page, "admin-duties")
