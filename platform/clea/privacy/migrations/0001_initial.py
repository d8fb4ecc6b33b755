import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ErasureRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("candidate_id", models.BigIntegerField(unique=True)),
                ("erased_at", models.DateTimeField()),
                ("reason", models.CharField(max_length=20)),
                ("certified", models.BooleanField()),
                ("actor_ref", models.CharField(max_length=100)),
                ("counts", models.JSONField(default=dict)),
            ],
            options={"verbose_name": "effacement", "ordering": ["erased_at", "id"]},
        ),
        migrations.CreateModel(
            name="RetentionPolicy",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "closed_file_months",
                    models.PositiveSmallIntegerField(
                        default=36,
                        help_text="Après la dernière décision d'un dossier clos (certifié, refusé, retiré, transféré, échu).",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(120),
                        ],
                        verbose_name="conservation des dossiers clos (mois)",
                    ),
                ),
                (
                    "evidence_months",
                    models.PositiveSmallIntegerField(
                        default=12,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(120),
                        ],
                        verbose_name="conservation des preuves après clôture (mois)",
                    ),
                ),
                (
                    "unopened_file_months",
                    models.PositiveSmallIntegerField(
                        default=6,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="conservation des accueils sans consentement (mois)",
                    ),
                ),
                (
                    "login_log_months",
                    models.PositiveSmallIntegerField(
                        default=6,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(24),
                        ],
                        verbose_name="conservation des journaux de connexion (mois)",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("updated_by", models.CharField(blank=True, max_length=100)),
            ],
            options={
                "verbose_name": "durées de conservation",
                "constraints": [models.CheckConstraint(condition=models.Q(("pk", 1)), name="retention_policy_singleton")],
            },
        ),
    ]
