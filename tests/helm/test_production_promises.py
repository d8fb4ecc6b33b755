"""The chart's production promises (issue 20), checked on rendered manifests and against the settings they feed."""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python
import pytest
from django.conf import settings
from tests.helm.test_chart import (
    CHART,
    DIGEST,
    RELEASE,
    TRIAL_VALUES,
    Manifest,
    merged,
    of_kind,
    one,
    pod_specs,
    production_values,
    render,
)

from clea.health import views as health_views

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def chart() -> Iterator[Any]:
    loaded = helm_python.Chart.load(CHART)
    yield loaded
    loaded.close()


@pytest.fixture(scope="module")
def production(chart: Any) -> list[Manifest]:
    return render(chart, production_values())


def refused(chart: Any, values: dict[str, Any]) -> str:
    with pytest.raises(Exception) as caught:
        render(chart, values)
    return str(caught.value)


def containers(manifests: list[Manifest]) -> Iterator[tuple[str, Manifest]]:
    for name, spec in pod_specs(manifests):
        for container in spec["containers"] + spec.get("initContainers", []):
            yield f"{name}/{container['name']}", container


def env_of(container: Manifest) -> dict[str, Manifest]:
    return {e["name"]: e for e in container["env"]}


# ---------------------------------------------------------------------------- secrets (§4)


def test_secret_key_is_never_generated(chart: Any) -> None:
    assert "secret.secretKey (or existingSecret) is required" in refused(chart, {"signingKey": {"pem": "x"}})
    first = render(chart, TRIAL_VALUES)
    second = render(chart, TRIAL_VALUES)
    secrets = [m for m in first if m["kind"] == "Secret"]
    assert secrets == [m for m in second if m["kind"] == "Secret"]  # two renders, one key: GitOps-safe
    release = one(first, "Secret", RELEASE)["stringData"]
    hook = one(first, "Secret", f"{RELEASE}-migrate")["stringData"]
    assert hook == release  # the hook's copy and the release's Secret agree at first install


def test_production_reads_every_secret_from_existing_secrets(chart: Any, production: list[Manifest]) -> None:
    assert of_kind(production, "Secret") == []
    config = one(production, "ConfigMap", RELEASE)["data"]
    for name, container in containers(production):
        env = env_of(container)
        assert env["SECRET_KEY"]["valueFrom"]["secretKeyRef"]["name"] == "clea-env", name
        assert env["SECRET_KEY_FALLBACKS"]["valueFrom"]["secretKeyRef"]["optional"] is True, name
        signing = env["CLEA_SIGNING_KEY_PEM"]["valueFrom"]["secretKeyRef"]
        assert signing == {"name": "clea-signing-key", "key": "CLEA_SIGNING_KEY_PEM"}, name  # its own Secret
    for variable in ("SECRET_KEY", "SECRET_KEY_FALLBACKS", "CLEA_SIGNING_KEY_PEM", "EMAIL_HOST_PASSWORD"):
        assert variable not in config
    # secrets in production values are refused (values.schema.json)
    message = refused(chart, production_values(secret={"secretKey": "in-values"}))
    assert "/secret/secretKey" in message
    assert "/signingKey/existingSecret" in refused(chart, production_values(signingKey={"existingSecret": ""}))


def test_the_signing_key_is_required_and_never_silently_derived(chart: Any) -> None:
    message = refused(chart, {"secret": {"secretKey": "k" * 50}})
    assert "signingKey.existingSecret" in message
    passphrase = {"CLEA_SIGNING_KEY_PASSPHRASE": {"name": "clea-signing", "key": "passphrase"}}
    manifests = render(chart, {"secret": {"secretKey": "k" * 50}, "extraEnvFromSecret": passphrase})
    for name, container in containers(manifests):
        assert "CLEA_SIGNING_KEY_PEM" not in env_of(container), name
        ref = env_of(container)["CLEA_SIGNING_KEY_PASSPHRASE"]["valueFrom"]["secretKeyRef"]
        assert ref == {"name": "clea-signing", "key": "passphrase"}, name


def test_any_setting_can_come_from_a_secret_and_smtp_is_configurable(chart: Any) -> None:
    values = production_values(
        extraEnvFromSecret={"CLEA_EXTRA_TOKEN": {"name": "vault-env", "key": "token", "optional": True}},
        email={
            "host": "smtp.example.org",
            "port": 465,
            "useTls": False,
            "useSsl": True,
            "user": "clea",
            "from": "CléA <noreply@example.org>",
            "passwordSecret": {"name": "clea-smtp", "key": "password"},
        },
    )
    manifests = render(chart, values)
    config = one(manifests, "ConfigMap", RELEASE)["data"]
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (
        "smtp.example.org",
        "465",
        "false",
        "true",
    )
    assert config["EMAIL_HOST_USER"] == "clea" and config["DEFAULT_FROM_EMAIL"] == "CléA <noreply@example.org>"
    assert "CLEA_EXTRA_TOKEN" not in config
    for name, container in containers(manifests):
        env = env_of(container)
        assert env["EMAIL_HOST_PASSWORD"]["valueFrom"]["secretKeyRef"] == {"name": "clea-smtp", "key": "password"}
        token = env["CLEA_EXTRA_TOKEN"]["valueFrom"]["secretKeyRef"]
        assert token == {"name": "vault-env", "key": "token", "optional": True}, name
    # the settings read exactly these variables
    base = (ROOT / "platform/clea/settings/base.py").read_text(encoding="utf-8")
    for variable in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_HOST_USER"):
        assert f'os.environ.get("{variable}"' in base or f'env_bool("{variable}"' in base, variable
    assert 'os.environ.get("EMAIL_HOST_PASSWORD"' in base


# ---------------------------------------------------------------------------- probes and workers (§5)


def test_readiness_depends_on_the_database_only(production: list[Manifest]) -> None:
    web = one(production, "Deployment", f"{RELEASE}-web")["spec"]["template"]["spec"]["containers"][0]
    assert web["readinessProbe"]["httpGet"]["path"] == "/healthz/ready"
    assert list(health_views.READINESS_CHECKS) == ["database"]


def test_worker_liveness_pings_its_own_node(production: list[Manifest]) -> None:
    worker = one(production, "Deployment", f"{RELEASE}-worker")["spec"]["template"]["spec"]["containers"][0]
    assert "--hostname=celery@%h" in worker["args"]
    command = " ".join(worker["livenessProbe"]["exec"]["command"])
    assert "inspect ping" in command and '--destination="celery@${HOSTNAME}"' in command
    timeout = int(re.search(r"--timeout=(\d+)", command).group(1))  # type: ignore[union-attr]
    assert timeout < worker["livenessProbe"]["timeoutSeconds"]


def test_time_limits_grace_periods_and_visibility_timeout_agree(
    production: list[Manifest], default_values: dict[str, Any]
) -> None:
    base = importlib.import_module("clea.settings.base")
    families: dict[str, tuple[int, int]] = base.CLEA_TASK_TIME_LIMITS
    hard_limits = [hard for _, hard in families.values()] + [base.CELERY_TASK_TIME_LIMIT]
    for soft, hard in [*families.values(), (base.CELERY_TASK_SOFT_TIME_LIMIT, base.CELERY_TASK_TIME_LIMIT)]:
        assert soft < hard
    visibility = base.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert max(hard_limits) < visibility  # a running task's message is never handed to a second worker
    assert visibility > base.CLEA_TASK_RETRY_BACKOFF_MAX
    for manifests in (production, default_values["manifests"]):
        grace = one(manifests, "Deployment", f"{RELEASE}-worker")["spec"]["template"]["spec"][
            "terminationGracePeriodSeconds"
        ]
        assert max(hard_limits) < grace < visibility  # a warm shutdown lets every task end or be killed first
        web = one(manifests, "Deployment", f"{RELEASE}-web")["spec"]["template"]["spec"]
        args = web["containers"][0]["args"]
        graceful = int(next(a for a in args if a.startswith("--graceful-timeout=")).split("=")[1])
        assert graceful < web["terminationGracePeriodSeconds"]


def test_every_platform_task_has_its_family_limits() -> None:
    import clea.celery  # noqa: F401
    from clea.celery import app

    app.loader.import_default_modules()
    platform_tasks = [t for name, t in app.tasks.items() if name.startswith("clea.tasks.")]
    assert len(platform_tasks) >= 10
    for task in platform_tasks:
        family = next(f for prefix, f in settings.CLEA_TASK_FAMILIES.items() if task.name.startswith(prefix))
        assert (task.soft_time_limit, task.time_limit) == settings.CLEA_TASK_TIME_LIMITS[family], task.name


@pytest.fixture(scope="module")
def default_values(chart: Any) -> dict[str, Any]:
    return {"manifests": render(chart, TRIAL_VALUES)}


# ---------------------------------------------------------------------------- metrics (§6)


def test_scrape_annotations_only_where_something_listens(production: list[Manifest]) -> None:
    for manifest in production:
        if manifest["kind"] not in {"Deployment", "Job"}:
            continue
        annotations = manifest["spec"]["template"]["metadata"].get("annotations", {})
        component = manifest["metadata"]["labels"]["app.kubernetes.io/component"]
        if component == "web":
            assert annotations["prometheus.io/scrape"] == "true"
            assert annotations["prometheus.io/port"] == "8000"
        else:
            assert not any(k.startswith("prometheus.io/") for k in annotations), component


def test_gunicorn_runs_in_prometheus_multiprocess_mode_without_its_access_log(production: list[Manifest]) -> None:
    web = one(production, "Deployment", f"{RELEASE}-web")["spec"]["template"]["spec"]["containers"][0]
    assert "--config=python:clea.observability.gunicorn" in web["args"]
    assert not any(a.startswith("--access-logfile") for a in web["args"])
    directory = env_of(web)["PROMETHEUS_MULTIPROC_DIR"]["value"]
    assert directory.startswith("/tmp/")  # the writable emptyDir
    for name, container in containers(production):
        if not name.startswith(f"Deployment/{RELEASE}-web"):
            assert "PROMETHEUS_MULTIPROC_DIR" not in env_of(container), name
    assert importlib.util.find_spec("clea.observability.gunicorn") is not None


def test_service_monitor_option(chart: Any, production: list[Manifest]) -> None:
    assert of_kind(production, "ServiceMonitor") == []
    manifests = render(chart, production_values(metrics={"serviceMonitor": {"enabled": True, "labels": {"r": "p"}}}))
    monitor = one(manifests, "ServiceMonitor", RELEASE)
    service = one(manifests, "Service", RELEASE)
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    assert monitor["spec"]["endpoints"] == [
        {"port": "http", "path": "/metrics", "interval": "30s", "scrapeTimeout": "10s"}
    ]
    assert monitor["metadata"]["labels"]["r"] == "p"


# ---------------------------------------------------------------------------- values.schema.json


def test_the_schema_is_current_and_covers_the_whole_chart() -> None:
    spec = importlib.util.spec_from_file_location("chart_schema", ROOT / "scripts" / "chart-schema.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (CHART / "values.schema.json").read_text(encoding="utf-8") == module.render(), (
        "run: python scripts/chart-schema.py"
    )
    schema = json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert schema["properties"]["media"]["properties"]["existingClaim"]["default"] == ""


def test_the_schema_refuses_typos_and_files_on_an_empty_dir_in_production(chart: Any) -> None:
    typo = merged(TRIAL_VALUES, {"media": {"existingclaim": "clea-media"}})
    assert "existingclaim" in refused(chart, typo)
    on_empty_dir = production_values(storage={"backend": "local"}, media={"existingClaim": ""})
    message = refused(chart, on_empty_dir)
    assert "/media/existingClaim" in message and "/storage/backend" in message
    render(chart, production_values(storage={"backend": "local"}, media={"existingClaim": "clea-media"}))
    trial = render(chart, TRIAL_VALUES)  # a trial may still use an emptyDir
    web = one(trial, "Deployment", f"{RELEASE}-web")["spec"]["template"]["spec"]
    assert {"name": "media", "emptyDir": {"sizeLimit": "1Gi"}} in web["volumes"]


# ---------------------------------------------------------------------------- object storage (§2)


def test_production_files_go_to_the_bucket_and_no_media_volume_is_mounted(production: list[Manifest]) -> None:
    config = one(production, "ConfigMap", RELEASE)["data"]
    assert config["CLEA_STORAGE_BACKEND"] == "s3"
    assert config["CLEA_S3_BUCKET"] == "clea-files" and config["CLEA_S3_SSE"] == "AES256"
    for name, spec in pod_specs(production):
        assert all(v["name"] != "media" for v in spec["volumes"]), name
        for container in spec["containers"] + spec.get("initContainers", []):
            assert all(m["name"] != "media" for m in container["volumeMounts"]), name
            env = env_of(container)
            for variable in ("CLEA_S3_ACCESS_KEY_ID", "CLEA_S3_SECRET_ACCESS_KEY"):
                assert env[variable]["valueFrom"]["secretKeyRef"]["name"] == "clea-s3", name
    base = (ROOT / "platform/clea/settings/base.py").read_text(encoding="utf-8")
    for variable in [k for k in config if k.startswith("CLEA_S3_")] + ["CLEA_STORAGE_BACKEND"]:
        assert f'"{variable}"' in base, variable  # every variable the chart sets is read by the settings


# ---------------------------------------------------------------------------- hygiene (§8)


def test_the_production_image_is_pinned_by_digest(chart: Any, production: list[Manifest]) -> None:
    for name, container in containers(production):
        assert container["image"] == f"clea-platform@{DIGEST}", name
    assert "/image/digest" in refused(chart, merged(production_values(), {"image": {"digest": ""}}))
    assert "/image/digest" in refused(chart, merged(TRIAL_VALUES, {"image": {"digest": "latest"}}))


def test_network_policies(production: list[Manifest]) -> None:
    policies = {p["metadata"]["name"]: p["spec"] for p in of_kind(production, "NetworkPolicy")}
    assert set(policies) == {f"{RELEASE}-{c}" for c in ("web", "worker", "beat", "migrate")}
    for name, spec in policies.items():
        assert spec["policyTypes"] == ["Ingress", "Egress"]
        ports = {p["port"] for rule in spec["egress"] for p in rule["ports"]}
        assert {53, 5432, 6379, 443} <= ports, name
        if name.endswith("-web"):
            sources = [rule["from"][0]["namespaceSelector"]["matchLabels"] for rule in spec["ingress"]]
            assert sources == [
                {"kubernetes.io/metadata.name": "ingress-nginx"},
                {"kubernetes.io/metadata.name": "monitoring"},
            ]
            assert all(rule["ports"] == [{"port": "http", "protocol": "TCP"}] for rule in spec["ingress"])
        else:
            assert spec["ingress"] == [], name  # nothing listens there
    for name, spec in pod_specs(production):
        labels = spec and one(production, name.split("/")[0], name.split("/")[1])["spec"]["template"]["metadata"]
        component = labels["labels"]["app.kubernetes.io/component"]
        selector = policies[f"{RELEASE}-{component}"]["podSelector"]["matchLabels"]
        assert selector.items() <= labels["labels"].items(), name


def test_the_ingress_body_limit_is_the_largest_django_limit(production: list[Manifest]) -> None:
    ingress = one(production, "Ingress", RELEASE)
    size = ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"]
    number, unit = re.fullmatch(r"(\d+)([km]?)", size).groups()  # type: ignore[union-attr]
    limit = int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]
    largest = max(settings.CLEA_MAX_REQUEST_BYTES, *settings.CLEA_MAX_REQUEST_BYTES_BY_PATH.values())
    assert limit == largest
