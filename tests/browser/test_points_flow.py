"""The passbook's flow in Chromium, as issue 14 asks: a registrar records an alley steward's service on a 390 px
phone; the community (a grid head) and a resident representative (an owner's seat on the grid's co-governance
committee) approve it; the steward sees the points in her passbook and redeems a reward; the counter opens the
redemption's QR link and hands it over; the printed statement fits A4."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parties import services as parties
from points.models import Redemption, ServiceRecord
from points.services import earning, ledger, spending
from tests.browser.harness import PHONE
from tests.points.factories import person, reward, staff
from tests.world import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_service_from_registration_to_the_reward_handed_over(world, live_server, new_page, log_in, shot):
    kind = earning.save_service_type(actor=None, tenant=world.tenants["A"], code="patrol", name="楼道巡查")
    earning.publish_rule(actor=None, service_type=kind, basis="per_hour", points=10,
                         effective_from=dt.date(2024, 1, 1))
    steward = person(world, name="张玉梅")
    steward_user = make_user("zhangyumei", world.tenants["A"])
    book = ledger.link_holder(account=ledger.passbook_for_person(person=steward), user=steward_user)
    registrar = staff(world, "registrar", name="dengji")
    owner = make_user("yezhu", world.tenants["A"])
    committee = parties.set_up_committee(grid=world.node("A/S1/C1/G1"), name="网格1共治委员会")
    parties.seat_member(committee=committee, seat="owner", user=owner,
                        term_start=timezone.localdate() - dt.timedelta(days=30))
    gift = reward(world, name="洗衣液", price=15, stock=3)
    started = timezone.localtime() - dt.timedelta(hours=3)

    # The registrar, on her phone.
    page = new_page(viewport=PHONE, mobile=True)
    log_in(page, registrar.username)
    page.goto(f"{live_server.url}/points/register/")
    page.fill("#id_person", str(steward.pk))
    page.select_option("#id_service_type", str(kind.pk))
    page.fill("#id_started_at", started.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_minutes", "120")
    page.fill("#id_description", "清理楼道杂物")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".alert-success")).to_contain_text("张玉梅")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "registered")
    record = ServiceRecord.objects.get(person=steward)
    assert record.status == "submitted"

    # The resident representative (an owner's seat), then the community.
    for username, status in ((owner.username, "representative_approved"),
                             (world.users["A/S1/C1:grid_head"].username, "credited")):
        page = new_page()
        log_in(page, username)
        page.goto(f"{live_server.url}/points/queue/")
        card = page.locator(f"#service-{record.pk}")
        expect(card).to_contain_text("张玉梅")
        card.get_by_role("button", name="批准").click()
        expect(page.locator(f"#service-{record.pk}")).to_have_count(0)
        record.refresh_from_db()
        assert record.status == status
    assert record.points == 20

    # The steward sees the points and redeems the reward on her phone.
    page = new_page(viewport=PHONE, mobile=True)
    log_in(page, steward_user.username)
    page.goto(f"{live_server.url}/points/")
    expect(page.locator("body")).to_contain_text("20")
    page.get_by_role("button", name="兑换").first.click()
    redemption = Redemption.objects.get(account=book)
    expect(page.locator("svg").first).to_be_visible()  # the redemption's QR code
    shot(page, "passbook")
    book.refresh_from_db()
    assert book.balance == 5 and redemption.status == "requested" and redemption.reward == gift

    # The counter opens the QR code's link and hands the reward over.
    page = new_page(viewport=PHONE, mobile=True)
    log_in(page, world.users["A/S1/C1:grid_head"].username)
    page.goto(f"{live_server.url}/points/r/{spending.qr_token(redemption)}/")
    page.get_by_role("button", name="交付").click()
    expect(page.locator("#status")).to_contain_text("已")
    redemption.refresh_from_db()
    assert redemption.status == "fulfilled"

    # The printed statement fits A4 (210 mm: 794 CSS px at 96 dpi, less the margins).
    page.goto(f"{live_server.url}/points/accounts/{book.pk}/statement/")
    page.emulate_media(media="print")
    width = page.evaluate("document.querySelector('.statement').getBoundingClientRect().width")
    assert width <= 794 - 2 * 56
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
