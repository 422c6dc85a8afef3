"""Every write of the grid app leaves one audit row (who, the object, before and after); a refused write none."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import Kind
from grids import services
from grids.accounts import services as accounts
from tests.audit.trail import new_rows, only

pytestmark = pytest.mark.django_db


def test_renaming_a_node_leaves_one_row_with_before_and_after(world):
    admin, node = world.user("A:admin"), world.nodes["A/S1/C1"]
    old = node.name
    with new_rows() as rows:
        services.update_node(node=node, name="新名字社区", actor=admin)
    row = only(rows)
    assert (row.action, row.actor_id, row.object_type, row.object_id) == (
        "grids.node.update", admin.pk, "grids.GridNode", str(node.pk))
    assert row.tenant_id == world.tenants["A"].pk and row.kind == Kind.WRITE
    assert row.summary == {"name": [old, "新名字社区"]}


def test_creating_moving_archiving_and_restoring_each_leave_one_row(world):
    admin = world.user("A:admin")
    with new_rows() as created:
        node = services.create_node(parent=world.nodes["A/S1/C1"], subkind="resident", name="新网格", actor=admin)
    assert only(created).action == "grids.node.create" and only(created).summary["name"] == [None, "新网格"]
    with new_rows() as moved:
        services.move_node(node=node, new_parent=world.nodes["A/S1/C2"], actor=admin)
    assert only(moved).summary["parent_id"] == [world.nodes["A/S1/C1"].pk, world.nodes["A/S1/C2"].pk]
    with new_rows() as archived:
        services.archive_node(node=node, actor=admin)
    assert only(archived).action == "grids.node.archive"
    with new_rows() as restored:
        services.restore_node(node=node, actor=admin)
    assert only(restored).summary["is_archived"] == [True, False]


def test_a_refused_write_leaves_no_row(world):
    worker = world.user("A/S1/C1/G1:grid_worker")
    with new_rows() as rows, pytest.raises(Exception):  # noqa: B017  (the refusal's class is the tree's)
        services.update_node(node=world.nodes["A/S1/C1"], name="不许改", actor=worker)
    assert rows == []
    with new_rows() as rows, pytest.raises(ValidationError):
        services.assign(
            user=world.user("A/S1/C1/G1:grid_worker"), post=world.posts["A"]["grid_worker"], node=world.nodes["A/S1/C1/G1"],
            start_date=dt.date(2026, 1, 2), end_date=dt.date(2026, 1, 1), actor=world.user("A:admin"),
        )
    assert rows == []


def test_assignments_and_posts_leave_one_row_each(world):
    admin = world.user("A:admin")
    worker = world.user("A/S1/C1/G1:grid_worker")
    with new_rows() as rows:
        assignment = services.assign(
            user=worker, post=world.posts["A"]["informant"], node=world.nodes["A/S1/C1/G1"], start_date=dt.date(2026, 1, 5),
            actor=admin,
        )
    assert only(rows).action == "grids.assignment.assign" and only(rows).object_id == str(assignment.pk)
    with new_rows() as rows:
        services.update_assignment(assignment=assignment, duties="巡查楼道", end_date=None, actor=admin)
    assert only(rows).summary == {"duties": ["", "巡查楼道"]}
    with new_rows() as rows:
        services.end_assignment(assignment=assignment, end_date=dt.date(2026, 6, 30), actor=admin)
    assert only(rows).summary == {"end_date": [None, "2026-06-30"]}
    post = world.posts["A"]["informant"]
    with new_rows() as rows:
        services.save_post(tenant=post.tenant, code=post.code, name="信息员（新）", tier=post.tier, actor=admin,
                           rights=post.rights, required_on=post.required_on, duties=post.duties,
                           sort_order=post.sort_order)
    assert only(rows).action == "grids.post.update" and only(rows).summary == {"name": ["信息员", "信息员（新）"]}


def test_tokens_and_password_changes_leave_account_rows_without_secrets(world):
    user = world.user("A/S1/C1/G1:grid_worker")
    with new_rows() as rows:
        token = accounts.issue_token(user=user)
    row = only(rows)
    assert (row.action, row.kind, row.actor_id) == ("accounts.token.issue", Kind.ACCOUNT, user.pk)
    assert token.key not in str(row.summary)
    with new_rows() as rows:
        accounts.password_changed(user=user)
    assert [r.action for r in rows] == ["accounts.password.change", "accounts.token.revoke"]
    assert user.password not in str([r.summary for r in rows])
    with new_rows() as rows:
        accounts.revoke_tokens(user=user)  # nothing left to revoke: nothing written
    assert rows == []
