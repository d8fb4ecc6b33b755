from django.db import migrations, models


def existing_in_force(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Versions stored before publishing had dates have been in force since they were stored."""
    version_model = apps.get_model("referentials", "ReferentialVersion")
    for version in version_model.objects.filter(effective_from__isnull=True):
        version.effective_from = version.published_at.date()
        version.save(update_fields=["effective_from"])


class Migration(migrations.Migration):
    dependencies = [("referentials", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="referentialversion",
            name="effective_from",
            field=models.DateField(blank=True, null=True, verbose_name="en vigueur à partir du"),
        ),
        migrations.AddField(
            model_name="referentialversion",
            name="published_by",
            field=models.CharField(blank=True, max_length=100, verbose_name="publié par"),
        ),
        migrations.AddField(
            model_name="referentialversion",
            name="source_format",
            field=models.CharField(default="yaml", max_length=10, verbose_name="format d'origine"),
        ),
        migrations.AddIndex(
            model_name="referentialversion",
            index=models.Index(fields=["code", "effective_from"], name="referential_line_in_force"),
        ),
        migrations.RunPython(existing_in_force, migrations.RunPython.noop),
    ]
