"""文明户评选 in Chromium, as issue 14 asks: an officer who keeps the community's ledger, on a 1440 px screen, creates
the civilised-household evaluation with its items, records inspections, scores, publishes the notice — the notice
shows the ranking with the nominees — and an illegal step (an inspection outside the year, making the list final
inside the objection period) shows the reason in zh-hans and changes nothing. Then the evaluation's pages and the
passbook page on a 390 px phone and the 1440 px screen: nothing wider than the screen."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parties import services as parties
from points.models import Evaluation, EvaluationLog, HouseholdScore, Inspection
from points.services import ledger
from tests.browser.harness import PHONE
from tests.points.factories import grant, household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDE = {"width": 1440, "height": 900}
HEAD = "A/S1/C1:grid_head"


def _fits(page, width: int) -> None:
    """Nothing on the page is wider than the screen: a wide table scrolls inside its own box."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_an_officer_carries_the_evaluation_to_its_notice(world, live_server, new_page, log_in, shot):
    homes = [household(world, number=str(101 + n), head_name=name) for n, name in enumerate(["王秀英", "李建国", "赵敏"])]
    elsewhere = household(world, grid_path="A/S1/C2/G1", number="201", head_name="钱")
    committee = parties.set_up_committee(grid=world.node("A/S1/C1/G1"), name="宝文国际花园共治委员会")
    # 李建国's household passbook earned 40 points by grants in 2025: 4 score points of participation.
    book = ledger.passbook_for_household(household=homes[1])
    grant(world, book, 40, "seed:2025", occurred_at=timezone.make_aware(dt.datetime(2025, 6, 1, 10)))
    officer = world.users[HEAD]

    page = new_page(viewport=WIDE)
    log_in(page, officer.username)
    page.goto(f"{live_server.url}/points/evaluations/")
    page.get_by_role("link", name="新建文明户评选").click()
    page.select_option("#id_community", str(world.node("A/S1/C1").pk))
    page.select_option("#id_committee", str(committee.pk))
    page.fill("#id_year", "2025")
    page.fill("#id_title", "2025年度文明户评选")
    page.fill("#id_items", "垃圾分类达标 5\n邻里和睦 3\n毁绿种菜 -10")
    page.fill("#id_nominees", "2")
    page.fill("#id_notice_days", "7")
    _fits(page, WIDE["width"])
    page.get_by_role("button", name="创建").click()
    evaluation = Evaluation.objects.get()
    expect(page).to_have_url(f"{live_server.url}/points/evaluations/{evaluation.pk}/")
    expect(page.locator("h1")).to_contain_text("草稿")

    page.get_by_role("button", name="开始检查").click()
    expect(page.locator("#inspection-form")).to_be_visible()
    assert page.locator(f'#inspection-form select[name=household] option[value="{elsewhere.pk}"]').count() == 0  # another community's

    def inspect(home, item, on_date):
        form = page.locator("#inspection-form")
        form.get_by_label("户", exact=True).select_option(str(home.pk))
        form.get_by_label("项目", exact=True).select_option(label=item)
        form.get_by_label("检查日期", exact=True).fill(on_date)
        form.get_by_role("button", name="记录").click()

    inspect(homes[0], "垃圾分类达标 (+5)", "2025-03-15")
    expect(page.locator("#inspection-form")).to_be_visible()
    inspect(homes[0], "邻里和睦 (+3)", "2025-06-15")
    inspect(homes[1], "垃圾分类达标 (+5)", "2025-09-15")
    inspect(homes[2], "毁绿种菜 (-10)", "2025-12-15")
    expect(page.locator("#inspection-form + ul li")).to_have_count(4)
    # An illegal step: a day outside the evaluation's year. The reason in zh-hans, and nothing recorded.
    inspect(homes[2], "邻里和睦 (+3)", "2026-02-01")
    expect(page.locator("#evaluation-error")).to_contain_text("评选年度")
    assert Inspection.objects.count() == 4
    shot(page, "inspecting-1440")

    page.goto(f"{live_server.url}/points/evaluations/{evaluation.pk}/")
    page.get_by_role("button", name="评分排名").click()
    expect(page.locator(f"#score-{homes[0].pk}")).to_be_visible()
    page.get_by_role("button", name="公示提名名单").click()
    expect(page.locator("h1")).to_contain_text("公示中")

    # The notice: the ranking, the nominees marked, the end of the objection period.
    evaluation.refresh_from_db()
    assert evaluation.status == "noticed"
    ends = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    expect(page.locator("body")).to_contain_text(ends)
    rows = page.locator("table.evaluation-scores tbody tr")
    expect(rows).to_have_count(3)
    # 王 8 (items), 李 5 + 4 participation = 9, 赵 −10: 李 first, 王 second, both nominated; 赵 last, not.
    assert [rows.nth(n).get_attribute("id") for n in range(3)] == [
        f"score-{homes[1].pk}", f"score-{homes[0].pk}", f"score-{homes[2].pk}"]
    expect(rows.nth(0).locator("td").first).to_have_text("1")
    expect(rows.nth(0)).to_contain_text("9")
    expect(rows.nth(2)).to_contain_text("-10")
    assert list(HouseholdScore.objects.filter(evaluation=evaluation, nominated=True)
                .order_by("rank").values_list("household_id", flat=True)) == [homes[1].pk, homes[0].pk]
    expect(rows.nth(0).locator(".nominated")).to_be_visible()
    expect(rows.nth(2).locator(".nominated")).to_have_count(0)
    _fits(page, WIDE["width"])
    shot(page, "notice-1440")

    # Another illegal step: the final list inside the objection period. Refused in zh-hans; nothing changes.
    logged = EvaluationLog.objects.filter(evaluation=evaluation).count()
    page.get_by_role("button", name="确定最终名单").click()
    expect(page.locator("#evaluation-error")).to_contain_text("异议期")
    evaluation.refresh_from_db()
    assert evaluation.status == "noticed" and EvaluationLog.objects.filter(evaluation=evaluation).count() == logged

    # The same pages on a phone: nothing wider than its 390 px; the ranking scrolls inside its box.
    phone = new_page(viewport=PHONE, mobile=True)
    log_in(phone, officer.username)
    for label, path in (("list", "/points/evaluations/"), ("new", "/points/evaluations/new/"),
                        ("notice", f"/points/evaluations/{evaluation.pk}/")):
        phone.goto(f"{live_server.url}{path}")
        _fits(phone, PHONE["width"])
        shot(phone, f"{label}-390")
    expect(phone.locator(f"#score-{homes[1].pk}")).to_be_visible()


def test_the_evaluations_inspection_form_and_the_passbook_fit_a_phone(world, live_server, new_page, log_in, shot):
    """While inspecting, the inspection form and the list of findings; and the passbook page with its history."""
    from points.services import evaluation as ev

    home = household(world, number="101", head_name="王秀英")
    evaluation = ev.create_evaluation(actor=None, community=world.node("A/S1/C1"), year=2025,
                                      title="2025年度文明户评选（宝文国际花园）",
                                      items=[("垃圾分类达标", 5), ("无违章搭建", 5), ("毁绿种菜", -10)])
    ev.open_inspections(actor=None, evaluation=evaluation)
    item = evaluation.items.get(name="垃圾分类达标")
    ev.record_inspection(actor=None, evaluation=evaluation, household=home, item=item, on_date=dt.date(2025, 5, 1),
                         note="第二季度检查，分类准确，桶边整洁")
    book = ledger.passbook_for_household(household=home)
    for n in range(12):
        grant(world, book, 5, f"seed:{n}", memo="参加志愿服务：楼道清理与垃圾分类宣传",
              occurred_at=timezone.make_aware(dt.datetime(2025, 1 + n, 3, 9)))
    for viewport, label in ((PHONE, "390"), (WIDE, "1440")):
        page = new_page(viewport=viewport, mobile=viewport is PHONE)
        log_in(page, world.users[HEAD].username)
        page.goto(f"{live_server.url}/points/evaluations/{evaluation.pk}/")
        expect(page.locator("#inspection-form")).to_be_visible()
        _fits(page, viewport["width"])
        shot(page, f"inspecting-{label}")
        page.goto(f"{live_server.url}/points/accounts/{book.pk}/")
        expect(page.locator("body")).to_contain_text("60")
        _fits(page, viewport["width"])
        shot(page, f"passbook-{label}")
