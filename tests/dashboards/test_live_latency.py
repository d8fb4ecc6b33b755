"""A journey event shows on the dashboard through a real Celery worker (Redis), and how long it takes.

The latency (commit of the transition → the organisation's figure changed) is reported, not asserted: only a
generous timeout fails the test (speed is measured by bench/dashboard.py).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django_tenants.utils import tenant_context
from tests.dashboards.journeys import Plan, at, provision, walk
from tests.fixtures.tenants import make_user

from clea.dashboards import figures
from clea.dashboards.figures import Filters
from clea.journey import services
from clea.kernel.clock import FixedClock
from clea.kernel.mastery import EvaluationKind
from clea.referentials.registry import default_referential

pytestmark = [pytest.mark.db, pytest.mark.worker]

TIMEOUT = 60.0
REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard-latency.txt"


def poll(condition: Callable[[], bool], timeout: float = TIMEOUT) -> float:
    """Seconds until ``condition()`` holds (checked every 20 ms); fails after ``timeout``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError("the dashboard did not change in time")
        time.sleep(0.02)
    return time.monotonic() - started


def test_a_journey_event_reaches_the_dashboard(committed: None, worker_factory: Callable[..., Any]) -> None:
    from clea.referentials.registry import publish_shipped
    from clea.tasks.diagnostics import probe

    publish_shipped()  # committed for the worker (a browser test's flush may have emptied the public tables)
    org = provision("dash-est", "9999999900001", "44", ("btp",))  # an organisation of this test's own
    worker = worker_factory("dashboards", concurrency=2)
    try:  # stopped at the end: the task suites' workers consume the same queue and have their own settings
        probe.delay(f"ready-{uuid.uuid4()}").get(timeout=TIMEOUT)
        own = Filters(organisation=org.slug)

        def initial_evaluations() -> int:
            return int(figures.compute(own)["initial_evaluations"])

        before_files = int(figures.compute(own)["files"])
        file_id = walk(org, Plan("Léonce", "Latence", at(2025, 3, 3), until="opened"))
        poll(lambda: figures.compute(own)["files"] > before_files)
        before = initial_evaluations()

        referential = default_referential()
        results = [services.ResultInput(c, True) for c in sorted(referential.criterion_codes)]
        clock = FixedClock(at(2025, 3, 10))
        with tenant_context(org):
            counsellor = make_user(org.schema_name, "counsellor")
            services.do_record_evaluation(
                file_id, None, EvaluationKind.INITIAL, counsellor, [clock.today()], results, counsellor, "btp", clock
            )
        latency = poll(lambda: initial_evaluations() > before)  # the transition committed when the call returned

        national = figures.compute(Filters(period_start=date(2025, 3, 1), period_end=date(2025, 3, 31)))
        assert national["straight_to_jury"] >= 1
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(f"journey event → dashboard (real worker, Redis): {latency * 1000:.0f} ms\n")
        print(f"\njourney event → dashboard: {latency * 1000:.0f} ms")
    finally:
        worker.stop()
