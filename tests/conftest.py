import pytest
from django.test import Client

from tests.world import PASSWORD, build_world


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """The shared tree: 2 districts × 2 streets × 2 communities × 2 grids with staff on every level."""
    return build_world()


@pytest.fixture
def client_for(world):
    """A logged-in test client for a user of the world, by key ("A/S1/C1:grid_head")."""

    def make(key: str) -> Client:
        client = Client()
        client.force_login(world.user(key))
        return client

    return make


@pytest.fixture
def password():
    return PASSWORD
