import pytest
from django.db import connection

from audit.models import Anchor, Entry


@pytest.fixture
def world(world):
    """The shared world, with the trail its building wrote emptied: these tests count their own rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Entry._meta.db_table)}")
    Anchor.objects.all().delete()
    return world
