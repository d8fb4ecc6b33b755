from django.db import migrations, models


def publish_shipped(apps, schema_editor):  # type: ignore[no-untyped-def]
    from importlib import resources

    from clea.kernel.referential import parse_referential
    from clea.kernel.referential.loader import DEFAULT_REFERENTIAL, SHIPPED_REFERENTIALS

    if schema_editor.connection.schema_name != "public":
        return
    version_model = apps.get_model("referentials", "ReferentialVersion")
    data = resources.files("clea.kernel.referential").joinpath("data")
    for name in SHIPPED_REFERENTIALS:
        text = data.joinpath(name).read_text(encoding="utf-8")
        referential = parse_referential(text, source=name)
        version_model.objects.update_or_create(
            identity=referential.identity,
            defaults={
                "code": referential.code,
                "title": referential.title,
                "content_hash": referential.content_hash,
                "source_text": text,
                "is_default": name == DEFAULT_REFERENTIAL,
            },
        )


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="ReferentialVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("identity", models.CharField(max_length=80, unique=True, verbose_name="identité")),
                ("code", models.CharField(max_length=40, verbose_name="code")),
                ("title", models.CharField(max_length=255, verbose_name="titre")),
                ("content_hash", models.CharField(max_length=64)),
                ("source_text", models.TextField()),
                ("is_default", models.BooleanField(default=False, verbose_name="version par défaut")),
                ("published_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"verbose_name": "version de référentiel"},
        ),
        migrations.AddConstraint(
            model_name="referentialversion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_default", True)), fields=("is_default",), name="one_default"
            ),
        ),
        migrations.RunPython(publish_shipped, migrations.RunPython.noop),
    ]
