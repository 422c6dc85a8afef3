"""Scope cases of the residents routes (shape: tests/scope_cases.py). The viewer is the head of A/S1/C1.

The resident pages (/r/) belong to another realm than the staff's jurisdiction: they show the signed-in resident her
own things only, and a staff session is sent to the resident sign-in. They are listed as "public" here (no
jurisdiction to test) and their own-things-only rule is proven in tests/residents (test_accounts, test_reports).
"""

from residents.choices import PHONE_PURPOSE
from residents.models import ResidentAccount

COMMUNITIES = {"inside": "A/S1/C1", "sibling": "A/S1/C2", "foreign": "B/S1/C1"}


def account_in(node, phone: str, username: str):
    """A resident account of the community `node`, made as the sign-in makes it (phone encrypted, indexed, masked)."""
    from grids.models import User
    from yaohai.core.personal import crypto

    user = User.objects.create(username=username, tenant=node.tenant)
    account = ResidentAccount(user=user, phone_index=crypto.blind_index(phone, PHONE_PURPOSE),
                              phone_masked=phone[:3] + "****" + phone[-4:], has_community=True, node=node)
    account.phone_encrypted = crypto.encrypt(phone, PHONE_PURPOSE)
    account.stamp_from(node)
    account.save()
    return account


def accounts(w):
    found = {}
    for which, path in COMMUNITIES.items():
        node = w.node(path)
        found[which] = account_in(node, f"1390000{len(found):04d}", f"resident-scope-{which}-{node.pk}")
    return found


def reopens(w):
    from django.utils import timezone

    from events.catalogue import install_event_catalogue
    from events.models import Category
    from events.services import report_event
    from residents.models import ReopenRequest

    found = {}
    for which, account in accounts(w).items():
        grid = w.node(COMMUNITIES[which] + "/G1")
        install_event_catalogue(grid.tenant)
        category = Category.objects.filter(tenant=grid.tenant, parent__isnull=False).first()
        worker = w.user(COMMUNITIES[which] + "/G1:grid_worker")
        event = report_event(actor=worker, node=grid, category=category, title="路灯不亮")
        row = ReopenRequest(event=event, account=account, reason="还是坏的", created_at=timezone.now(), node=grid)
        row.stamp_from(grid)
        row.save()
        found[which] = row
    return found


def callbacks(w):
    """A closed hotline event waiting for its follow-up call in each community's first grid."""
    from events.catalogue import install_event_catalogue
    from events.choices import Source, Status
    from events.models import Category, Event
    from events.services import report_event

    found = {}
    for which, path in COMMUNITIES.items():
        grid = w.node(path + "/G1")
        install_event_catalogue(grid.tenant)
        category = Category.objects.filter(tenant=grid.tenant, parent__isnull=False).first()
        event = report_event(actor=w.user(path + "/G1:grid_worker"), node=grid, category=category, title="噪音扰民",
                             source=Source.HOTLINE, resident_phone="13700001111")
        Event.objects.filter(pk=event.pk).update(status=Status.CLOSED, close_reason="fixed")  # its handling is not walked here
        found[which] = event
    return found


def by_event(obj):
    return f'name="event" value="{obj.pk}"'


def by_request(obj):
    return f'name="request" value="{obj.pk}"'


def by_link(obj):
    return f'href="/residents/{obj.pk}/"'


SCOPE_CASES = {
    "residents:signin": {"kind": "public"},
    "residents:verify": {"kind": "public"},
    "residents:signout": {"kind": "public"},
    "residents:large_text": {"kind": "public"},
    "residents:home": {"kind": "public"},  # the resident's own page (see above)
    "residents:community": {"kind": "public"},  # the resident's own page (see above)
    "residents:report": {"kind": "public"},  # the resident's own page (see above)
    "residents:my_reports": {"kind": "public"},  # her own reports (test_reports: another's is a 404)
    "residents:my_report": {"kind": "public"},  # her own report (test_reports: another's is a 404)
    "residents:join": {"kind": "public"},  # an open report of her district only (test_reports)
    "residents:notices": {"kind": "public"},  # her own messages
    "residents:passbook": {"kind": "public"},  # her household's passbook only (test_slots)
    "residents:activities": {"kind": "public"},  # her community's activities only (test_slots: another's is a 404)
    "residents:rate": {"kind": "public"},  # her own report only (test_reports: another's is a 404)
    "residents:reopens": {"kind": "list", "objects": reopens, "marker": by_request},
    "residents:queue": {"kind": "list", "objects": accounts, "marker": by_link},
    "residents:account": {"kind": "object", "objects": accounts},
    "residents:callbacks": {"kind": "list", "objects": callbacks, "marker": by_event},
    # Open311 (tests/residents/test_open311.py): public reads of the district named by jurisdiction_id, its
    # residents' reports only, in a projection without personal data; another district's id is a 404.
    "residents:open311_services": {"kind": "public"},
    "residents:open311_service": {"kind": "public"},
    "residents:open311_requests": {"kind": "public"},
    "residents:open311_request": {"kind": "public"},
    "residents:open311_token": {"kind": "public"},
}
