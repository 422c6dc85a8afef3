"""`manage.py load_demo`: Yaohai District as the article describes it, a second isolated district, the rosters
with their deliberate gaps, the demo accounts, and a second run that changes nothing.

The demo is loaded once for the module, inside a transaction that is rolled back when the module ends; each test
runs in a savepoint inside it (pytest-django's usual per-test transaction), so tests cannot disturb each other.
"""

import random
import re
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F
from django.test import Client, RequestFactory, override_settings
from shapely.geometry import Point, shape

from grids import selectors
from grids.demo import data
from grids.demo.builder import plan_district, tile
from grids.models import Assignment, GridNode, Post, Tenant, User

pytestmark = pytest.mark.django_db

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Run the command once for the whole module; roll everything back afterwards."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        out = StringIO()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                call_command("load_demo", stdout=out)
            # PostgreSQL: check the deferred foreign keys once now, not again at the end of every test.
            connection.check_constraints()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(*sys.exc_info())
            raise
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def yaohai(demo_output):
    return Tenant.objects.get(code="340102")


@pytest.fixture
def luyang(demo_output):
    return Tenant.objects.get(code="340103")


def _node(tenant, name, **extra):
    return GridNode.objects.get(tenant=tenant, name=name, **extra)


def _user(username):
    return User.objects.get(username=username)


def test_yaohai_has_the_articles_counts(yaohai):
    nodes = GridNode.objects.filter(tenant=yaohai, is_archived=False)
    by_kind = dict(nodes.values_list("kind").order_by().annotate(n=Count("id")))
    assert by_kind == {"district": 1, "street": 13, "community": 66, "grid": 596}
    by_subkind = dict(nodes.filter(kind="grid").values_list("subkind").order_by().annotate(n=Count("id")))
    assert by_subkind == {"resident": 520, "exclusive": 76}
    streets = dict(nodes.filter(kind="street").values_list("name", "subkind"))
    assert streets["大兴镇"] == "town"
    assert streets["龙岗综合经济开发区"] == "development_zone"
    assert sum(1 for s in streets.values() if s == "subdistrict") == 11
    assert nodes.filter(kind="community", subkind="village", street__name="大兴镇").count() >= 1


def test_changhuai_and_tielu_yicun(yaohai):
    changhuai = _node(yaohai, "长淮街道")
    grids = GridNode.objects.filter(street=changhuai, kind="grid")
    assert grids.count() == 51
    assert GridNode.objects.filter(parent=changhuai, name="火车站社区").exists()
    assert grids.filter(name__startswith="宝文国际花园").exists()
    assert grids.filter(name="长淮农贸市场专属网格", subkind="exclusive").exists()

    tielu = _node(yaohai, "铁路一村社区", parent__name="三里街街道")
    assert GridNode.objects.filter(parent=tielu, subkind="resident").count() == 7
    assert GridNode.objects.filter(parent=tielu).count() == 7
    assert set(
        GridNode.objects.filter(parent=tielu, name__startswith="琅琊小区").values_list("name", flat=True)
    ) == {
        "琅琊小区第一网格",
        "琅琊小区第二网格",
    }


def test_codes_follow_the_division_code_scheme(yaohai):
    length = {"district": 6, "street": 9, "community": 12, "grid": 15}
    for node in GridNode.objects.filter(tenant=yaohai).select_related("parent"):
        assert len(node.code) == length[node.kind]
        if node.parent is not None:
            assert node.code.startswith(node.parent.code)


def test_second_district_is_separate_and_isolated(yaohai, luyang):
    nodes = GridNode.objects.filter(tenant=luyang)
    assert nodes.filter(kind="street").count() == 2
    assert nodes.filter(kind="community").count() == 4
    for community in nodes.filter(kind="community"):
        assert 2 <= community.get_children().count() <= 3
    assert Post.objects.filter(tenant=luyang, code="grid_head").exists()
    assert Assignment.objects.filter(tenant=luyang).exists()
    # Nobody holds a post of another tenant, on another tenant's node.
    assert not Assignment.objects.exclude(user__tenant_id=F("tenant_id")).exists()
    assert not Assignment.objects.exclude(post__tenant_id=F("tenant_id")).exists()
    assert not Assignment.objects.exclude(node__tenant_id=F("tenant_id")).exists()

    luyang_admin, yaohai_admin = _user("luyang_admin"), _user("yaohai_admin")
    assert set(selectors.visible_nodes(actor=luyang_admin).values_list("tenant_id", flat=True)) == {luyang.pk}
    assert set(selectors.visible_nodes(actor=yaohai_admin).values_list("tenant_id", flat=True)) == {yaohai.pk}
    langya = _node(yaohai, data.LANGYA_FIRST_GRID)
    centre = shape(langya.boundary).representative_point()
    assert selectors.locate_grid(actor=luyang_admin, lon=centre.x, lat=centre.y) is None
    # Luyang lies west of Yaohai.
    assert nodes.get(kind="district").max_lon <= GridNode.objects.get(tenant=yaohai, kind="district").min_lon


def test_children_tile_their_parents(yaohai):
    rng = random.Random(1)
    district = GridNode.objects.get(tenant=yaohai, kind="district")
    communities = list(GridNode.objects.filter(tenant=yaohai, kind="community"))
    parents = [
        district,
        _node(yaohai, "长淮街道"),
        _node(yaohai, "铁路一村社区"),
        *rng.sample(communities, 6),
    ]
    for parent in parents:
        outline = shape(parent.boundary)
        children = [shape(c.boundary) for c in parent.get_children()]
        assert children
        for child in children:
            assert child.within(outline.buffer(1e-9))
        # A tiling: no overlaps, no holes.
        assert sum(c.area for c in children) == pytest.approx(outline.area, rel=1e-6)
        for i, a in enumerate(children):
            for b in children[i + 1 :]:
                assert a.intersection(b).area < 1e-12
    grids = rng.sample(list(GridNode.objects.filter(tenant=yaohai, kind="grid").select_related("parent")), 40)
    for grid in grids:
        assert shape(grid.boundary).within(shape(grid.parent.boundary).buffer(1e-9))


def test_locate_grid_finds_the_grid_under_its_centre(yaohai):
    admin, tenant_admin = _user("admin"), _user("yaohai_admin")
    grids = list(GridNode.objects.filter(tenant=yaohai, kind="grid").order_by("code"))
    sample = random.Random(2).sample(grids, 30) + [_node(yaohai, data.LANGYA_FIRST_GRID)]
    for grid in sample:
        centre = shape(grid.boundary).centroid
        assert selectors.locate_grid(actor=admin, lon=centre.x, lat=centre.y) == grid
        assert selectors.locate_grid(actor=tenant_admin, lon=centre.x, lat=centre.y) == grid
    outside = Point(117.50, 31.80)
    assert selectors.locate_grid(actor=admin, lon=outside.x, lat=outside.y) is None


def test_rosters_are_full_except_the_deliberate_gaps(yaohai):
    actor = _user("yaohai_admin")
    nodes = list(GridNode.objects.filter(tenant=yaohai).order_by("code"))
    rosters = selectors.rosters(actor=actor, nodes=nodes)
    gaps = [(r.node.kind, post.code) for r in rosters for post in r.gaps]
    assert sorted(gaps) == [("community", "grid_head")] + [("grid", "police")] * 3

    current = Assignment.objects.filter(tenant=yaohai)
    heads = current.filter(post__code="grid_head").values("node").order_by().annotate(n=Count("id"))
    assert heads.count() == 676 - 1 and max(h["n"] for h in heads) == 1
    workers = current.filter(post__code="grid_worker")
    assert workers.count() == 596 and workers.values("node").distinct().count() == 596
    for code in ("property", "law_enforcement", "informant"):
        assert current.filter(post__code=code).exists()
    # Changhuai's 1+4+X: an instructor and a market supervisor on each of its grids.
    changhuai = _node(yaohai, "长淮街道")
    for code in ("instructor", "market_supervisor"):
        assert current.filter(street=changhuai, post__code=code).values("node").distinct().count() == 51
    assert not current.filter(post__code="instructor").exclude(street=changhuai).exists()


def test_demo_users_hold_their_nodes(yaohai):
    expected = {
        "district_officer": ("grid_head", GridNode.objects.get(tenant=yaohai, kind="district")),
        "changhuai_officer": ("grid_head", _node(yaohai, "长淮街道")),
        "tielu_officer": ("grid_head", _node(yaohai, "铁路一村社区")),
        "grid_worker": ("grid_worker", _node(yaohai, data.LANGYA_FIRST_GRID)),
    }
    for username, (post, node) in expected.items():
        user = _user(username)
        assert list(user.assignments.values_list("post__code", "node")) == [(post, node.pk)]
        # The demo user is the holder, not a second one beside a generated person.
        assert Assignment.objects.filter(node=node, post__code=post).count() == 1
    # The story's other accounts: the grid worker's street, and each role in the second district too.
    luyang = Tenant.objects.get(code="340103")
    for username, post, tenant, name in (
        ("sanlijie_officer", "grid_head", yaohai, "三里街街道"),
        ("luyang_officer", "grid_head", luyang, "庐阳区"),
        ("bozhoulu_officer", "grid_head", luyang, "亳州路街道"),
        ("beimen_officer", "grid_head", luyang, "北门社区"),
        ("luyang_grid_worker", "grid_worker", luyang, data.LUYANG_GRID),
    ):
        node = _node(tenant, name)
        assert list(_user(username).assignments.values_list("post__code", "node")) == [(post, node.pk)]
    worker_grid = _node(yaohai, data.LANGYA_FIRST_GRID)
    assert _user("sanlijie_officer").assignments.get().node_id == worker_grid.street_id
    # A handling unit's person holds no post (the events demo makes them a member of their unit).
    for username in ("unit_handler", "luyang_unit_handler"):
        assert not _user(username).assignments.exists()
    assert selectors.role_of(_user("grid_worker")) == "grid_worker"
    assert selectors.role_of(_user("tielu_officer")) == "officer"
    assert _user("yaohai_admin").is_tenant_admin and _user("yaohai_admin").is_staff
    assert _user("luyang_admin").tenant.code == "340103"
    assert _user("admin").is_superuser and _user("admin").tenant is None


def test_roster_people_look_real_and_cannot_sign_in(yaohai):
    people = User.objects.filter(tenant=yaohai, username__startswith="yh")
    assert people.count() > 1500
    for person in people.order_by("?")[:50]:
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", person.display_name)
        assert re.fullmatch(r"1[3-9]\d{9}", person.phone)
        assert not person.has_usable_password()
    assert people.values("phone").distinct().count() == people.count()


def test_demo_accounts_sign_in_with_the_demo_password(demo_output):
    for account in data.DEMO_ACCOUNTS:
        # django-axes wants the request it guards; Client.login passes it on to authenticate().
        request = RequestFactory().post("/accounts/login/")
        assert Client().login(request=request, username=account.username, password=settings.DEMO_PASSWORD)
        assert f"{account.username}" in demo_output
    assert settings.DEMO_PASSWORD in demo_output
    assert "596 个网格" in demo_output


def test_second_run_changes_nothing(demo_output):
    def counts():
        return (
            Tenant.objects.count(),
            GridNode.objects.count(),
            User.objects.count(),
            Assignment.objects.count(),
            Post.objects.count(),
            GridNode.history.count(),
            Assignment.history.count(),
        )

    before = counts()
    hashes = dict(
        User.objects.filter(username__in=["admin", "grid_worker"]).values_list("username", "password")
    )
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert hashes == dict(
        User.objects.filter(username__in=["admin", "grid_worker"]).values_list("username", "password")
    )
    text = out.getvalue()
    assert "已存在" in text and "grid_worker" in text and settings.DEMO_PASSWORD in text


def test_quiet_prints_only_the_accounts(demo_output):
    out = StringIO()
    call_command("load_demo", "--quiet", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1 + len(data.DEMO_ACCOUNTS)


def test_plan_is_deterministic_and_tiles():
    first = [(n.name, n.code, n.box) for n in plan_district(data.YAOHAI, random.Random(7)).walk()]
    second = [(n.name, n.code, n.box) for n in plan_district(data.YAOHAI, random.Random(7)).walk()]
    assert first == second
    assert len(first) == 1 + 13 + 66 + 596
    boxes = tile((0.0, 0.0, 1.0, 1.0), [1.0, 2.0, 1.0, 0.5, 1.5])
    assert sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in boxes) == pytest.approx(1.0)


def test_admin_change_list_stays_usable_at_full_size(yaohai, client, django_assert_max_num_queries):
    """676 nodes: the tree's change list pages, searches and filters with a fixed number of queries."""
    from django.urls import reverse

    client.force_login(_user("yaohai_admin"))
    url = reverse("admin:grids_gridnode_changelist")
    with django_assert_max_num_queries(20):
        page = client.get(url)
    assert page.status_code == 200
    assert page.context["cl"].result_count == GridNode.objects.filter(tenant=yaohai).count()
    assert len(page.context["cl"].result_list) == 100  # paginated, not 676 rows at once
    with django_assert_max_num_queries(20):
        found = client.get(url, {"q": "琅琊", "kind__exact": "grid"})
    assert {n.name for n in found.context["cl"].result_list} == {"琅琊小区第一网格", "琅琊小区第二网格"}
    with django_assert_max_num_queries(20):
        assert client.get(url, {"p": 5}).status_code == 200


def test_demo_administrators_hold_their_roles_and_the_printed_second_factor(demo_output):
    """三员分立 per district, and every administrator enrolled with the secret load_demo prints, so the README's
    walk signs in with `manage.py demo_code`; the grid worker of CI's smoke test needs no code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from grids.accounts.two_factors import needs_two_factors
    from grids.demo.builder import demo_totp_key

    assert data.DEMO_TOTP_SECRET in demo_output
    for district in ("yaohai", "luyang"):
        system, security, audit = (_user(f"{district}_{n}") for n in ("sysadmin", "secadmin", "auditor"))
        assert (system.admin_role, security.admin_role, audit.admin_role) == ("system", "security", "audit")
        assert system.is_staff and security.is_staff and not audit.is_staff
    for account in data.DEMO_ACCOUNTS:
        user = _user(account.username)
        assert needs_two_factors(user) == account.needs_two_factors
        keys = list(TOTPDevice.objects.filter(user=user, confirmed=True).values_list("key", flat=True))
        assert keys == ([demo_totp_key()] if account.needs_two_factors else [])
    assert not needs_two_factors(_user("grid_worker"))


def test_the_readme_walk_plays_through_with_the_demo_accounts(yaohai, luyang):
    """README's walk: 陈晓燕 (grid_worker) files, her community head accepts and dispatches to 区城管执法大队, the
    unit's person signs and handles, she verifies; her street's officer sees it, another street's does not, nor
    Luyang; the demo street's dashboards hold the weighted history."""
    from events import services as event_services
    from events.demo import load_history
    from events.models import Category, Event, HandlingUnit

    made = load_history(yaohai, count=1300, seed=5)
    assert sum(made.values()) == 1300
    in_street = Event.objects.filter(tenant=yaohai, street__name="三里街街道").count()
    assert in_street > 1300 * 3 / 13  # weighted towards the demo street (one of 13)

    worker, head, handler = _user("grid_worker"), _user("tielu_officer"), _user("unit_handler")
    unit = HandlingUnit.objects.get(tenant=yaohai, name="区城管执法大队")
    assert list(unit.members.all()) == [handler]
    category = Category.objects.filter(tenant=yaohai, parent__isnull=False).first()
    event = event_services.report_event(
        actor=worker, node=_node(yaohai, data.LANGYA_FIRST_GRID), category=category, title="楼道堆放杂物",
    )
    event = event_services.accept(actor=head, event=event)
    event = event_services.dispatch(actor=head, event=event, unit=unit.pk)
    event = event_services.sign(actor=handler, event=event)
    event = event_services.handle(actor=handler, event=event, note="已清理")
    event = event_services.verify(actor=worker, event=event, passed=True, close_reason="fixed")
    assert event.status == "closed"

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        for username, answer in (("sanlijie_officer", 200), ("tielu_officer", 200), ("district_officer", 200),
                                 ("changhuai_officer", 404), ("luyang_officer", 404), ("beimen_officer", 404)):
            client = Client()
            client.force_login(_user(username))
            assert client.get(f"/events/{event.pk}/").status_code == answer, username
