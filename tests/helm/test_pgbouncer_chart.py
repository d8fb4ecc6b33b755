"""The chart's optional PgBouncer (templates/pgbouncer.yaml): off by default, valid and in transaction mode when on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import helm_python
import kubernetes_validate
import pytest
from tests.helm.test_chart import CHART, KUBERNETES_VERSION, TRIAL_VALUES, Manifest, merged
from tests.helm.test_chart import render as render_chart

PGBOUNCER = "clea-pgbouncer"


@pytest.fixture(scope="module")
def chart() -> Iterator[Any]:
    loaded = helm_python.Chart.load(CHART)
    yield loaded
    loaded.close()


def render(chart: Any, values: dict[str, Any]) -> list[Manifest]:
    """The chart with the least a trial install gives (its secrets), plus ``values``."""
    return render_chart(chart, merged(TRIAL_VALUES, values))


def _named(manifests: list[Manifest], kind: str) -> Manifest:
    found = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == PGBOUNCER]
    assert len(found) == 1, (kind, [m["metadata"]["name"] for m in manifests if m["kind"] == kind])
    return found[0]


def test_no_pgbouncer_unless_enabled(chart: Any) -> None:
    assert not [m for m in render(chart, {}) if m["metadata"]["name"] == PGBOUNCER]


def test_enabled_pgbouncer_is_valid_and_pools_by_transaction(chart: Any) -> None:
    values = {
        "externalDatabase": {"host": "db.internal", "name": "clea", "user": "clea", "password": 'p"w'},
        "pgbouncer": {"enabled": True, "defaultPoolSize": 10},
    }
    manifests = render(chart, values)
    ours = [m for m in manifests if m["metadata"]["name"] == PGBOUNCER]
    assert {m["kind"] for m in ours} == {"ConfigMap", "Secret", "Deployment", "Service"}
    for manifest in ours:
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
    ini = _named(manifests, "ConfigMap")["data"]["pgbouncer.ini"]
    assert "pool_mode = transaction" in ini and "default_pool_size = 10" in ini
    assert "clea = host=db.internal port=5432 dbname=clea" in ini
    assert _named(manifests, "Secret")["stringData"]["userlist.txt"] == '"clea" "p""w"'
    pod = _named(manifests, "Deployment")["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert _named(manifests, "Service")["spec"]["ports"][0]["port"] == 6432


def test_an_existing_secret_replaces_the_generated_one(chart: Any) -> None:
    manifests = render(chart, {"pgbouncer": {"enabled": True, "existingSecret": "pgb-auth"}})
    assert not [m for m in manifests if m["kind"] == "Secret" and m["metadata"]["name"] == PGBOUNCER]
    volumes = _named(manifests, "Deployment")["spec"]["template"]["spec"]["volumes"]
    assert {"name": "auth", "secret": {"secretName": "pgb-auth"}} in volumes


def test_statement_mode_is_refused(chart: Any) -> None:
    with pytest.raises(Exception, match="poolMode"):
        render(chart, {"pgbouncer": {"enabled": True, "poolMode": "statement"}})
