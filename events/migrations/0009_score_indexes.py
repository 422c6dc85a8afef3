"""Scores keep no single-column index per foreign key: their reads start from the run (composite indexes)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0008_event_queue_indexes'),
        ('grids', '0002_exportjob'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='score',
            name='community',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode'),
        ),
        migrations.AlterField(
            model_name='score',
            name='district',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode'),
        ),
        migrations.AlterField(
            model_name='score',
            name='grid',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode'),
        ),
        migrations.AlterField(
            model_name='score',
            name='node',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode', verbose_name='grid node'),
        ),
        migrations.AlterField(
            model_name='score',
            name='run',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='events.assessmentrun', verbose_name='run'),
        ),
        migrations.AlterField(
            model_name='score',
            name='street',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode'),
        ),
        migrations.AlterField(
            model_name='score',
            name='tenant',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.tenant', verbose_name='tenant'),
        ),
        migrations.AlterField(
            model_name='score',
            name='user',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='grid worker'),
        ),
    ]
