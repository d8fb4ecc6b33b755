"""The Helm chart renders, validates against Kubernetes 1.30 and keeps its production promises.

Rendered offline with Helm's own Go SDK (helm_python): no cluster, no ``helm`` binary. Each values set is
rendered once per module; every manifest is validated strictly (unknown or mistyped fields fail).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python
import kubernetes_validate
import pytest
import yaml

CHART = Path(__file__).resolve().parents[2] / "helm" / "clea"
KUBERNETES_VERSION = "1.30.0"
RELEASE = "clea"
NAMESPACE = "clea"

SECRET_VARIABLES = ("DATABASE_URL", "CELERY_BROKER_URL", "CLEA_CACHE_URL", "SECRET_KEY", "SECRET_KEY_FALLBACKS")
# The least a trial install must give: the chart generates no secret (values.schema.json, "clea.secretKey").
TRIAL_VALUES: dict[str, Any] = {
    "secret": {"secretKey": "trial-" + "k" * 50},
    "signingKey": {"pem": "-----BEGIN PRIVATE KEY-----\ntrial\n-----END PRIVATE KEY-----\n"},
}
# What an operator's own site file adds to values-production.yaml.
DIGEST = "sha256:" + "0123456789abcdef" * 4
SITE_VALUES: dict[str, Any] = {"image": {"digest": DIGEST}}

Manifest = dict[str, Any]


def load_values(name: str) -> dict[str, Any]:
    values: dict[str, Any] = helm_python.values_from_yaml((CHART / name).read_text(encoding="utf-8"))
    return values


def merged(*layers: dict[str, Any]) -> dict[str, Any]:
    """Values files layered like ``-f a.yaml -f b.yaml`` (maps merged, everything else replaced)."""
    result: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if isinstance(value, dict) and isinstance(result.get(key), dict):
                result[key] = merged(result[key], value)
            else:
                result[key] = value
    return result


def production_values(**overrides: Any) -> dict[str, Any]:
    return merged(load_values("values-production.yaml"), SITE_VALUES, overrides)


def render(chart: Any, values: dict[str, Any]) -> list[Manifest]:
    """Render the chart and split every template into its YAML documents (NOTES.txt left out)."""
    rendered: dict[str, str] = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    manifests: list[Manifest] = []
    for path, text in sorted(rendered.items()):
        if not path.endswith((".yaml", ".yml")):
            continue
        manifests.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return manifests


@pytest.fixture(scope="module")
def chart() -> Iterator[Any]:
    loaded = helm_python.Chart.load(CHART)
    yield loaded
    loaded.close()


@pytest.fixture(scope="module")
def default_manifests(chart: Any) -> list[Manifest]:
    return render(chart, TRIAL_VALUES)


@pytest.fixture(scope="module")
def production_manifests(chart: Any) -> list[Manifest]:
    return render(chart, production_values())


@pytest.fixture(scope="module")
def existing_secret_manifests(chart: Any) -> list[Manifest]:
    values = production_values()
    values["existingSecret"] = "clea-env"
    values["existingSecretKeys"] = {
        "databaseUrl": "db-url",
        "brokerUrl": "broker-url",
        "cacheUrl": "cache-url",
        "secretKey": "key",
        "secretKeyFallbacks": "previous-keys",
    }
    return render(chart, values)


@pytest.fixture(params=["default", "production", "existing_secret"])
def manifests(request: pytest.FixtureRequest) -> list[Manifest]:
    result: list[Manifest] = request.getfixturevalue(f"{request.param}_manifests")
    return result


def of_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == kind]


def one(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    found = [m for m in of_kind(manifests, kind) if m["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, got {[m['metadata']['name'] for m in found]}"
    return found[0]


def pod_specs(manifests: list[Manifest]) -> list[tuple[str, Manifest]]:
    return [
        (f"{m['kind']}/{m['metadata']['name']}", m["spec"]["template"]["spec"])
        for m in manifests
        if m["kind"] in {"Deployment", "Job"}
    ]


# ---------------------------------------------------------------------------- schema


def test_every_manifest_validates_strictly_against_kubernetes(manifests: list[Manifest]) -> None:
    assert manifests
    for manifest in manifests:
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


def test_the_chart_lints_without_errors() -> None:
    for values in (TRIAL_VALUES, production_values()):
        report = helm_python.lint(CHART, values, strict=True, kube_version=f"v{KUBERNETES_VERSION}")
        assert report["errors"] == []
        assert [m for m in report["messages"] if m["severity"] >= 2] == []


def test_every_object_carries_the_standard_labels(manifests: list[Manifest]) -> None:
    for manifest in manifests:
        labels = manifest["metadata"]["labels"]
        assert labels["app.kubernetes.io/name"] == "clea"
        assert labels["app.kubernetes.io/instance"] == RELEASE
        assert labels["app.kubernetes.io/managed-by"] == "Helm"
        assert labels["helm.sh/chart"].startswith("clea-")


# ---------------------------------------------------------------------------- workloads


def test_web_worker_and_beat_run_the_expected_commands(default_manifests: list[Manifest]) -> None:
    def container(name: str) -> Manifest:
        deployment = one(default_manifests, "Deployment", f"{RELEASE}-{name}")
        containers: list[Manifest] = deployment["spec"]["template"]["spec"]["containers"]
        return containers[0]

    web = container("web")
    assert web["command"] == ["gunicorn"]
    assert web["args"][0] == "clea.wsgi:application"
    assert "--bind=0.0.0.0:8000" in web["args"]
    assert web["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]

    worker = container("worker")
    assert worker["command"] + worker["args"][:2] == ["celery", "--app=clea.celery", "worker"]

    beat = container("beat")
    assert beat["command"] + beat["args"][:2] == ["celery", "--app=clea.celery", "beat"]
    assert "--scheduler=clea.tasks.scheduler:CleaDatabaseScheduler" in beat["args"]
    beat_deployment = one(default_manifests, "Deployment", f"{RELEASE}-beat")
    assert beat_deployment["spec"]["replicas"] == 1
    assert beat_deployment["spec"]["strategy"] == {"type": "Recreate"}


def test_migration_job_is_a_pre_install_and_pre_upgrade_hook(manifests: list[Manifest]) -> None:
    job = one(manifests, "Job", f"{RELEASE}-migrate")
    annotations = job["metadata"]["annotations"]
    assert set(annotations["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    spec = job["spec"]["template"]["spec"]
    # migrations first (init container), then the schedules, at every install and upgrade
    (container,) = spec["initContainers"]
    assert container["command"] == ["python", "manage.py", "upgrade_schemas"]
    (schedules,) = spec["containers"]
    assert schedules["command"] == ["python", "manage.py", "setup_schedules"]
    assert schedules["env"] == container["env"] and schedules["envFrom"] == container["envFrom"]

    # What the Job reads must exist before it runs: hooks of lower weight, or an existing Secret.
    job_weight = int(annotations["helm.sh/hook-weight"])
    referenced = {ref["configMapRef"]["name"] for ref in container["envFrom"]}
    referenced |= {e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if "valueFrom" in e}
    hooks = {
        m["metadata"]["name"]: m["metadata"]["annotations"]
        for m in manifests
        if m["kind"] in {"ConfigMap", "Secret"} and "helm.sh/hook" in m["metadata"].get("annotations", {})
    }
    for name in referenced - {"clea-env", "clea-signing-key", "clea-s3"}:  # Secrets made beforehand
        assert name in hooks, f"the migration Job reads {name}, which is not created before it"
        assert set(hooks[name]["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
        assert int(hooks[name]["helm.sh/hook-weight"]) < job_weight


def test_containers_run_as_non_root_with_a_read_only_root(manifests: list[Manifest]) -> None:
    specs = pod_specs(manifests)
    assert {name for name, _ in specs} == {
        f"Deployment/{RELEASE}-web",
        f"Deployment/{RELEASE}-worker",
        f"Deployment/{RELEASE}-beat",
        f"Job/{RELEASE}-migrate",
    }
    for name, spec in specs:
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True, name
        assert pod["runAsUser"] == 10001, name
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert spec["automountServiceAccountToken"] is False, name
        assert {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}} in spec["volumes"], name
        for container in spec["containers"] + spec.get("initContainers", []):
            ctx = container["securityContext"]
            assert ctx["runAsNonRoot"] is True, name
            assert ctx["runAsUser"] == 10001, name
            assert ctx["readOnlyRootFilesystem"] is True, name
            assert ctx["allowPrivilegeEscalation"] is False, name
            assert ctx["capabilities"] == {"drop": ["ALL"]}, name
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"], name
            assert set(container["resources"]) == {"requests", "limits"}, name


def test_web_probes_use_the_health_endpoints(manifests: list[Manifest]) -> None:
    web = one(manifests, "Deployment", f"{RELEASE}-web")["spec"]["template"]["spec"]["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz/live"
    assert web["readinessProbe"]["httpGet"]["path"] == "/healthz/ready"
    assert web["startupProbe"]["httpGet"]["path"] == "/healthz/live"
    base_domain = one(manifests, "ConfigMap", RELEASE)["data"]["CLEA_BASE_DOMAIN"]
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        assert web[probe]["httpGet"]["port"] == "http"
        # The kubelet would send the pod IP as Host: not an allowed host, not a tenant.
        assert {"name": "Host", "value": base_domain} in web[probe]["httpGet"]["httpHeaders"]


def test_pods_roll_when_the_configuration_changes(chart: Any) -> None:
    def config_checksum(values: dict[str, Any]) -> str:
        web = one(render(chart, values), "Deployment", f"{RELEASE}-web")
        checksum: str = web["spec"]["template"]["metadata"]["annotations"]["checksum/config"]
        return checksum

    assert config_checksum(TRIAL_VALUES) != config_checksum(merged(TRIAL_VALUES, {"extraEnv": {"FEATURE": "on"}}))


# ---------------------------------------------------------------------------- configuration


def test_configmap_holds_the_non_secret_settings(default_manifests: list[Manifest]) -> None:
    data = one(default_manifests, "ConfigMap", RELEASE)["data"]
    assert data["DJANGO_SETTINGS_MODULE"] == "clea.settings.production"
    assert data["CLEA_BASE_DOMAIN"] == "clea.localhost"
    assert data["CLEA_VAR_DIR"] == "/app/var"
    assert data["CLEA_SSL_REDIRECT"] == "false", "no TLS at the default Ingress"
    assert data["CLEA_TRUSTED_PROXY_COUNT"] == "1", "behind the ingress: its X-Forwarded-For entry is trusted"
    for secret_name in SECRET_VARIABLES:
        assert secret_name not in data


def test_chart_secret_builds_the_urls_from_the_external_services(chart: Any) -> None:
    values = {
        "externalDatabase": {"host": "pg.internal", "user": "clea", "password": "p@ss/word", "sslmode": "require"},
        "externalRedis": {"host": "redis.internal", "password": "s3cret", "tls": True, "db": 2},
        "secret": {"secretKey": "fixed-key"},
        "signingKey": TRIAL_VALUES["signingKey"],
    }
    data = one(render(chart, values), "Secret", RELEASE)["stringData"]
    assert data["DATABASE_URL"] == "postgres://clea:p%40ss%2Fword@pg.internal:5432/clea?sslmode=require"
    assert data["CELERY_BROKER_URL"] == "rediss://:s3cret@redis.internal:6379/2?ssl_cert_reqs=required"
    assert data["CLEA_CACHE_URL"] == "rediss://:s3cret@redis.internal:6379/1?ssl_cert_reqs=required"
    assert data["SECRET_KEY"] == "fixed-key"


def test_trial_secret_is_the_one_given_and_read_by_every_workload(default_manifests: list[Manifest]) -> None:
    secret = one(default_manifests, "Secret", RELEASE)
    assert set(secret["stringData"]) == {*SECRET_VARIABLES, "CLEA_SIGNING_KEY_PEM"}
    assert secret["stringData"]["SECRET_KEY"] == TRIAL_VALUES["secret"]["secretKey"]
    for name, spec in pod_specs(default_manifests):
        env = {e["name"]: e for e in spec["containers"][0]["env"]}
        for key in SECRET_VARIABLES:
            assert env[key]["valueFrom"]["secretKeyRef"]["key"] == key, name


def test_existing_secret_switches_off_the_chart_secret(existing_secret_manifests: list[Manifest]) -> None:
    assert of_kind(existing_secret_manifests, "Secret") == []
    expected = {"DATABASE_URL": "db-url", "CELERY_BROKER_URL": "broker-url", "SECRET_KEY": "key"}
    for name, spec in pod_specs(existing_secret_manifests):
        env = {e["name"]: e for e in spec["containers"][0]["env"]}
        for variable, key in expected.items():
            assert env[variable]["valueFrom"]["secretKeyRef"] == {"name": "clea-env", "key": key}, name
        cache = env["CLEA_CACHE_URL"]["valueFrom"]["secretKeyRef"]
        assert cache == {"name": "clea-env", "key": "cache-url", "optional": True}, name
        fallbacks = env["SECRET_KEY_FALLBACKS"]["valueFrom"]["secretKeyRef"]
        assert fallbacks == {"name": "clea-env", "key": "previous-keys", "optional": True}, name


def test_media_lives_on_the_claim_given(chart: Any) -> None:
    manifests = render(chart, merged(TRIAL_VALUES, {"media": {"existingClaim": "clea-media"}}))
    for component in ("web", "worker"):
        spec = one(manifests, "Deployment", f"{RELEASE}-{component}")["spec"]["template"]["spec"]
        assert {"name": "media", "persistentVolumeClaim": {"claimName": "clea-media"}} in spec["volumes"]
        assert {"name": "media", "mountPath": "/app/var/media"} in spec["containers"][0]["volumeMounts"]


# ---------------------------------------------------------------------------- traffic


def test_service_targets_the_web_pods(default_manifests: list[Manifest]) -> None:
    service = one(default_manifests, "Service", RELEASE)
    assert service["spec"]["selector"]["app.kubernetes.io/component"] == "web"
    assert service["spec"]["ports"][0]["targetPort"] == "http"


def test_production_ingress_serves_the_base_and_wildcard_hosts_over_tls(
    production_manifests: list[Manifest],
) -> None:
    ingress = one(production_manifests, "Ingress", RELEASE)
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    assert hosts == ["clea.example.org", "*.clea.example.org"]
    assert ingress["spec"]["tls"] == [
        {"secretName": "clea-wildcard-tls", "hosts": ["clea.example.org", "*.clea.example.org"]}
    ]
    for rule in ingress["spec"]["rules"]:
        backend = rule["http"]["paths"][0]["backend"]["service"]
        assert backend == {"name": RELEASE, "port": {"name": "http"}}
    data = one(production_manifests, "ConfigMap", RELEASE)["data"]
    assert data["CLEA_BASE_DOMAIN"] == "clea.example.org"
    assert data["CLEA_SSL_REDIRECT"] == "true"


def test_default_ingress_has_the_wildcard_host_without_tls(default_manifests: list[Manifest]) -> None:
    ingress = one(default_manifests, "Ingress", RELEASE)
    assert [rule["host"] for rule in ingress["spec"]["rules"]] == ["clea.localhost", "*.clea.localhost"]
    assert "tls" not in ingress["spec"]


# ---------------------------------------------------------------------------- scaling


def test_web_and_worker_have_an_hpa_and_a_pdb(manifests: list[Manifest]) -> None:
    for component in ("web", "worker"):
        name = f"{RELEASE}-{component}"
        hpa = one(manifests, "HorizontalPodAutoscaler", name)
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        deployment = one(manifests, "Deployment", name)
        assert "replicas" not in deployment["spec"], "the HPA owns the replica count"
        pdb = one(manifests, "PodDisruptionBudget", name)
        assert pdb["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    assert len(of_kind(manifests, "HorizontalPodAutoscaler")) == 2


def test_production_values_scale_up(default_manifests: list[Manifest], production_manifests: list[Manifest]) -> None:
    def hpa_min(manifests: list[Manifest]) -> int:
        minimum: int = one(manifests, "HorizontalPodAutoscaler", f"{RELEASE}-web")["spec"]["minReplicas"]
        return minimum

    assert hpa_min(production_manifests) > hpa_min(default_manifests)
    assert one(production_manifests, "PodDisruptionBudget", f"{RELEASE}-web")["spec"]["minAvailable"] == 2
    web = one(production_manifests, "Deployment", f"{RELEASE}-web")["spec"]["template"]["spec"]
    assert web["topologySpreadConstraints"][0]["labelSelector"]["matchLabels"]["app.kubernetes.io/component"] == "web"


def test_without_autoscaling_the_deployment_sets_its_replicas(chart: Any) -> None:
    values = merged(TRIAL_VALUES, {"web": {"autoscaling": {"enabled": False}, "replicaCount": 4}})
    manifests = render(chart, values)
    assert one(manifests, "Deployment", f"{RELEASE}-web")["spec"]["replicas"] == 4
    assert [m["metadata"]["name"] for m in of_kind(manifests, "HorizontalPodAutoscaler")] == [f"{RELEASE}-worker"]
