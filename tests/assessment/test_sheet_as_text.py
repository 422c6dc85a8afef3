"""The assessment's .xlsx writes names as typed as text, never as formulas (yaohai.core.xlsx.append_row)."""

import pytest

from tests.events.test_sheets_as_text import PAYLOADS, _assert_text

from .conftest import HEAD, W1
from .test_pages import compute, node_url

pytestmark = pytest.mark.django_db


def test_the_assessment_sheet_writes_typed_names_as_text(month, world, client_for):
    worker = world.user(W1)
    worker.display_name = PAYLOADS[0]
    worker.save()
    grid = world.node("A/S1/C1/G2")
    grid.name = PAYLOADS[3]
    grid.save(update_fields=["name"])
    compute(world)
    response = client_for(HEAD).get(node_url(world, "A/S1/C1", "assessment:export", month="2026-10"))
    assert response.status_code == 200
    _assert_text(response.content, [PAYLOADS[0], PAYLOADS[3]])
