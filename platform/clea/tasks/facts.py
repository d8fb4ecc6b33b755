"""Publishing pseudonymised facts of a tenant's decisions to the public schema, and counting them in the
national dashboards' rollups."""

from __future__ import annotations

from clea.celery import task
from clea.dashboards.rollups import refresh_file
from clea.facts.publication import publish_decision


@task("clea.tasks.facts.publish_decision_fact")
def publish_decision_fact(file_id: int, decision_id: int) -> bool:
    """One fact per decision (unique by organisation, file and decision): ``True`` if it was new.

    The file's rollups are refreshed every time, also when the fact existed already (a retried task after a
    crash between the two): the refresh is idempotent.
    """
    created, organisation = publish_decision(file_id, decision_id)
    refresh_file(organisation, str(file_id))
    return created
