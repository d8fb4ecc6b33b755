"""The optional Django app: declared as an entry point, and its migration matches its model.

Runs Django in a subprocess with an in-memory SQLite configuration: no database server, no project settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from clea_plugins.discovery import branch_django_apps

CHECK = textwrap.dedent(
    """
    import django
    from django.conf import settings
    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "clea_branch_btp.observations"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        USE_TZ=True,
    )
    django.setup()
    from django.core.management import call_command
    call_command("makemigrations", "clea_branch_btp_observations", "--check", "--dry-run")
    from clea_branch_btp.observations.models import WorkSituationObservation as M
    names = {f.name for f in M._meta.get_fields()}
    assert {"file_reference", "subdomain", "observed_on", "site", "observer", "notes", "created_at"} <= names, names
    print("ok", M._meta.db_table)
    """
)


def test_django_app_is_declared_in_the_entry_point_group() -> None:
    assert "clea_branch_btp.observations" in branch_django_apps()


def test_migration_matches_the_model() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok clea_branch_btp_observations_worksituationobservation" in done.stdout
