"""The hotline caller's phone leaves its plain column: sealed (AES-256-GCM or SM4-GCM, yaohai.core.personal), with
a keyed blind index and a masked copy, like the registry's phones. Existing rows are sealed here, in batches;
going back decrypts them into the plain column again."""

from django.db import migrations, models

PURPOSE = "event.resident_phone"
BATCH = 1000


def seal(apps, schema_editor):
    from yaohai.core.personal import fields
    from yaohai.core.personal.identity import normalise_phone

    Event = apps.get_model("events", "Event")
    rows = Event.objects.exclude(resident_phone="").order_by("pk")
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last).only("pk", "resident_phone")[:BATCH])
        if not chunk:
            return
        for event in chunk:
            fields.set_field(event, "resident_phone", PURPOSE, normalise_phone(event.resident_phone)
                             or event.resident_phone.strip())
            event.resident_phone = ""
        Event.objects.bulk_update(chunk, ["resident_phone", "resident_phone_encrypted", "resident_phone_index",
                                          "resident_phone_masked"])
        last = chunk[-1].pk


def unseal(apps, schema_editor):
    from yaohai.core.personal import crypto

    Event = apps.get_model("events", "Event")
    for event in Event.objects.exclude(resident_phone_encrypted="").only("pk", "resident_phone_encrypted").iterator():
        Event.objects.filter(pk=event.pk).update(
            resident_phone=crypto.decrypt(event.resident_phone_encrypted, PURPOSE))


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0017_satisfaction"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="resident_phone_encrypted",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="event",
            name="resident_phone_index",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="event",
            name="resident_phone_masked",
            field=models.CharField(blank=True, editable=False, max_length=20, verbose_name="resident's phone"),
        ),
        migrations.RunPython(seal, unseal, elidable=False),
        migrations.RemoveField(
            model_name="event",
            name="resident_phone",
        ),
    ]
