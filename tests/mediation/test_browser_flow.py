"""A walk-in dispute in Debian's Chromium, through the real forms: the community's head registers it, accepts it
and assigns the mediator the parties chose; the mediator (on a phone) begins, records a session with the photo of
the signed record, records the agreement and prints it (the page is A4, and so is the PDF Chromium prints and the
one the platform draws); the follow-up visit is scheduled a week after the performance date and recorded; the
street's officer sees the success rate on the street's dashboard.

Driven from a thread of its own (tests/browser/harness.py: Playwright's sync API allows one instance per thread);
screenshots go to test-artifacts/. The dates are computed from the clock the services read (timezone.localdate)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mediation import services
from mediation.models import Agreement, Case, FollowUp, Session
from tests.browser.harness import ARTIFACTS, DESKTOP, PHONE, new_page, sign_in, with_chromium
from tests.events.images import jpeg_bytes

from .conftest import HEAD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STREET_OFFICER = "A/S1:grid_head"
MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]")


def is_a4(pdf: bytes) -> bool:
    """Every page of the PDF is A4 (595.28 × 841.89 points, within a point: printers round)."""
    boxes = [(float(w), float(h)) for w, h in MEDIABOX.findall(pdf)]
    return bool(boxes) and all(abs(w - 595.28) < 1 and abs(h - 841.89) < 1 for w, h in boxes)
PAGE_SIZE = """
() => [...document.styleSheets].flatMap((sheet) => {
  try { return [...sheet.cssRules]; } catch (e) { return []; }
}).filter((rule) => rule instanceof CSSPageRule).map((rule) => rule.style.getPropertyValue("size"))
"""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _terminated_case(med):
    """A case that ended without agreement: the street's success rate is then 1 of 2 concluded."""
    head = med.user(HEAD)
    case = med.register()
    services.accept(actor=head, case=case.pk)
    services.assign(actor=head, case=case.pk, mediator=med.inside)
    services.begin(actor=med.inside_user, case=case.pk)
    services.terminate(actor=med.inside_user, case=case.pk, reason="双方分歧过大，建议诉讼")
    return case


def test_a_walk_in_dispute_from_intake_to_follow_up_and_the_streets_success_rate(med, live_server):
    _terminated_case(med)
    today = timezone.localdate()
    perform_by = today + dt.timedelta(days=10)
    base = live_server.url
    grid = med.world.nodes["A/S1/C1/G1"]
    street = med.world.nodes["A/S1"]

    def shot(page, label):
        page.screenshot(path=str(ARTIFACTS / f"mediation-{label}.png"), full_page=True)

    def flow(chromium):
        # 1. intake at the community (desktop)
        head = sign_in(new_page(chromium, viewport=DESKTOP), base, med.user(HEAD).username)
        head.goto(f"{base}/mediation/new/")
        head.select_option("#id_node", str(grid.pk))
        head.select_option("#id_channel", "walk_in")
        head.select_option("#id_dispute_type", str(med.dispute_type().pk))
        head.select_option("#id_body", str(med.body.pk))
        head.fill("#id_facts", "楼上卫生间漏水，楼下天花板受损，双方协商未果")
        head.fill("#id_amount", "1800")
        head.fill("#id_applicant_name", "张三")
        head.fill("#id_applicant_phone", "13905518230")
        head.fill("#id_respondent_name", "李四")
        head.get_by_test_id("register").click()
        head.wait_for_url(re.compile(r".*/mediation/\d+/$"))
        case = Case.objects.exclude(status="terminated").get()
        expect(head.get_by_test_id("case-status")).to_have_text("已登记")
        expect(head.get_by_test_id("parties")).to_contain_text("139****8230")
        # 2. accepted, and the mediator the parties chose assigned
        head.get_by_test_id("step-accept").locator("button").click()
        expect(head.get_by_test_id("case-status")).to_have_text("已受理")
        assign = head.get_by_test_id("step-assign")
        assign.get_by_test_id("mediator").select_option(str(med.inside.pk))
        assign.get_by_test_id("chosen-by-parties").check()
        assign.locator("button").click()
        expect(head.get_by_test_id("case-status")).to_have_text("已分派")
        expect(head.get_by_test_id("case-mediator")).to_contain_text("当事人选定")
        shot(head, "assigned")

        # 3. the mediator, on a phone: begins and records a session with the photo of the signed record
        phone = sign_in(new_page(chromium, viewport=PHONE, mobile=True), base, med.inside_user.username)
        phone.goto(f"{base}/mediation/{case.pk}/")
        phone.get_by_test_id("step-begin").locator("button").click()
        expect(phone.get_by_test_id("case-status")).to_have_text("调解中")
        session = phone.get_by_test_id("act-session")
        session.locator("summary").click()
        session.locator("input[name=session-held_at]").fill(f"{today:%Y-%m-%d}T14:30")
        session.locator("input[name=session-place]").fill("铁路一村社区调解室")
        session.locator("input[name=session-participants]").fill("张三、李四、王调解")
        session.locator("textarea[name=session-record]").fill("双方陈述意见，李四同意赔偿维修费用")
        session.locator("input[name=session-photo]").set_input_files(
            files=[{"name": "sheet.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(size=(600, 800))}]
        )
        session.locator("button[type=submit]").click()
        expect(phone.get_by_test_id("session")).to_contain_text("铁路一村社区调解室")
        photo = phone.get_by_test_id("session-photo")
        expect(photo).to_be_visible()
        assert phone.request.get(base + photo.get_attribute("href")).headers["content-type"] == "image/jpeg"
        widths = phone.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"the case page is wider than the phone: {widths}"
        shot(phone, "session")

        # 4. the agreement, printed on A4
        agree = phone.get_by_test_id("step-agree")
        agree.get_by_test_id("terms").fill("李四于约定日期前赔偿张三维修费用1800元")
        agree.locator("input[name=performance_method]").fill("银行转账")
        agree.get_by_test_id("perform-by").fill(f"{perform_by:%Y-%m-%d}")
        agree.locator("button").click()
        expect(phone.get_by_test_id("case-status")).to_have_text("达成协议")
        follow_up = phone.get_by_test_id("follow-up")
        expect(follow_up).to_contain_text(f"{perform_by + dt.timedelta(days=7):%Y-%m-%d}")  # scheduled
        printable = new_page(chromium, viewport=DESKTOP)
        printable.context.add_cookies(phone.context.cookies())
        printable.goto(f"{base}/mediation/{case.pk}/agreement/")
        expect(printable.get_by_test_id("agreement")).to_contain_text("李四于约定日期前赔偿张三维修费用1800元")
        assert [size.upper() for size in printable.evaluate(PAGE_SIZE)] == ["A4"]
        printed = printable.pdf(prefer_css_page_size=True)
        assert is_a4(printed), f"Chromium did not print the agreement on A4: {MEDIABOX.findall(printed)}"
        drawn = printable.request.get(f"{base}/mediation/{case.pk}/agreement.pdf")
        assert drawn.headers["content-type"] == "application/pdf" and is_a4(drawn.body())
        shot(printable, "agreement")

        # 5. the follow-up visit recorded
        visit = phone.get_by_test_id("step-follow_up")
        visit.locator("select[name=performance]").select_option("full")
        visit.locator("textarea[name=note]").fill("已按期履行完毕")
        visit.locator("button").click()
        expect(phone.get_by_test_id("case-status")).to_have_text("已回访")
        expect(phone.get_by_test_id("follow-up")).to_contain_text("已按期履行完毕")

        # 6. the street's officer sees the success rate: 1 agreement of 2 concluded cases
        officer = sign_in(new_page(chromium, viewport=DESKTOP), base, med.user(STREET_OFFICER).username)
        officer.goto(f"{base}/dashboards/{street.pk}/")
        expect(officer.get_by_test_id("success-rate")).to_have_text("50.0%")
        shot(officer, "dashboard")

    with_chromium(flow, timeout=420)
    case = Case.objects.exclude(status="terminated").get()
    assert case.status == "followed_up" and case.chosen_by_parties and case.mediator_id == med.inside.pk
    assert Session.objects.get(case=case).photo
    assert Agreement.objects.get(case=case).performance == "full"
    assert FollowUp.objects.get(case=case).visited_on == timezone.localdate()
