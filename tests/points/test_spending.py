"""Spending: redemptions pay under locks, never oversell or overdraw, refund on cancel; the QR token; the exchange."""

import datetime as dt

import pytest

from points.integrity import differences
from points.models import Movement, Redemption, RedemptionLog, ServiceRequest
from points.services import earning, ledger, spending
from yaohai.core.errors import Conflict, Invalid, NotAllowed, NotFound

from .factories import grant, household, organisation, passbook, person, reward, service_type, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(world):
    book = passbook(world)
    grant(world, book, 50, "seed")
    return ledger.link_holder(account=book, user=world.user("A/S1/C1/G1:grid_worker"))


def test_a_redemption_pays_takes_stock_and_is_handed_over(world, holder):
    shop = organisation(world)
    item = reward(world, sponsor=shop, price=20, stock=3)
    user = world.user("A/S1/C1/G1:grid_worker")
    redemption = spending.redeem(actor=user, account=holder, reward=item, key="r1")
    holder.refresh_from_db()
    item.refresh_from_db()
    assert (holder.balance, item.stock, redemption.status) == (30, 2, "requested")
    assert redemption.payment.credit_id == ledger.partner_account(organisation=shop).pk
    assert spending.redeem(actor=user, account=holder, reward=item, key="r1").pk == redemption.pk  # double submit
    holder.refresh_from_db()
    assert holder.balance == 30
    with pytest.raises(NotAllowed):  # the holder sees it but does not hand it over to themselves
        spending.fulfil(actor=user, redemption=redemption)
    done = spending.fulfil(actor=world.user("A/S1/C1:grid_head"), redemption=redemption)
    assert done.status == "fulfilled" and done.fulfilled_by == world.user("A/S1/C1:grid_head")
    with pytest.raises(Conflict):
        spending.cancel(actor=user, redemption=done, reason="不要了")
    assert differences() == []


def test_beyond_balance_stock_limit_or_validity_is_refused_and_changes_nothing(world, holder):
    item = reward(world, price=20, stock=5, per_account_limit=1)
    user = world.user("A/S1/C1/G1:grid_worker")
    with pytest.raises(Conflict):  # 3 × 20 > 50
        spending.redeem(actor=user, account=holder, reward=item, key="k1", quantity=3)
    with pytest.raises(Conflict):  # beyond the stock
        spending.redeem(actor=user, account=holder, reward=item, key="k2", quantity=6)
    for bad in (0, -1, 1.5, "x"):
        with pytest.raises(Invalid):
            spending.redeem(actor=user, account=holder, reward=item, key="k3", quantity=bad)
    spending.redeem(actor=user, account=holder, reward=item, key="k4")
    with pytest.raises(Conflict):  # the limit of one per passbook
        spending.redeem(actor=user, account=holder, reward=item, key="k5")
    old = reward(world, name="过期券", valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2024, 12, 31))
    with pytest.raises(Conflict):
        spending.redeem(actor=user, account=holder, reward=old, key="k6")
    holder.refresh_from_db()
    item.refresh_from_db()
    assert (holder.balance, item.stock, Redemption.objects.count()) == (30, 4, 1)


def test_cancelling_refunds_by_a_movement_and_puts_the_stock_back(world, holder):
    item = reward(world, price=20, stock=2, requires_approval=True)
    user = world.user("A/S1/C1/G1:grid_worker")
    redemption = spending.redeem(actor=user, account=holder, reward=item, key="r")
    with pytest.raises(Conflict):  # it needs its approval first
        spending.fulfil(actor=world.user("A/S1/C1:grid_head"), redemption=redemption)
    redemption = spending.approve(actor=world.user("A/S1/C1:grid_head"), redemption=redemption)
    with pytest.raises(Invalid):
        spending.cancel(actor=user, redemption=redemption, reason="")
    cancelled = spending.cancel(actor=user, redemption=redemption, reason="临时有事，无法领取")
    holder.refresh_from_db()
    item.refresh_from_db()
    assert (cancelled.status, holder.balance, item.stock) == ("cancelled", 50, 2)
    assert cancelled.refund.kind == "refund" and cancelled.refund.reverses_id == cancelled.payment_id
    assert [r.action for r in RedemptionLog.objects.filter(redemption=cancelled)] == ["redeem", "approve", "cancel"]
    assert differences() == []


def test_strangers_cannot_redeem_on_a_passbook_or_act_on_a_redemption(world, holder):
    item = reward(world)
    with pytest.raises(NotFound):
        spending.redeem(actor=world.user("A/S1/C2:grid_head"), account=holder, reward=item, key="x")
    redemption = spending.redeem(actor=None, account=holder, reward=item, key="y")
    for key in ("A/S1/C2:grid_head", "B/S1/C1:grid_head", "A/S1/C1/G2:grid_worker"):
        with pytest.raises(NotFound):
            spending.cancel(actor=world.user(key), redemption=redemption, reason="x")
    other = reward(world, community="A/S1/C2", name="别的社区的奖品")
    with pytest.raises(NotFound):  # a reward of another community
        spending.redeem(actor=None, account=holder, reward=other, key="z")


def test_the_qr_token_names_its_redemption_and_cannot_be_forged(world, holder):
    redemption = spending.redeem(actor=None, account=holder, reward=reward(world), key="q")
    token = spending.qr_token(redemption)
    assert spending.redemption_from_token(token).pk == redemption.pk
    for forged in (token[:-2] + "xx", "abc", token.replace(":", ";")):
        with pytest.raises(NotFound):
            spending.redemption_from_token(forged)


def test_rewards_within_reach(world, holder):
    cheap, dear = reward(world, name="肥皂", price=10), reward(world, name="电饭煲", price=500)
    reward(world, name="缺货", price=5, stock=0)
    assert list(spending.within_reach(holder)) == [cheap]
    assert dear not in spending.within_reach(holder)


def test_two_way_exchange_a_household_pays_and_the_volunteer_earns(world):
    home = ledger.passbook_for_household(household=household(world))
    grant(world, home, 30, "home-seed")
    kind = service_type(world, code="escort", name="陪同就医", basis="per_occasion", points=15)
    request = spending.request_service(actor=None, account=home, service_type=kind, description="陪老人去医院复诊",
                                       points=15, key="req-1")
    assert spending.request_service(actor=None, account=home, service_type=kind, description="陪老人去医院复诊",
                                    points=15, key="req-1").pk == request.pk
    home.refresh_from_db()
    assert home.balance == 15
    volunteer = person(world, name="志愿者小刘")
    record = earning.register_service(actor=staff(world, "registrar"), person=volunteer, service_type=kind,
                                      started_at=request.created_at - dt.timedelta(minutes=1), occasions=1,
                                      request=request, key="exchange")
    earning.approve(actor=world.user("A/S1/C1:grid_head"), record=record)
    earning.approve(actor=staff(world, "resident_representative"), record=record)
    request.refresh_from_db()
    assert request.is_done
    assert ledger.passbook_for_person(person=volunteer).balance == 15
    with pytest.raises(Conflict):  # beyond the household's balance
        spending.request_service(actor=None, account=home, service_type=kind, description="修水管", points=16,
                                 key="req-2")
    assert ServiceRequest.objects.count() == 1 and Movement.objects.filter(kind="spend").count() == 1


def test_the_redemption_table(world, holder):
    from points.workflows import REDEMPTION_WORKFLOW
    from tests.workflows import check_table

    grant(world, holder, 1000, "more")
    counter = world.user("A/S1/C1:grid_head")
    keys = iter(range(1000))

    def make(status, step):
        needs = status == "approved" or step == "approve"
        item = reward(world, name=f"奖品{next(keys)}", price=1, requires_approval=needs)
        redemption = spending.redeem(actor=None, account=holder, reward=item, key=f"t{next(keys)}")
        if status == "approved":
            spending.approve(actor=counter, redemption=redemption)
        if status == "fulfilled":
            spending.fulfil(actor=counter, redemption=redemption)
        if status == "cancelled":
            spending.cancel(actor=counter, redemption=redemption, reason="测试")
        return redemption

    def take(redemption, step, to, refused):
        if step == "cancel":
            spending.cancel(actor=None, redemption=redemption, reason="不要了")
        else:
            getattr(spending, {"approve": "approve", "fulfil": "fulfil"}[step])(actor=None, redemption=redemption)

    check_table(
        REDEMPTION_WORKFLOW, make=make, take=take,
        state=lambda r: Redemption.objects.filter(pk=r.pk).values().get(),
        logs=lambda r: list(RedemptionLog.objects.filter(redemption=r).exclude(action="redeem")
                            .values_list("from_status", "to_status")),
    )
