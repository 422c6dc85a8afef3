"""The monthly assessment (评价考核): schemes, month runs, scores; a default scheme for every existing tenant."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# Frozen copy of events/assessment/indicators.py's defaults as of this migration: (key, weight, target).
DEFAULT_INDICATORS = [
    ("reporting_volume", 20, 20),
    ("on_time_acceptance", 20, None),
    ("on_time_closure", 25, None),
    ("rework", 15, None),
    ("overdue", 20, None),
    ("satisfaction", 0, None),
]


def install_default_schemes(apps, schema_editor):
    """Tenants that exist before this migration get the default scheme (new ones get it on tenant_created)."""
    Tenant = apps.get_model("grids", "Tenant")
    Scheme = apps.get_model("events", "AssessmentScheme")
    Indicator = apps.get_model("events", "SchemeIndicator")
    for tenant in Tenant.objects.filter(assessment_scheme__isnull=True):
        scheme = Scheme.objects.create(tenant=tenant)
        Indicator.objects.bulk_create(
            Indicator(scheme=scheme, key=key, weight=weight, target=target, sort_order=(n + 1) * 10)
            for n, (key, weight, target) in enumerate(DEFAULT_INDICATORS)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0005_rollups'),
        ('grids', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AssessmentRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The first day of the month (Asia/Shanghai).', verbose_name='month')),
                ('version', models.PositiveSmallIntegerField(default=1, verbose_name='version')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', max_length=10, verbose_name='status')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('scheme', models.JSONField(default=list, editable=False, verbose_name='scheme used')),
                ('as_of', models.DateTimeField(verbose_name='events read as of')),
                ('computed_at', models.DateTimeField(verbose_name='computed at')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published at')),
                ('computed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='computed by')),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by')),
                ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.tenant', verbose_name='tenant')),
            ],
            options={
                'verbose_name': 'assessment month',
                'verbose_name_plural': 'assessment months',
                'ordering': ['tenant', '-month', '-version'],
            },
        ),
        migrations.CreateModel(
            name='AssessmentScheme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(default='网格化服务管理月度考核', max_length=100, verbose_name='name')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('tenant', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='assessment_scheme', to='grids.tenant', verbose_name='tenant')),
            ],
            options={
                'verbose_name': 'assessment scheme',
                'verbose_name_plural': 'assessment schemes',
                'ordering': ['tenant'],
            },
        ),
        migrations.CreateModel(
            name='SchemeIndicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(choices=[('reporting_volume', 'Reporting volume'), ('on_time_acceptance', 'On-time acceptance'), ('on_time_closure', 'On-time closure'), ('rework', 'Rework'), ('overdue', 'Overdue'), ('satisfaction', 'Resident satisfaction')], max_length=24, verbose_name='indicator')),
                ('weight', models.PositiveSmallIntegerField(default=0, help_text='Points out of 100 this indicator weighs; the weights add up to 100.', verbose_name='weight')),
                ('target', models.PositiveIntegerField(blank=True, help_text='Reporting volume only: events each grid worker should report in a month.', null=True, verbose_name='monthly target')),
                ('sort_order', models.PositiveSmallIntegerField(default=100, verbose_name='order')),
                ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='events.assessmentscheme', verbose_name='scheme')),
            ],
            options={
                'verbose_name': 'indicator',
                'verbose_name_plural': 'indicators',
                'ordering': ['scheme', 'sort_order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Score',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject_kind', models.CharField(choices=[('worker', 'Grid worker'), ('grid', 'Grid'), ('community', 'Community'), ('street', 'Street'), ('district', 'District')], max_length=10, verbose_name='subject')),
                ('total', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='score')),
                ('indicators', models.JSONField(default=dict, verbose_name='breakdown')),
                ('rank_in_community', models.PositiveIntegerField(blank=True, null=True, verbose_name='rank in community')),
                ('rank_in_street', models.PositiveIntegerField(blank=True, null=True, verbose_name='rank in street')),
                ('rank_in_district', models.PositiveIntegerField(blank=True, null=True, verbose_name='rank in district')),
                ('community', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode')),
                ('district', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode')),
                ('grid', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode')),
                ('node', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode', verbose_name='grid node')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='events.assessmentrun', verbose_name='run')),
                ('street', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.gridnode')),
                ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='grids.tenant', verbose_name='tenant')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='grid worker')),
            ],
            options={
                'verbose_name': 'score',
                'verbose_name_plural': 'scores',
                'ordering': ['run', 'subject_kind', '-total', 'node', 'user'],
            },
        ),
        migrations.AddConstraint(
            model_name='assessmentrun',
            constraint=models.UniqueConstraint(fields=('tenant', 'month', 'version'), name='assessment_run_version_unique'),
        ),
        migrations.AddConstraint(
            model_name='assessmentrun',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'draft')), fields=('tenant', 'month'), name='assessment_run_one_draft'),
        ),
        migrations.AddConstraint(
            model_name='assessmentrun',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'published'])), name='assessment_run_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='assessmentrun',
            constraint=models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='assessment_run_version_positive'),
        ),
        migrations.AddConstraint(
            model_name='assessmentrun',
            constraint=models.CheckConstraint(condition=models.Q(('version', 1), models.Q(('reason', ''), _negated=True), _connector='OR'), name='assessment_run_new_version_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='assessmentrun',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('published_at__isnull', True), ('status', 'draft')), models.Q(('published_at__isnull', False), ('status', 'published')), _connector='OR'), name='assessment_run_published_at'),
        ),
        migrations.AddConstraint(
            model_name='assessmentrun',
            constraint=models.CheckConstraint(condition=models.Q(('month__day', 1)), name='assessment_run_month_first_day'),
        ),
        migrations.AddConstraint(
            model_name='schemeindicator',
            constraint=models.UniqueConstraint(fields=('scheme', 'key'), name='scheme_indicator_unique'),
        ),
        migrations.AddConstraint(
            model_name='schemeindicator',
            constraint=models.CheckConstraint(condition=models.Q(('key__in', ['reporting_volume', 'on_time_acceptance', 'on_time_closure', 'rework', 'overdue', 'satisfaction'])), name='scheme_indicator_key_valid'),
        ),
        migrations.AddConstraint(
            model_name='schemeindicator',
            constraint=models.CheckConstraint(condition=models.Q(('weight__lte', 100)), name='scheme_indicator_weight_max'),
        ),
        migrations.AddConstraint(
            model_name='schemeindicator',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('key', 'reporting_volume'), _negated=True), ('target__gt', 0), _connector='OR'), name='scheme_indicator_volume_has_target'),
        ),
        migrations.AddIndex(
            model_name='score',
            index=models.Index(fields=['run', 'subject_kind', 'community'], name='score_run_community'),
        ),
        migrations.AddIndex(
            model_name='score',
            index=models.Index(fields=['run', 'subject_kind', 'street'], name='score_run_street'),
        ),
        migrations.AddIndex(
            model_name='score',
            index=models.Index(fields=['user', 'run'], name='score_user_run'),
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.UniqueConstraint(condition=models.Q(('user__isnull', False)), fields=('run', 'node', 'user'), name='score_worker_unique'),
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.UniqueConstraint(condition=models.Q(('user__isnull', True)), fields=('run', 'node'), name='score_node_unique'),
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.CheckConstraint(condition=models.Q(('subject_kind__in', ['worker', 'grid', 'community', 'street', 'district'])), name='score_subject_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('subject_kind', 'worker'), ('user__isnull', False)), models.Q(models.Q(('subject_kind', 'worker'), _negated=True), ('user__isnull', True)), _connector='OR'), name='score_worker_has_user'),
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.CheckConstraint(condition=models.Q(('total__gte', 0), ('total__lte', 100)), name='score_total_range'),
        ),
        migrations.RunPython(install_default_schemes, migrations.RunPython.noop),
    ]
