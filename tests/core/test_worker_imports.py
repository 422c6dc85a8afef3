"""A web worker loads no workbook or geometry library until a request needs one (docs/deployment.md, workers):
openpyxl, shapely and numpy under them are ~35 MiB of every worker."""

import os
import subprocess
import sys

from django.conf import settings
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as OPENPYXL_ILLEGAL_CHARACTERS

from yaohai.core.xlsx import ILLEGAL_CHARACTERS_RE, clean_text

LOAD_THE_APPLICATION = """
import sys
from django.core.wsgi import get_wsgi_application
get_wsgi_application()
from django.urls import get_resolver
get_resolver().url_patterns
print(sorted(name for name in ("numpy", "openpyxl", "shapely") if name in sys.modules))
"""


def test_the_sheet_cleaner_drops_exactly_what_openpyxl_refuses():
    every = "".join(chr(code) for code in range(0x80))
    assert OPENPYXL_ILLEGAL_CHARACTERS.sub("", every) == ILLEGAL_CHARACTERS_RE.sub("", every) == clean_text(every)
    assert clean_text("a\x00b\x0bc\td\ne") == "abc\td\ne"


def test_the_application_loads_without_openpyxl_shapely_or_numpy():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yaohai.settings", "DJANGO_DEBUG": "1"}
    done = subprocess.run(
        [sys.executable, "-c", LOAD_THE_APPLICATION], env=env, cwd=settings.BASE_DIR, capture_output=True,
        text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
