"""The admin speaks Chinese throughout (issue 11): history models and columns, django-axes' models, the Event model
(its plural shared a msgid with the 事件数 KPI), local times to the minute, no "None"; the language switcher names
each language in its own language."""

import re

import pytest
from django.urls import reverse

from grids.models import Assignment
from tests.world import make_user

pytestmark = pytest.mark.django_db


def text_of(body: str) -> str:
    body = body[body.index('id="content"'):] if 'id="content"' in body else body
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.fixture
def root_client(world, client):
    client.force_login(make_user("platform_root", None, is_superuser=True, is_staff=True))
    return client


def test_the_admin_index_names_every_model_in_chinese(root_client):
    text = text_of(root_client.get(reverse("admin:index")).content.decode())
    for english in ("Historical", "Access attempts", "Access failures", "Access logs", "Axes"):
        assert english not in text
    assert "三定配置变更记录" in text and "登录尝试" in text and "登录保护" in text
    assert "事件数" not in text and "事件" in text


def test_history_lists_are_in_chinese_local_time_and_without_none(world, root_client):
    listing = text_of(root_client.get(reverse("admin:grids_historicalassignment_changelist")).content.decode())
    for english in ("History date", "History user", "History type", "History change reason", "as of", "+00:00"):
        assert english not in listing
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?!:)", listing)
    assignment = Assignment.objects.filter(node_id=world.nodes["A/S1/C1/G1"].pk).first()
    history = text_of(root_client.get(reverse("admin:grids_assignment_history", args=[assignment.pk])).content.decode())
    assert "None" not in history and "修改原因" in history


def test_the_language_switcher_names_each_language_in_itself(world, client_for):
    body = client_for("A/S1/C1:grid_head").get(reverse("home")).content.decode()
    switcher = body[body.index('data-testid="language-switcher"'):]
    options = re.findall(r"<option [^>]*>([^<]+)</option>", switcher[: switcher.index("</select>")])
    assert options == ["简体中文", "English"]
