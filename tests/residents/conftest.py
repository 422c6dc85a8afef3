import pytest


@pytest.fixture(autouse=True)
def _codes_in_a_file(settings, tmp_path):
    """Codes go to a file of the test's own (the file sender), read back as a resident reads her SMS."""
    settings.RESIDENT_CODE_SENDER = "residents.senders.FileSender"
    settings.RESIDENT_CODE_FILE = tmp_path / "codes.jsonl"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """The rate counters live in the cache, shared across tests: start each test from zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _services_speak_english():
    """Services called directly answer in English here (pages still answer in the request's language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
