# The event list reads each branch of the visibility newest first from its own index (events.selectors.event_rows).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0006_assessment"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["tenant", "created_at", "id"], name="event_list_tenant"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["tenant", "street", "created_at", "id"], name="event_list_street"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["tenant", "community", "created_at", "id"], name="event_list_community"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["tenant", "grid", "created_at", "id"], name="event_list_grid"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["reporter", "created_at", "id"], name="event_list_reporter"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("current_handler__isnull", False)),
                fields=["current_handler", "created_at", "id"],
                name="event_list_handler",
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("current_unit__isnull", False)),
                fields=["current_unit", "created_at", "id"],
                name="event_list_unit",
            ),
        ),
    ]
