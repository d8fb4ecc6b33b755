"""Rollups keyed by every combination of the filter dimensions (issue 19 §3): wider slice names and members,
then the rollups rebuilt from the facts when there are any (the combined slices did not exist before)."""

from typing import Any

from django.db import migrations, models


def rebuild_when_facts_exist(apps: Any, schema_editor: Any) -> None:
    JourneyFact = apps.get_model("facts", "JourneyFact")
    if not JourneyFact.objects.exists():
        return  # a new database: nothing to roll up
    from clea.dashboards.rollups import rebuild_all  # the one counting code (not a frozen copy)

    rebuild_all()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_initial"),
        ("facts", "0002_alter_journeyfact_options"),
    ]

    operations = [
        migrations.AlterField(model_name="rollup", name="dimension", field=models.CharField(max_length=64)),
        migrations.AlterField(model_name="rollup", name="member", field=models.CharField(blank=True, max_length=160)),
        migrations.RunPython(rebuild_when_facts_exist, migrations.RunPython.noop),
    ]
