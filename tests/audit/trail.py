"""Reading the audit rows a piece of a test wrote: `with new_rows() as rows:` … then `rows` holds them."""

from __future__ import annotations

from contextlib import contextmanager

from audit.models import Entry


@contextmanager
def new_rows():
    """The trail's rows written inside the block, oldest first (filled in when the block ends, even on error)."""
    mark = Entry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    rows: list[Entry] = []
    try:
        yield rows
    finally:
        rows.extend(Entry.objects.filter(id__gt=mark).order_by("id"))


def only(rows) -> Entry:
    """The one row written, or a clear failure naming what was written."""
    assert len(rows) == 1, [(r.action, r.object_repr) for r in rows]
    return rows[0]
