"""On PostgreSQL the database itself refuses an UPDATE or DELETE of a ledger row (movements and entries).

TRUNCATE (the test runner's flush) is a statement, not a row change, and is not refused. SQLite, the first-run
default, relies on the models' and querysets' refusals (its test flush deletes row by row).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION points_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'points ledger rows are append-only (% on %): correct with a reversing movement',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""
TABLES = ("points_movement", "points_entry")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION points_ledger_append_only()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS points_ledger_append_only()")


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
