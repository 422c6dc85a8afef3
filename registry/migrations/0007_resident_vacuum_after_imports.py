"""A residents' import adds up to 50,000 rows at once; PostgreSQL's autovacuum waits for inserts of 20 % of the
table (200,000 rows at a million) before it marks the new rows all-visible, and until then the lists' index-only
reads (resident_community_name_id, resident_grid_name_id) fetch every new row from the heap. Vacuum the residents
after inserts of 1 % instead."""

from django.db import migrations


def _set(apps, schema_editor, value):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("registry", "Resident")._meta.db_table)
    if value is None:
        schema_editor.execute(f"ALTER TABLE {table} RESET (autovacuum_vacuum_insert_scale_factor)")
    else:
        schema_editor.execute(f"ALTER TABLE {table} SET (autovacuum_vacuum_insert_scale_factor = {value})")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_resident_list_indexes"),
    ]

    operations = [
        migrations.RunPython(lambda apps, editor: _set(apps, editor, 0.01), lambda apps, editor: _set(apps, editor, None)),
    ]
