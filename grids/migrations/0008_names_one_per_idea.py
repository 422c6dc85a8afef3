"""One name per idea: a node's kind and sub-kind are labelled so (层级, 类型); a post grants rights."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('grids', '0007_two_factors'),
    ]

    operations = [
        migrations.RenameField(model_name="post", old_name="actions", new_name="rights"),
        migrations.RenameField(model_name="historicalpost", old_name="actions", new_name="rights"),
        migrations.AlterField(
            model_name='gridnode',
            name='kind',
            field=models.CharField(choices=[('district', 'District'), ('street', 'Street'), ('community', 'Community'), ('grid', 'Grid')], editable=False, max_length=12, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='gridnode',
            name='subkind',
            field=models.CharField(choices=[('district', 'District'), ('subdistrict', 'Subdistrict'), ('town', 'Town'), ('development_zone', 'Development zone'), ('community', 'Community'), ('village', 'Village'), ('resident', 'Resident grid'), ('exclusive', 'Exclusive grid')], max_length=20, verbose_name='sub-kind'),
        ),
        migrations.AlterField(
            model_name='historicalgridnode',
            name='kind',
            field=models.CharField(choices=[('district', 'District'), ('street', 'Street'), ('community', 'Community'), ('grid', 'Grid')], editable=False, max_length=12, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='historicalgridnode',
            name='subkind',
            field=models.CharField(choices=[('district', 'District'), ('subdistrict', 'Subdistrict'), ('town', 'Town'), ('development_zone', 'Development zone'), ('community', 'Community'), ('village', 'Village'), ('resident', 'Resident grid'), ('exclusive', 'Exclusive grid')], max_length=20, verbose_name='sub-kind'),
        ),
            migrations.AlterField(
            model_name='historicalpost',
            name='rights',
            field=models.JSONField(blank=True, default=list, verbose_name='granted rights'),
        ),
        migrations.AlterField(
            model_name='post',
            name='rights',
            field=models.JSONField(blank=True, default=list, verbose_name='granted rights'),
        ),
    ]
