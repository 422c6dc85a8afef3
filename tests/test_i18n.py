"""The zh-hans catalogue is complete and compiled: every message has a translation, and the .mo says the same."""

import gettext
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def read_po(path: Path) -> dict[str, str]:
    """msgid → msgstr (first form for plurals), from a .po file; a msgid with a context (pgettext) is keyed as
    gettext keys it in a .mo: "context\x04msgid"."""
    entries, key, current, context = {}, None, None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgctxt "):
            context = json.loads(line[8:])
        elif line.startswith("msgid "):
            key, current = "msgid", [json.loads(line[6:])]
            entry = {"msgid": current, "context": context}
            context = None
        elif line.startswith("msgid_plural "):
            key = None
        elif line.startswith(("msgstr ", "msgstr[0] ")):
            key, current = "msgstr", [json.loads(line.split(" ", 1)[1])]
            entry["msgstr"] = current
        elif line.startswith('"') and key:
            current.append(json.loads(line))
        elif not line.strip() and key is not None:
            msgid = "".join(entry["msgid"])
            if msgid and entry["context"] is not None:
                msgid = f"{entry['context']}\x04{msgid}"
            if msgid:
                entries[msgid] = "".join(entry.get("msgstr", []))
            key = None
    return entries


def test_every_message_is_translated():
    entries = read_po(CATALOGUE / "django.po")
    assert len(entries) > 300
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert not untranslated, f"untranslated: {untranslated[:10]}"


def test_the_compiled_catalogue_matches_the_source():
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, msgstr in read_po(CATALOGUE / "django.po").items() if compiled.gettext(msgid) != msgstr]
    assert not stale, f"run `make messages`: the .mo is stale for {stale[:5]}"


@pytest.mark.django_db
def test_the_interface_speaks_chinese_first_and_english_on_request():
    assert "登录" in Client().get("/accounts/login/").content.decode()
    english = Client(headers={"accept-language": "en"})
    english.cookies["django_language"] = "en"
    assert "Sign in" in english.get("/accounts/login/").content.decode()
    with translation.override("zh-hans"):
        from grids.choices import NodeKind

        assert str(NodeKind.GRID.label) == "网格"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)")
def test_no_message_in_the_code_is_missing_from_the_catalogue(tmp_path):
    """Extract the messages again from a copy of the project: nothing may come out untranslated."""
    root = CATALOGUE.parents[2]
    for name in ("manage.py", "yaohai", "audit", "grids", "exports", "dashboards", "events", "registry", "parties",
                 "mediation", "points", "residents", "assessment", "cities", "templates", "locale"):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--verbosity", "0"],
        cwd=tmp_path, env=env, check=True, capture_output=True,
    )
    extracted = read_po(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    untranslated = sorted(msgid for msgid, msgstr in extracted.items() if not msgstr)
    assert not untranslated, f"add these to locale/zh_Hans/LC_MESSAGES/django.po: {untranslated[:10]}"
