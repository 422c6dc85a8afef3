"""The assessment reads its month of events index-only, and the first answer from a column, not the log.

- Event.answered_at: when the event was first accepted or rejected (the services keep it from now on); back-filled
  here from the earliest accept/reject step of each event's log, so "answered by the acceptance deadline" keeps its
  meaning (an accept/reject step no later than accept_due ⇔ the first one is no later than it).
- event_assessment_month: (tenant, created_at) with every column scoring.py counts, for an index-only scan.
- On PostgreSQL, statistics of the distinct (grid, reporter) pairs: without them the planner multiplies the two
  columns' counts, expects a group per ~event and sorts the month's events instead of hashing ~600 groups.
- Score's tenant and stamp foreign keys lose their database constraint (copies of the node's stamps).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ANSWER_STEPS = "('accept', 'reject')"


def backfill_answered_at(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "UPDATE events_event e SET answered_at = l.first FROM (SELECT event_id, MIN(created_at) AS first "
                f"FROM events_eventlog WHERE action IN {ANSWER_STEPS} GROUP BY event_id) l WHERE e.id = l.event_id"
            )
        else:
            cursor.execute(
                "UPDATE events_event SET answered_at = (SELECT MIN(l.created_at) FROM events_eventlog l "
                f"WHERE l.event_id = events_event.id AND l.action IN {ANSWER_STEPS}) "
                f"WHERE id IN (SELECT event_id FROM events_eventlog WHERE action IN {ANSWER_STEPS})"
            )


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE STATISTICS IF NOT EXISTS event_grid_reporter (ndistinct) ON grid_id, reporter_id FROM events_event"
        )
        schema_editor.execute("ANALYZE events_event")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS event_grid_reporter")


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0010_rollup_indexes'),
        ('grids', '0002_exportjob'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='answered_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='When the event was first accepted or rejected.', null=True),
        ),
        migrations.RunPython(backfill_answered_at, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_statistics, drop_statistics),
        migrations.AlterField(
            model_name='score',
            name='community',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode'),
        ),
        migrations.AlterField(
            model_name='score',
            name='district',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode'),
        ),
        migrations.AlterField(
            model_name='score',
            name='grid',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode'),
        ),
        migrations.AlterField(
            model_name='score',
            name='street',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode'),
        ),
        migrations.AlterField(
            model_name='score',
            name='tenant',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.tenant', verbose_name='tenant'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['tenant', 'created_at'], include=('grid', 'reporter', 'status', 'accept_due', 'answered_at', 'handled_on_spot', 'escalation_level', 'verify_due', 'closed_at', 'rework_count', 'due_at', 'paused_at'), name='event_assessment_month'),
        ),
    ]
