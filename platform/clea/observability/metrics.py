"""``/metrics``: the process's (or, under gunicorn, every worker's) counters plus the registered health details.

Multiprocess mode (``PROMETHEUS_MULTIPROC_DIR`` set, as the chart does for gunicorn): each worker writes its
samples to files in that directory and a scrape reads them all through ``MultiProcessCollector``, so a
counter is the sum over workers whichever worker answers the scrape (without it, a scrape sees one worker's
counters only). ``clea.observability.gunicorn`` empties the directory at start and marks dead workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from clea.observability.checks import registered_checks

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


class ChecksCollector(Collector):
    """``clea_health_check_ok{check}`` and every check's own samples, computed at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        ok = GaugeMetricFamily("clea_health_check_ok", "1 when the health detail check is ok", labels=["check"])
        families: dict[str, GaugeMetricFamily] = {}
        for name, check in registered_checks().items():
            detail = check()
            ok.add_metric([name], 1.0 if detail.ok else 0.0)
            for sample in detail.samples:
                labels = sorted(sample.labels)
                family = families.get(sample.name)
                if family is None:
                    family = families[sample.name] = GaugeMetricFamily(sample.name, sample.documentation, labels=labels)
                family.add_metric([sample.labels[k] for k in labels], sample.value)
        yield ok
        yield from families.values()


def multiprocess_enabled() -> bool:
    return bool(os.environ.get(MULTIPROC_VARIABLE))


def exposition() -> bytes:
    """The text exposition format of every metric of this pod."""
    if multiprocess_enabled():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        process_metrics = generate_latest(registry)
    else:
        process_metrics = generate_latest(REGISTRY)
    checks = CollectorRegistry()
    checks.register(ChecksCollector())
    return process_metrics + generate_latest(checks)


def metrics_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
