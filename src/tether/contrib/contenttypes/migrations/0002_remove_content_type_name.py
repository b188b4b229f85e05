"""Django's second contenttypes migration: `name` goes (it is computed from the model now)."""

from typing import Any

from tether import models
from tether.db import migrations


def fill_name(apps: Any, schema_editor: Any) -> None:
    """Backwards: `name` is back, filled with the model's class name where the model exists."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for content_type in ContentType.objects.using(schema_editor.connection.alias):
        try:
            model = apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            content_type.name = content_type.model
        else:
            content_type.name = model._meta.object_name
        content_type.save()


class Migration(migrations.Migration):
    dependencies = [("contenttypes", "0001_initial")]

    operations = [
        migrations.AlterModelOptions(
            name="contenttype",
            options={"verbose_name": "content type", "verbose_name_plural": "content types"},
        ),
        migrations.AlterField(
            model_name="contenttype",
            name="name",
            field=models.CharField(max_length=100, null=True),
        ),
        migrations.RunPython(
            migrations.RunPython.noop, fill_name, hints={"model_name": "contenttype"}
        ),
        migrations.RemoveField(model_name="contenttype", name="name"),
    ]
