"""docs/workflows.md shows the transition table the code enforces, row for row."""

from pathlib import Path

from events.choices import TRANSITIONS

DOC = Path(__file__).resolve().parent.parent / "docs" / "workflows.md"


def test_the_documented_table_is_the_enforced_table():
    rows = set()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and (cells[0], cells[1]) != ("from", "action") and not cells[0].startswith("-"):
            rows.add((cells[0], cells[1], tuple(cells[2].split(" / "))))
    enforced = {(src, action, tuple(rule.to)) for (src, action), rule in TRANSITIONS.items()}
    assert rows == enforced
