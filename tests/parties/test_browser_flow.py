"""Consultation and activities in Debian's Chromium, through the real pages:

- a community officer opens an event (毁绿种菜) filed by her grid worker, turns it into a consultation topic from the
  event's page, accepts it, schedules the meeting, records it (attendees signed in, minutes, a vote), resolves it,
  adds the follow-up task and files it as an event, and publishes the result as a notice (公示);
- a party member (the grid worker, on a 390 px phone) signs up for a coming activity and the organiser checks her in.

Driven from a thread of its own (tests/browser/harness.py); screenshots go to test-artifacts/. Times are computed
from the clock the services read (timezone.now / localtime)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.catalogue import install_event_catalogue
from events.models import Category, Event
from events.services import report_event
from parties import services
from parties.models import FollowUp, Meeting, Notice, SignUp, Topic
from tests.browser.harness import ARTIFACTS, DESKTOP, PHONE, new_page, sign_in, with_chromium
from tests.parties.factories import party_tree
from tests.registry import factories as registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEAD = "A/S1/C1:grid_head"
WORKER = "A/S1/C1/G1:grid_worker"
GRID = "A/S1/C1/G1"


def _shot(page, label):
    page.screenshot(path=str(ARTIFACTS / f"parties-{label}.png"), full_page=True)


def _fits(page, what):
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what} is wider than the phone: {widths}"


def test_an_event_becomes_a_topic_through_to_its_follow_up_event(world, live_server):
    install_event_catalogue(world.tenants["A"])
    grid = world.node(GRID)
    board = services.set_up_committee(grid=grid, name="宝文国际花园共治委员会")
    owner = registry.resident(grid, name="业主代表李", id_number=registry.make_id(seq=11), phone="")
    services.seat_member(committee=board, seat="owner", resident=owner, term_start=dt.date(2024, 1, 1))
    category = Category.objects.filter(tenant=world.tenants["A"], parent__isnull=False).first()
    event = report_event(actor=world.user(WORKER), node=grid, category=category, title="毁绿种菜",
                         description="三号楼前绿地被改种蔬菜")
    head_user = world.user(HEAD)
    starts = timezone.localtime() + dt.timedelta(days=2)
    base = live_server.url

    def flow(chromium):
        head = sign_in(new_page(chromium, viewport=DESKTOP), base, head_user.username)
        head.goto(f"{base}/events/{event.pk}/")
        head.get_by_test_id("offer-consultation").click()
        head.wait_for_url(re.compile(r".*/parties/topics/new/\?event=\d+$"))
        expect(head.get_by_test_id("from-event")).to_contain_text(event.reference)
        head.fill("#topic-title", "绿地被改种蔬菜怎么办")
        head.get_by_test_id("do-raise").click()
        head.wait_for_url(re.compile(r".*/parties/topics/\d+/$"))
        expect(head.get_by_test_id("topic-status")).to_have_text("已提出")
        expect(head.get_by_test_id("topic-event")).to_have_text(event.reference)

        head.get_by_test_id("do-accept").click()
        expect(head.get_by_test_id("topic-status")).to_have_text("已受理")
        schedule = head.get_by_test_id("step-schedule")
        schedule.get_by_test_id("starts-at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
        schedule.get_by_test_id("meeting-place").fill("小区议事厅")
        schedule.locator("textarea[name=agenda]").fill("毁绿种菜的处理办法")
        schedule.get_by_test_id("do-schedule").click()
        expect(head.get_by_test_id("topic-status")).to_have_text("已安排议事")

        meeting = head.get_by_test_id("step-discuss")
        meeting.get_by_label("业主代表李").check()
        meeting.get_by_label(str(head_user)).check()
        meeting.get_by_test_id("minutes-input").fill("与会人员同意恢复绿地，另辟一块公共菜园由业主认领")
        meeting.get_by_test_id("motion").fill("恢复绿地并设公共菜园")
        meeting.get_by_test_id("in-favour").fill("11")
        meeting.get_by_test_id("against").fill("2")
        meeting.get_by_test_id("do-discuss").click()
        expect(head.get_by_test_id("topic-status")).to_have_text("已议事")
        expect(head.get_by_test_id("minutes")).to_contain_text("另辟一块公共菜园")
        expect(head.get_by_test_id("vote")).to_contain_text("11")

        resolve = head.get_by_test_id("step-resolve")
        resolve.get_by_test_id("resolution").fill("一周内恢复绿地；在架空层旁设公共菜园，由业主委员会管理")
        resolve.get_by_test_id("do-resolve").click()
        expect(head.get_by_test_id("topic-status")).to_have_text("已决议")

        head.get_by_test_id("follow-up-title").fill("清理并恢复三号楼前绿地")
        head.get_by_test_id("do-add-follow-up").click()
        expect(head.get_by_test_id("follow-up")).to_contain_text("清理并恢复三号楼前绿地")
        head.get_by_test_id("event-category").select_option(str(category.pk))
        head.get_by_test_id("do-file-event").click()
        expect(head.get_by_test_id("follow-up-event")).to_be_visible()

        head.get_by_test_id("notice-title").fill("关于毁绿种菜处理办法的公示")
        head.get_by_test_id("notice-body").fill("经议事会表决通过：一周内恢复绿地，另设公共菜园。")
        head.get_by_test_id("do-draft-notice").click()
        head.get_by_test_id("do-publish").click()
        expect(head.get_by_test_id("notice-published")).to_be_visible()
        _shot(head, "topic")

    with_chromium(flow, timeout=300)
    topic = Topic.objects.get()
    assert (topic.source, topic.event_id, topic.status) == ("event", event.pk, "resolved")
    held = Meeting.objects.get(topic=topic)
    assert held.held and "公共菜园" in held.minutes and held.attendees.count() == 2
    task = FollowUp.objects.get(topic=topic)
    filed = Event.objects.get(pk=task.event_id)
    assert filed.grid_id == grid.pk and filed.title == "清理并恢复三号楼前绿地"
    assert Notice.objects.get(topic=topic).published_at is not None


def test_a_member_signs_up_on_a_phone_and_is_checked_in(world, live_server):
    tree = party_tree(world)
    member_user = world.user(WORKER)
    services.admit_member(org=tree.branch, user=member_user, joined_on=dt.date(2012, 7, 1))
    centre = services.open_centre(node=world.node("A/S1/C1"), level="community", name="社区1党群服务中心",
                                  place="社区1路1号", hours="8:30-17:30", sections=[("culture", "文体活动室")])
    starts = timezone.now() + dt.timedelta(minutes=30)  # sign-up still open, check-in already open
    activity = services.plan_activity(centre=centre, section="culture", title="重阳节包饺子", starts_at=starts,
                                      ends_at=starts + dt.timedelta(hours=2), place="文体活动室", capacity=20,
                                      organiser=world.user(HEAD))
    base = live_server.url

    def flow(chromium):
        phone = sign_in(new_page(chromium, viewport=PHONE, mobile=True), base, member_user.username)
        phone.goto(f"{base}/parties/activities/")
        phone.get_by_test_id("activity").filter(has_text="重阳节包饺子").click()
        phone.wait_for_url(re.compile(rf".*/parties/activities/{activity.pk}/$"))
        _fits(phone, "the activity page")
        phone.get_by_test_id("sign-up").click()
        expect(phone.get_by_test_id("my-sign-up")).to_contain_text("已报名")
        _shot(phone, "signed-up")

        organiser = sign_in(new_page(chromium, viewport=DESKTOP), base, world.user(HEAD).username)
        organiser.goto(f"{base}/parties/activities/{activity.pk}/")
        row = organiser.get_by_test_id("sign-up-row").filter(has_text=str(member_user))
        row.get_by_test_id("do-check-in").click()
        expect(organiser.get_by_test_id("checked-in")).to_be_visible()

        phone.reload()
        expect(phone.get_by_test_id("my-sign-up")).to_contain_text("签到时间")
        phone.goto(f"{base}/parties/mine/")
        expect(phone.get_by_test_id("attended")).to_have_text("1")
        expect(phone.get_by_test_id("membership")).to_contain_text("网格1党支部")
        _fits(phone, "her own page")
        _shot(phone, "mine")

    with_chromium(flow, timeout=300)
    row = SignUp.objects.get(activity=activity)
    assert row.user_id == member_user.pk and row.checked_in_at is not None
