from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="WorkSituationObservation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("file_reference", models.CharField(db_index=True, max_length=64, verbose_name="référence du dossier")),
                ("subdomain", models.CharField(max_length=8, verbose_name="sous-domaine")),
                ("observed_on", models.DateField(verbose_name="observé le")),
                ("site", models.CharField(max_length=200, verbose_name="chantier")),
                ("observer", models.CharField(max_length=150, verbose_name="observateur")),
                ("notes", models.TextField(blank=True, verbose_name="notes")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="créé le")),
            ],
            options={
                "verbose_name": "observation en situation de travail",
                "verbose_name_plural": "observations en situation de travail",
                "ordering": ("-observed_on", "id"),
                "indexes": [models.Index(fields=["file_reference", "subdomain"], name="btp_obs_file_subdomain")],
            },
        ),
    ]
