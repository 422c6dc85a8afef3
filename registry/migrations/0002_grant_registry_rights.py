"""Existing tenants' default posts gain the registry's rights (new tenants get them from grids.catalogue): heads
keep the registry, reveal and audit; grid workers keep it; the police reveal. Posts a tenant has edited keep
their other actions; nothing is taken away."""

from django.db import migrations

GRANTS = {
    "grid_head": ["registry.edit", "registry.reveal", "registry.audit"],
    "grid_worker": ["registry.edit"],
    "police": ["registry.reveal"],
}


def grant(apps, schema_editor):
    Post = apps.get_model("grids", "Post")
    for post in Post.objects.filter(code__in=GRANTS):
        missing = [a for a in GRANTS[post.code] if a not in (post.actions or [])]
        if missing:
            post.actions = [*(post.actions or []), *missing]
            post.save(update_fields=["actions"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial"), ("grids", "0001_initial")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
