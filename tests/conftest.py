import re
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import override_settings

from tests.world import PASSWORD, build_world

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(items):
    # `world` asks for the database dynamically; mark its users so pytest-django sets the database up.
    for item in items:
        if "world" in getattr(item, "fixturenames", ()) and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session", autouse=True)
def _fast_hashing():
    """Hashing with PBKDF2 would dominate the suite's time; the real hashers are exercised in production settings."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():
    """After each transactional test (threads, browsers, real workers) pytest-django empties every table with one
    TRUNCATE of all ~130 of them, which PostgreSQL makes cost ~0.6 s (a new file for each table); the tests leave a
    few rows, and DELETE from every table empties them in ~40 ms. The deletes run with the session's replication
    role, which skips triggers — the foreign keys' and the points ledger's append-only guard, which refuses DELETE
    (but not TRUNCATE) by design. Anything else (sequences to reset, no superuser) falls back to the TRUNCATE."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        plain = sql_list and all(sql.startswith("TRUNCATE ") and "RESTART IDENTITY" not in sql for sql in sql_list)
        tables = [name for sql in sql_list for name in re.findall(r'"([^"]+)"', sql)] if plain else []
        if not tables:
            return original(self, sql_list)
        try:
            with transaction.atomic(using=self.connection.alias, savepoint=False), self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                for table in tables:
                    cursor.execute(f"DELETE FROM {self.quote_name(table)}")
        except DatabaseError:
            original(self, sql_list)

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original


@pytest.fixture(scope="session", autouse=True)
def _force_login_gives_both_factors():
    """`client.force_login(user)` and `client.login(...)` stand for a complete sign-in: for a user who needs a
    second factor (an administrator), the test client's session is also verified with an authenticator
    (tests.two_factors.enrolled). The sign-in through the pages — the password form, then the code — is what
    tests/grids/test_two_factors.py exercises; a test client's login has no request path, a page's always has."""
    from django.contrib.auth.signals import user_logged_in
    from django_otp import DEVICE_ID_SESSION_KEY

    from grids.accounts.two_factors import needs_two_factors
    from tests.two_factors import enrolled

    def verify(sender, request, user, **kwargs):
        if request.path == "" and needs_two_factors(user):
            request.session[DEVICE_ID_SESSION_KEY] = enrolled(user).persistent_id

    user_logged_in.connect(verify, dispatch_uid="tests.force_login_gives_both_factors")
    yield
    user_logged_in.disconnect(dispatch_uid="tests.force_login_gives_both_factors")


@pytest.fixture(scope="session", autouse=True)
def _own_cache_namespace():
    """The cache (Redis in CI) is shared by the xdist workers, whose test databases reuse the same primary keys:
    each worker keys its entries apart. The dashboards are cached in every test, as in production with Redis."""
    from django.conf import settings

    caches = {name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"} for name, config in settings.CACHES.items()}
    with override_settings(CACHES=caches, DASHBOARD_CACHE_SECONDS=300):
        yield


@pytest.fixture(autouse=True)
def _no_dashboard_from_an_earlier_test():
    """A rolled-back test leaves its cached dashboards behind (and SQLite reuses its primary keys): retire them."""
    from dashboards import cache as dashboard_cache

    dashboard_cache.retire_all()


@pytest.fixture(scope="session", autouse=True)
def _no_session_left_behind(request, django_db_blocker):
    """PostgreSQL refuses to drop a test database that another session still uses (a connection of a thread or
    of a Celery worker that outlived its test), which left the database behind with a warning. Set up after the
    test database, so torn down before pytest-django drops it: end those sessions first."""
    request.getfixturevalue("django_db_setup")
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    wants_transaction = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    return wants_transaction or bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.fixture(scope="module", autouse=True)
def _module_world(request, django_db_blocker):
    """One world per test module, built in a transaction that is rolled back when the module ends.

    It is module-scoped and autouse so that it starts before pytest-django opens each test's transaction;
    each test then runs in a savepoint inside it, isolated from the others, while the tree is built once per
    module instead of once per test. Modules whose world tests need committed data (threads, live servers)
    build a fresh world per test instead, and may not mix the two kinds.
    """
    items = [i for i in request.session.items if getattr(i, "module", None) is request.module]
    users = [i for i in items if "world" in i.fixturenames]
    if not users or all(_is_transactional(i) for i in users):
        yield None
        return
    if any(_is_transactional(i) for i in items):
        raise pytest.UsageError(f"{request.module.__name__} mixes transactional tests with the shared world")
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            # Check the deferred foreign keys now, once, instead of at every test's teardown.
            connection.check_constraints()
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(request, _module_world):
    """The shared tree: 2 districts × 2 streets × 2 communities × 2 grids with staff on every level."""
    if _module_world is not None and not _is_transactional(request.node):
        request.getfixturevalue("db")
        return _module_world
    # Threads and live servers need committed rows: a fresh world that the test's flush removes.
    request.getfixturevalue("transactional_db")
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
