import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded sheets waiting for their import are kept under MEDIA_ROOT: a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
