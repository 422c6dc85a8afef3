"""docs/workflows.md drawn from the tables: each registered workflow renders its diagram and its table.

The page is prose written by hand around blocks that only this module writes:

    <!-- workflow: events.event -->
    … generated: a Mermaid state diagram and the table (from, step, to, who) …
    <!-- /workflow: events.event -->

`render_doc(text)` rewrites every block from the registered table of its key and refuses a page that lacks the
block of a registered table or has a block no table is registered for. `manage.py workflow_doc` writes the page
(`--check`: exit 1 if the page differs); tests/test_workflow_doc.py keeps the page equal to the tables.
"""

from __future__ import annotations

import re

from . import workflow as kit

BLOCK = re.compile(r"<!-- workflow: (?P<key>[\w.]+) -->\n.*?<!-- /workflow: (?P=key) -->", re.S)


def render_table(wf: kit.Workflow) -> str:
    """One table as Markdown: a state diagram, then one row per (from, step) with its outcomes and who."""
    lines = ["```mermaid", "stateDiagram-v2"]
    lines += [f"    [*] --> {status}: {how}" for status, how in wf.entries]
    for (src, step), rule in wf.table.items():
        lines += [f"    {src} --> {to}: {step}" for to in rule.to]
    lines += [f"    {status} --> [*]" for status in wf.final]
    lines += ["```", "", "| from | step | to | who |", "|---|---|---|---|"]
    for (src, step), rule in wf.table.items():
        who = rule.who + (f" (only if `{rule.only_if}`)" if rule.only_if else "")
        lines.append(f"| {src} | {step} | {' / '.join(rule.to)} | {who} |")
    return "\n".join(lines)


def block(wf: kit.Workflow) -> str:
    return f"<!-- workflow: {wf.key} -->\n{render_table(wf)}\n<!-- /workflow: {wf.key} -->"


def render_doc(text: str, workflows: list[kit.Workflow] | None = None) -> str:
    """The page with every block rewritten from its table; ValueError when a table and the page disagree on keys."""
    tables = {wf.key: wf for wf in (workflows if workflows is not None else kit.registered())}
    found = BLOCK.findall(text)
    missing = sorted(set(tables) - set(found))
    unknown = sorted(set(found) - set(tables))
    if missing or unknown:
        raise ValueError(
            f"docs/workflows.md: no block for {', '.join(missing) or '—'}; no table for {', '.join(unknown) or '—'}. "
            "Add '<!-- workflow: KEY -->' and '<!-- /workflow: KEY -->' lines under a heading for each table."
        )
    return BLOCK.sub(lambda match: block(tables[match.group("key")]), text)
