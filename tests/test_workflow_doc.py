"""docs/workflows.md shows every table registered with the workflow kit, drawn from the table, row for row."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yaohai.core import workflow
from yaohai.core.workflow_doc import BLOCK, render_doc

DOC = Path(__file__).resolve().parent.parent / "docs" / "workflows.md"


def test_the_page_is_drawn_from_the_tables():
    text = DOC.read_text(encoding="utf-8")
    assert render_doc(text) == text, "docs/workflows.md differs from the tables: run manage.py workflow_doc"


def test_every_registered_table_has_its_block_on_the_page():
    keys = {wf.key for wf in workflow.registered()}
    assert {"events.event", "events.request", "assessment.run", "exports.job"} <= keys
    assert set(BLOCK.findall(DOC.read_text(encoding="utf-8"))) == keys


def test_the_documented_rows_are_the_enforced_rows():
    """Read back from the page, independently of the generator: each block's rows are its table's."""
    text = DOC.read_text(encoding="utf-8")
    for wf in workflow.registered():
        start = text.index(f"<!-- workflow: {wf.key} -->")
        end = text.index(f"<!-- /workflow: {wf.key} -->")
        rows = set()
        for line in text[start:end].splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if line.startswith("|") and len(cells) == 4 and cells[0] != "from" and not cells[0].startswith("-"):
                rows.add((cells[0], cells[1], tuple(cells[2].split(" / "))))
        assert rows == {(src, step, tuple(rule.to)) for (src, step), rule in wf.table.items()}, wf.key


def test_a_table_without_a_block_fails_the_check(tmp_path):
    page = tmp_path / "workflows.md"
    page.write_text("# Workflows\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("workflow_doc", "--check", "--path", str(page))
    assert "events.event" in str(refused.value)
    stale = DOC.read_text(encoding="utf-8").replace("| reported | accept | accepted |", "| reported | accept | closed |")
    page.write_text(stale, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("workflow_doc", "--check", "--path", str(page))
    call_command("workflow_doc", "--path", str(page))
    assert page.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8")
