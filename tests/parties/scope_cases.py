"""Scope cases of the parties routes (shape: tests/scope_cases.py). The viewer is the head of A/S1/C1."""

import datetime as dt

from django.core.files.base import ContentFile

from parties import services
from parties.models import ActivityPhoto
from tests.registry import factories as registry
from tests.registry.factories import make_id
from tests.scope_cases import by_id


def jpeg(size=(8, 8), **save) -> bytes:
    """A small real JPEG (PIL), `save` passed on (e.g. exif=…)."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG", **save)
    return out.getvalue()

PATHS = {"inside": "A/S1/C1/G1", "sibling": "A/S1/C2/G1", "foreign": "B/S1/C1/G1"}
TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2030, 6, 1, 9, 0, tzinfo=TZ)  # far ahead: sign-ups are open whatever the clock says


def parties(w):
    """For each of the three grids: its community's party committee with a branch and a member, a topic with a
    published notice, and a centre's activity; keyed by kind, then inside / sibling / foreign."""
    from registry import services as registry_services

    found = {}
    roots = {}
    for which, path in PATHS.items():
        grid = w.node(path)
        community, street = grid.parent, grid.parent.parent
        tenant = grid.tenant
        if tenant.pk not in roots:
            roots[tenant.pk] = services.create_root(tenant=tenant, name=f"{tenant.name}委")
        working = services.create_org(parent=roots[tenant.pk], subkind="working_committee", name=f"党工委{which}",
                                      node=street) if which != "sibling" else found["working"]["inside"]
        committee = services.create_org(parent=working, subkind="party_committee", name=f"党委{which}", node=community)
        branch = services.create_org(parent=committee, subkind="grid_branch", name=f"支部{which}")
        services.set_led_grids(org=branch, grids=[grid])
        person = registry_services.register_resident(actor=None, node=grid, name=f"党员{which}", id_number=make_id(),
                                                     phone="")
        member = services.admit_member(org=branch, resident=person, joined_on=dt.date(2001, 7, 1))
        topic = services.raise_topic(actor=None, node=grid, title=f"议题{which}", due_on=dt.date(2030, 12, 31),
                                     source="grid_worker")
        services.accept_topic(actor=None, topic=topic)
        meeting = services.schedule_meeting(actor=None, topic=topic, starts_at=START, place="议事厅")
        services.record_meeting(actor=None, meeting=meeting, minutes="同意")
        services.resolve_topic(actor=None, topic=topic, resolution=f"决议{which}", on_date=dt.date(2026, 1, 5))
        notice = services.draft_notice(actor=None, topic=topic, title=f"公示{which}", body="正文")
        services.publish_notice(actor=None, notice=notice)
        centre = services.open_centre(node=community, level="community", name=f"中心{which}", place="某路",
                                      hours="8:30-17:30", sections=[("culture", "")])
        activity = services.plan_activity(centre=centre, section="culture", title=f"活动{which}", starts_at=START,
                                          ends_at=START + dt.timedelta(hours=2), place="活动室", capacity=30,
                                          organiser=w.user(f"{path}:grid_head"))
        sign_up = services.sign_up(activity=activity, user=w.user(f"{path}:grid_worker"))
        photo = ActivityPhoto(activity=activity, uploaded_by=w.user(f"{path}:grid_head"))
        photo.image.save("p.jpg", ContentFile(jpeg(), name="p.jpg"))
        board = services.set_up_committee(grid=grid, name=f"共治委{which}")
        services.seat_member(committee=board, seat="owner", resident=person, term_start=dt.date(2024, 1, 1))
        team = services.form_team(node=grid, name=f"志愿队{which}", kind="volunteers")
        services.join_team(team=team, residents=[person], on_date=dt.date(2025, 1, 1))
        shop = registry_services.save_organisation(actor=None, node=grid, name=f"超市{which}", kind="enterprise")
        partner = services.enlist_partner(node=grid, organisation=shop, since=dt.date(2025, 1, 1),
                                          offers=[("services", "送货上门")])
        registry_services.form_household(actor=None, house=registry.house(grid), head=person,
                                         on_date=dt.date(2020, 1, 1))
        central = services.name_central_household(member=member, since=dt.date(2024, 1, 1))
        for kind, obj in (("working", working), ("org", branch), ("member", member), ("topic", topic),
                          ("notice", notice), ("activity", activity), ("sign_up", sign_up), ("photo", photo),
                          ("committee", board), ("team", team), ("partner", partner), ("centre", centre),
                          ("central", central)):
            found.setdefault(kind, {})[which] = obj
    return found


def of(kind):
    return lambda w: parties(w)[kind]


def row_id(obj):
    return f'data-id="{obj.pk}"'


def step(name):
    return lambda obj: {"pk": obj.pk, "step": name}


def act(name):
    return lambda obj: {"pk": obj.pk, "name": name}


SCOPE_CASES = {
    "parties:home": {"kind": "list", "objects": of("org"), "marker": lambda obj: obj.name},
    "parties-org-list": {"kind": "list", "objects": of("org"), "marker": by_id},
    "parties-org-detail": {"kind": "object", "objects": of("org")},
    "parties-member-list": {"kind": "list", "objects": of("member"), "marker": by_id},
    "parties-member-detail": {"kind": "object", "objects": of("member")},
    "parties-topic-list": {"kind": "list", "objects": of("topic"), "marker": by_id},
    "parties-topic-detail": {"kind": "object", "objects": of("topic")},
    "parties-topic-accept": {"kind": "object", "objects": of("topic"), "method": "post", "data": {}},
    "parties-topic-withdraw": {"kind": "object", "objects": of("topic"), "method": "post", "data": {"note": "撤回"}},
    "parties-notice-list": {"kind": "list", "objects": of("notice"), "marker": by_id},
    "parties-notice-detail": {"kind": "object", "objects": of("notice")},
    "parties-activity-list": {"kind": "list", "objects": of("activity"), "marker": by_id},
    "parties-activity-detail": {"kind": "object", "objects": of("activity")},
    "parties-activity-sign-up": {"kind": "object", "objects": of("activity"), "method": "post", "data": {}},
    # every step of a topic as a named action (an inside topic answers 409 or 400 here, never 404)
    "parties-topic-schedule": {"kind": "object", "objects": of("topic"), "method": "post",
                               "data": {"starts_at": "2030-07-01T09:00:00+08:00", "place": "议事厅"}},
    "parties-topic-record-meeting": {"kind": "object", "objects": of("topic"), "method": "post",
                                     "data": {"minutes": "同意"}},
    "parties-topic-resolve": {"kind": "object", "objects": of("topic"), "method": "post",
                              "data": {"resolution": "决议", "on_date": "2030-01-01"}},
    "parties-topic-implement": {"kind": "object", "objects": of("topic"), "method": "post", "data": {}},
    "parties-topic-close": {"kind": "object", "objects": of("topic"), "method": "post",
                            "data": {"on_date": "2030-01-01"}},
    "parties-topic-add-follow-up": {"kind": "object", "objects": of("topic"), "method": "post",
                                    "data": {"title": "更换灯泡"}},
    "parties-topic-file-event": {"kind": "object", "objects": of("topic"), "method": "post", "data": {}},
    "parties-topic-finish-follow-up": {"kind": "object", "objects": of("topic"), "method": "post", "data": {}},
    "parties-topic-notices": {"kind": "object", "objects": of("topic"), "method": "post",
                              "data": {"title": "公示", "body": "正文"}},
    "parties-topic-publish-notice": {"kind": "object", "objects": of("topic"), "method": "post", "data": {}},
    "parties-activity-check-in": {"kind": "object", "objects": of("activity"), "method": "post", "data": {}},
    "parties-activity-summary": {"kind": "object", "objects": of("activity"), "method": "post", "data": {}},
    "parties-activity-photos": {"kind": "object", "objects": of("activity"), "method": "post", "data": {}},
    "parties-committee-list": {"kind": "list", "objects": of("committee"), "marker": by_id},
    "parties-committee-detail": {"kind": "object", "objects": of("committee")},
    "parties-team-list": {"kind": "list", "objects": of("team"), "marker": by_id},
    "parties-team-detail": {"kind": "object", "objects": of("team")},
    "parties-partner-list": {"kind": "list", "objects": of("partner"), "marker": by_id},
    "parties-partner-detail": {"kind": "object", "objects": of("partner")},
    "parties-centre-list": {"kind": "list", "objects": of("centre"), "marker": by_id},
    "parties-centre-detail": {"kind": "object", "objects": of("centre")},
    "parties-central-household-list": {"kind": "list", "objects": of("central"), "marker": by_id},
    "parties-central-household-detail": {"kind": "object", "objects": of("central")},
    # the pages (templates/parties): a topic of a sibling community or another tenant answers 404 on every route
    "parties:topics": {"kind": "list", "objects": of("topic"), "marker": row_id},
    "parties:topic-new": {"kind": "self"},  # proven by tests/parties/test_consultation_pages.py (an event's 404)
    "parties:topic": {"kind": "object", "objects": of("topic")},
    "parties:topic-step": {"kind": "object", "objects": of("topic"), "kwargs": step("implement"), "method": "post"},
    "parties:topic-act": {"kind": "object", "objects": of("topic"), "kwargs": act("notice"), "method": "post",
                          "data": {"title": "公示", "body": "正文"}},
    "parties:activities": {"kind": "list", "objects": of("activity"), "marker": row_id},
    "parties:activity": {"kind": "object", "objects": of("activity")},
    "parties:activity-sign-up": {"kind": "object", "objects": of("activity"), "method": "post"},
    "parties:check-in": {"kind": "object", "objects": of("sign_up"), "method": "post"},
    "parties:activity-summary": {"kind": "object", "objects": of("activity"), "method": "post"},
    "parties:activity-photos": {"kind": "object", "objects": of("activity"), "method": "post"},
    "parties:activity-photo": {"kind": "object", "objects": of("photo")},
    "parties:mine": {"kind": "self"},
}
