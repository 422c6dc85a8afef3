# The work queue (待办) reads each branch of its condition in deadline order from these (events.selectors.work_queue).

from django.db import migrations, models

OPEN_OR_RECHECK = models.Q(
    ("status__in", ["reported", "accepted", "dispatched", "in_progress", "handled", "rework"]),
    ("needs_recheck", True),
    _connector="OR",
)


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0007_event_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=OPEN_OR_RECHECK, fields=["tenant", "status", "due_at"], name="event_queue_tenant"
            ),
        ),
        *(
            migrations.AddIndex(
                model_name="event",
                index=models.Index(
                    condition=OPEN_OR_RECHECK, fields=["tenant", level, "status", "due_at"], name=f"event_queue_{level}"
                ),
            )
            for level in ("street", "community", "grid")
        ),
    ]
