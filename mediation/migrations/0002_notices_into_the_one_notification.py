"""Mediation's own notices become rows of events' one Notification (subject = the case), then the model goes; and
a case records whether its mediator was chosen by the parties (当事人选定调解员)."""

from django.db import migrations, models

# mediation.Notice.kind → events.Notification.kind
KINDS = {"high_risk": "high_risk", "assigned": "assigned", "due_soon": "near_deadline", "overdue": "overdue"}


def forwards(apps, schema_editor):
    Notice = apps.get_model("mediation", "Notice")
    Notification = apps.get_model("events", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Notice.objects.exists():
        return
    case_type, _ = ContentType.objects.get_or_create(app_label="mediation", model="case")
    rows = [
        Notification(user_id=n.user_id, subject_type=case_type, subject_id=n.case_id, kind=KINDS[n.kind],
                     read_at=n.read_at)
        for n in Notice.objects.order_by("id").iterator()
    ]
    made = Notification.objects.bulk_create(rows, batch_size=1000)
    # keep when each was written (auto_now_add set them to now)
    for row, notice in zip(made, Notice.objects.order_by("id").iterator()):
        Notification.objects.filter(pk=row.pk).update(created_at=notice.created_at)


def backwards(apps, schema_editor):
    Notice = apps.get_model("mediation", "Notice")
    Notification = apps.get_model("events", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    case_type = ContentType.objects.filter(app_label="mediation", model="case").first()
    if case_type is None:
        return
    back = {v: k for k, v in KINDS.items()}
    rows = Notification.objects.filter(subject_type=case_type, kind__in=list(back))
    Notice.objects.bulk_create(
        [Notice(user_id=n.user_id, case_id=n.subject_id, kind=back[n.kind], read_at=n.read_at) for n in rows],
        ignore_conflicts=True,
    )
    rows.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0018_notification_subject"),
        ("mediation", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="chosen_by_parties",
            field=models.BooleanField(default=False, help_text="当事人选定调解员 (人民调解法 第十九条); otherwise the body's head designated the mediator", verbose_name="mediator chosen by the parties"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(
            name="Notice",
        ),
    ]
