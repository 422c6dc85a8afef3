"""One name per idea: "unit" is a handling unit; hours-or-days is a time unit (category limits, requests for more
time). Renames only; the check constraints follow the renamed columns."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("events", "0018_tenant_key")]

    operations = [
        migrations.RemoveConstraint(model_name="category", name="category_accept_unit_valid"),
        migrations.RemoveConstraint(model_name="category", name="category_handle_unit_valid"),
        migrations.RemoveConstraint(model_name="category", name="category_verify_unit_valid"),
        migrations.RemoveConstraint(model_name="extensionrequest", name="extension_unit_valid"),
        migrations.RenameField(model_name="category", old_name="accept_unit", new_name="accept_time_unit"),
        migrations.RenameField(model_name="category", old_name="handle_unit", new_name="handle_time_unit"),
        migrations.RenameField(model_name="category", old_name="verify_unit", new_name="verify_time_unit"),
        migrations.RenameField(model_name="extensionrequest", old_name="unit", new_name="time_unit"),
            migrations.AlterField(
            model_name='category',
            name='accept_time_unit',
            field=models.CharField(choices=[('working_hours', 'Working hours'), ('working_days', 'Working days')], default='working_hours', max_length=14, verbose_name='acceptance time unit'),
        ),
        migrations.AlterField(
            model_name='category',
            name='handle_time_unit',
            field=models.CharField(choices=[('working_hours', 'Working hours'), ('working_days', 'Working days')], default='working_days', max_length=14, verbose_name='handling time unit'),
        ),
        migrations.AlterField(
            model_name='category',
            name='verify_time_unit',
            field=models.CharField(choices=[('working_hours', 'Working hours'), ('working_days', 'Working days')], default='working_days', max_length=14, verbose_name='verification time unit'),
        ),
        migrations.AlterField(
            model_name='extensionrequest',
            name='time_unit',
            field=models.CharField(choices=[('working_hours', 'Working hours'), ('working_days', 'Working days')], max_length=14, verbose_name='time unit'),
        ),
        migrations.AddConstraint(
            model_name='category',
            constraint=models.CheckConstraint(condition=models.Q(('accept_time_unit__in', ['working_hours', 'working_days'])), name='category_accept_time_unit_valid'),
        ),
        migrations.AddConstraint(
            model_name='category',
            constraint=models.CheckConstraint(condition=models.Q(('handle_time_unit__in', ['working_hours', 'working_days'])), name='category_handle_time_unit_valid'),
        ),
        migrations.AddConstraint(
            model_name='category',
            constraint=models.CheckConstraint(condition=models.Q(('verify_time_unit__in', ['working_hours', 'working_days'])), name='category_verify_time_unit_valid'),
        ),
        migrations.AddConstraint(
            model_name='extensionrequest',
            constraint=models.CheckConstraint(condition=models.Q(('time_unit__in', ['working_hours', 'working_days'])), name='extension_time_unit_valid'),
        ),
    ]
