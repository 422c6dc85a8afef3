"""The assessment pages in Chromium: 我的考核 on a 390 px phone, an officer's ranking with its A4 sheet and .xlsx on
a desktop, and compute → publish → recompute (refused without a reason, a new version with one) through the forms.

The month is tests/assessment/conftest.py's October 2026; what the pages show is checked against the Score rows.
Like tests/events/test_browser_flow.py, each test drives its own Chromium from a thread of its own (Playwright's
sync API allows one running instance per thread); screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from assessment import services
from assessment.choices import RunStatus, SubjectKind
from assessment.indicators import by_key, item_fields
from assessment.models import AssessmentRun, Score
from tests.browser.harness import ARTIFACTS, DESKTOP, PHONE, new_page, sign_in, with_chromium

from .conftest import DISTRICT_HEAD, HEAD, NOW, OCTOBER, W1, W2

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A mobile Chromium widens its layout viewport to fit content wider than the device (it zooms out), so the page
# is also checked to lay out at the device's width.
WIDTHS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
# The sheet's @page rule, read from the CSSOM (Chromium exposes it as a CSSPageRule).
PAGE_SIZE = """
() => [...document.styleSheets].flatMap((sheet) => {
  try { return [...sheet.cssRules]; } catch (e) { return []; }
}).filter((rule) => rule instanceof CSSPageRule).map((rule) => rule.style.getPropertyValue("size"))
"""

# How many lines an element's text takes.
ONE_LINE = "(el) => { const r = document.createRange(); r.selectNodeContents(el); return r.getClientRects().length; }"


class Driver:
    """Pages of one Chromium against the live server, signed in through the real login form."""

    def __init__(self, chromium, base: str, stem: str):
        self.chromium, self.base, self.stem = chromium, base, stem

    def page(self, username: str, *, viewport=DESKTOP, mobile=False):
        return sign_in(new_page(self.chromium, viewport=viewport, mobile=mobile), self.base, username)

    def shot(self, page, label: str):
        page.screenshot(path=str(ARTIFACTS / f"assessment-{self.stem}-{label}.png"), full_page=True)


def drive(live_server, stem: str, flow):
    """Run `flow(driver)` with a Chromium of its own in a thread of its own; re-raise its failure here."""
    with_chromium(lambda chromium: flow(Driver(chromium, live_server.url, stem)))


def scored_and_published(world):
    admin, tenant = world.user("A:admin"), world.tenants["A"]
    run = services.compute_month(actor=admin, tenant=tenant, month=OCTOBER, now=NOW)
    return services.publish_month(actor=admin, tenant=tenant, month=run.month, version=run.version)


def workers_ranked(run, **where):
    """(name, total) of the run's grid workers under `where`, highest total first, as the database has them."""
    from assessment.selectors import Row, breakdown

    scores = Score.objects.filter(run=run, subject_kind=SubjectKind.WORKER, **where).select_related("user")
    rows = [Row(s, breakdown(s)) for s in scores.order_by("-total", "node__code", "user__username")]
    # a row where no indicator measured anything says so instead of a 0 of nothing (assessment/_row.html)
    return [(str(r.user), str(r.total) if r.scored else "本月无可计分的工作") for r in rows]


def ranking(page) -> list[tuple[str, str]]:
    """(name, total) of each row of the page's grid-worker table, top to bottom."""
    header = page.get_by_test_id("worker-ranking").locator("thead tr").first.locator("th").all_inner_texts()
    total_at = 3 + 2 * (len(header) - 5)  # 序号, name, grid, two cells per indicator, then the score
    rows = page.get_by_test_id("worker-ranking").get_by_test_id("score-row")
    cells = rows.evaluate_all("rows => rows.map((r) => [...r.cells].map((c) => c.innerText.trim()))")
    return [(row[1], row[total_at]) for row in cells]


# --- 我的考核 on a phone ------------------------------------------------------------------------------------


def test_grid_worker_sees_their_published_score_on_a_phone(month, world, live_server):
    run = scored_and_published(world)
    mine = Score.objects.get(run=run, user=world.users[W1])
    of_community = Score.objects.filter(run=run, subject_kind=SubjectKind.WORKER, community=mine.community).count()
    other = Score.objects.get(run=run, user=world.users[W2])
    assert other.total > mine.total  # W1 is not first: the rank shown is a real one
    with translation.override("zh-hans"):
        labels = {key: str(by_key()[key].label) for key in mine.indicators}
    assert "按期结案率" in labels.values()
    items = {key: item_fields(value) for key, value in mine.indicators.items()}
    url = reverse("assessment:me")

    def flow(driver):
        page = driver.page(world.users[W1].username, viewport=PHONE, mobile=True)
        page.goto(driver.base + url)
        assert page.viewport_size == PHONE
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        expect(page.get_by_test_id("my-assessment-title")).to_have_text("我的考核")
        card = page.get_by_test_id("my-score")
        expect(card).to_have_count(1)
        expect(card).to_contain_text("2026-10")
        expect(page.get_by_test_id("my-total")).to_have_text(str(mine.total))
        expect(card).to_contain_text("社区内排名")
        expect(page.get_by_test_id("rank-community")).to_have_text(f"{mine.rank_in_community} / {of_community}")
        assert (mine.rank_in_community, of_community) == (2, 2)
        expect(page.locator("main")).not_to_contain_text(str(other.total))  # W2's score is not W1's to see

        lines = page.get_by_test_id("breakdown").locator("li")
        expect(lines).to_have_count(len(items))
        for key, item in items.items():
            line = lines.filter(has=page.get_by_test_id(f"points-{key}"))
            expect(line).to_contain_text(labels[key])
            expect(line).to_contain_text(f"权重 {item['weight']}")
            expect(line.get_by_test_id(f"points-{key}")).to_have_text(
                "暂无" if item["points"] is None else item["points"]
            )

        # The month picker's button keeps 查看 on one line (a flex item next to a full-width select).
        show = page.get_by_test_id("show-month")
        expect(show).to_have_text("查看")
        assert show.evaluate(ONE_LINE) == 1, "查看 wraps one character a line"

        scroll_width, inner_width = page.evaluate(WIDTHS)
        assert scroll_width <= inner_width == PHONE["width"], f"{scroll_width} px wide on a 390 px phone"
        tabbar = page.locator("nav.tabbar")
        expect(tabbar).to_be_visible()
        box = tabbar.bounding_box()
        assert abs(box["y"] + box["height"] - PHONE["height"]) <= 1, "the tab bar sits at the bottom of the screen"
        driver.shot(page, "me-phone")

    drive(live_server, "me", flow)


# --- an officer's ranking, the A4 sheet and the .xlsx ------------------------------------------------------


def test_community_head_sees_their_workers_ranked_prints_and_exports(month, world, live_server):
    run = scored_and_published(world)
    community, sibling = world.nodes["A/S1/C1"], world.nodes["A/S1/C2"]
    expected = workers_ranked(run, community=community)
    assert [name for name, _total in expected] == [str(world.users[W2]), str(world.users[W1])]  # not grid order
    outsiders = [name for name, _total in workers_ranked(run) if name not in dict(expected)]
    assert outsiders  # the street's and district's other workers are scored too
    node_url = reverse("assessment:node", args=[community.pk])
    sibling_url = reverse("assessment:node", args=[sibling.pk])

    def flow(driver):
        page = driver.page(world.users[HEAD].username)
        page.goto(driver.base + node_url)
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        expect(page.locator("h1")).to_contain_text(community.name)
        expect(page.get_by_test_id("run-status")).to_have_text("v1 · 已发布")
        expect(page.get_by_test_id("worker-ranking")).to_contain_text("网格员")
        shown = ranking(page)
        assert shown == expected
        totals = [float(total) for _name, total in shown]
        assert totals == sorted(totals, reverse=True) and totals[0] == max(totals)
        for name in outsiders:
            expect(page.locator("main")).not_to_contain_text(name)
        expect(page.locator("main")).not_to_contain_text(sibling.name)
        # On screen each worker's grid stays on one line (the table scrolls sideways rather than growing tall).
        for cell in page.get_by_test_id("worker-ranking").locator("td.grid-cell").all():
            assert cell.evaluate(ONE_LINE) == 1, "a grid's name wraps on the ranking page"
        expect(page.get_by_test_id("compute-form")).to_have_count(0)  # a community head may not compute
        # The breadcrumb names the street and the district, but links to neither: both are outside the scope.
        crumbs = page.get_by_test_id("breadcrumb")
        expect(crumbs.locator("li")).to_have_text([world.nodes["A"].name, world.nodes["A/S1"].name, community.name])
        expect(crumbs.locator("a")).to_have_count(0)
        driver.shot(page, "ranking")
        assert page.goto(driver.base + sibling_url).status == 404  # another community: outside the scope

        page.goto(driver.base + node_url)
        export = page.get_by_test_id("export-link").get_attribute("href")
        page.get_by_test_id("sheet-link").click()
        page.wait_for_url("**/sheet/?*")
        expect(page.get_by_test_id("sheet-title")).to_contain_text(f"{community.name} 2026-10")
        buttons = page.locator(".no-print")
        expect(buttons).to_be_visible()
        assert [size.replace(" ", "").lower() for size in page.evaluate(PAGE_SIZE)] == ["a4landscape"]
        page.emulate_media(media="print")
        expect(buttons).to_be_hidden()
        expect(page.get_by_test_id("worker-ranking")).to_be_visible()
        assert ranking(page) == expected
        # Printed with the sheet's own page size: an A4 landscape page is 297 × 210 mm = 842 × 595 pt.
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
        assert boxes, "no page in the printed sheet"
        for width, height in boxes:
            assert abs(float(width) - 841.89) < 1.5 and abs(float(height) - 595.28) < 1.5, (width, height)
        page.emulate_media(media="screen")

        response = page.request.get(driver.base + export)
        assert response.status == 200
        assert response.headers["content-type"].startswith(XLSX)
        sheet = load_workbook(BytesIO(response.body()))["网格员"]
        rows = [(r[0], r[1]) for r in sheet.iter_rows(min_row=4, values_only=True)]
        assert rows == [(n, name) for n, (name, _total) in enumerate(expected, start=1)]

    drive(live_server, "ranking", flow)


# --- compute, publish, recompute with a reason -------------------------------------------------------------


def test_district_head_computes_publishes_and_recomputes_only_with_a_reason(month, world, live_server):
    tenant, district = world.tenants["A"], world.nodes["A"]
    head = world.users[DISTRICT_HEAD]
    node_url = reverse("assessment:node", args=[district.pk])
    community_url = reverse("assessment:node", args=[world.nodes["A/S1/C1"].pk])
    runs = AssessmentRun.objects.filter(tenant=tenant, month=OCTOBER)
    seen = {}

    def compute(page, reason=""):
        form = page.get_by_test_id("compute-form")
        form.locator("#id_month").fill("2026-10")
        form.locator("#id_reason").fill(reason)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")

    def flow(driver):
        page = driver.page(head.username)
        page.goto(driver.base + node_url)
        expect(page.get_by_test_id("not-scored")).to_be_visible()
        compute(page)
        page.wait_for_url("**/?month=2026-10")
        expect(page.get_by_test_id("run-status")).to_have_text("v1 · 草稿")
        expect(page.locator(".alert-success")).to_contain_text("2026-10")
        run = runs.get()
        assert (run.version, run.status, run.computed_by_id) == (1, RunStatus.DRAFT, head.pk)
        assert ranking(page) == workers_ranked(run)

        page.get_by_test_id("publish-form").locator("button[type=submit]").click()
        page.wait_for_url("**/?month=2026-10&version=1")
        expect(page.get_by_test_id("run-status")).to_have_text("v1 · 已发布")
        expect(page.get_by_test_id("publish-form")).to_have_count(0)
        run.refresh_from_db()
        assert (run.status, run.published_by_id) == (RunStatus.PUBLISHED, head.pk)
        seen["scores"] = sorted(Score.objects.filter(run=run).values_list("pk", "total"))

        # Recompute without a reason: refused, in Chinese, and nothing changes.
        expect(page.get_by_test_id("compute-form").locator("button[type=submit]")).to_have_text("重新计算（生成新版本）")
        compute(page, reason="   ")
        error = page.get_by_test_id("error")
        expect(error).to_be_visible()
        expect(error).to_have_text("2026-10 第 1 版已发布并冻结：请填写原因以生成新版本。")
        assert list(runs.values_list("version", "status")) == [(1, RunStatus.PUBLISHED)]
        assert sorted(Score.objects.filter(run=run).values_list("pk", "total")) == seen["scores"]
        driver.shot(page, "refused")

        # With a reason: version 2, a draft that keeps the reason; version 1 stays published.
        compute(page, reason="补录事件后重算")
        page.wait_for_url("**/?month=2026-10")
        expect(page.get_by_test_id("error")).to_have_count(0)
        expect(page.get_by_test_id("run-status")).to_have_text("v2 · 草稿")
        expect(page.get_by_test_id("run")).to_contain_text("原因: 补录事件后重算")
        expect(page.get_by_test_id("months").locator("a")).to_have_text(["v2 · 草稿", "v1 · 已发布"])
        second = runs.get(version=2)
        assert (second.status, second.reason, second.computed_by_id) == (RunStatus.DRAFT, "补录事件后重算", head.pk)
        assert runs.get(version=1).status == RunStatus.PUBLISHED
        assert ranking(page) == workers_ranked(second)
        driver.shot(page, "recomputed")

        # Down the tree, the district head's breadcrumb links back up, and each link opens.
        page.goto(driver.base + community_url)
        links = page.get_by_test_id("breadcrumb").locator("a")
        expect(links).to_have_text([district.name, world.nodes["A/S1"].name])
        for href in links.evaluate_all("links => links.map((a) => a.href)"):
            assert page.request.get(href).status == 200, href

    drive(live_server, "compute", flow)
