"""API latency and throughput through a real HTTP server (gunicorn), side by side with a bare Django view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/api_latency.py

Works in a throw-away database created on that server and dropped at exit (``bench/throwaway.py``): the
``bench-org`` organisation it provisions never lands in the database it is given.

Scenarios, each at 1 and 16 concurrent clients (threads with keep-alive connections):
  bare     a bare Django JSON view behind the same middleware (tenant routing included): the floor
  bare-file  the same read as `read`, in a plain Django view (no DRF, no authentication, no permission)
  read     GET a whole file (candidate, evaluations with every criterion, path, decisions, mastery)
  record   POST a full initial evaluation (every criterion of the referential) on an opened file
Prints p50/p95 latency (ms), requests/s, and the throughput ratio to `bare` (the headline: the issue's
"bare view") and, for `read`, to `bare-file` (the same work without DRF, for diagnosis), with the load average
sampled during the run.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT / "tenants"), str(ROOT / "plugins")]
sys.path.append(str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")

from bench.throwaway import LoadSampler, create_throwaway_database, loadavg  # noqa: E402

if __name__ == "__main__":
    os.environ["DATABASE_URL"] = create_throwaway_database(os.environ["DATABASE_URL"], "clea_bench_api")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from clea.journey import services  # noqa: E402
from clea.journey.models import Candidate  # noqa: E402
from clea.kernel.journey import Consent  # noqa: E402
from clea.kernel.mastery import EvaluationKind  # noqa: E402
from clea.referentials.registry import default_referential  # noqa: E402

SLUG = "bench-org"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REQUESTS = {1: 150, 16: 480}


def prepare(opened_needed: int) -> tuple[str, int, list[int]]:
    """The bench organisation, a token, a fully evaluated file to read, and opened files to evaluate."""
    from clea_tenants.demo import migrate_everything
    from clea_tenants.models import Organisation
    from clea_tenants.provisioning import provision_organisation

    migrate_everything()
    org = Organisation.objects.filter(slug=SLUG).first() or provision_organisation(
        name="Bench",
        slug=SLUG,
        siret="13000123400017",
        region="84",
        contact_email="b@bench.example",
        admin_email="admin@bench.example",
        admin_password="bench-password-123",
    )
    from clea_tenants.accreditations import ensure_accredited

    ensure_accredited(org, ("btp",))  # an evaluation uses a modality of an accredited branch (R3)
    with schema_context(org.schema_name):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username="admin@bench.example")
        token = Token.objects.get_or_create(user=user)[0].key
        criteria = sorted(default_referential().criterion_codes)

        def opened() -> int:
            candidate = Candidate.objects.create(first_name="Bench", last_name="Mark")
            loaded = services.do_refer(candidate, user, None)
            return services.do_open_file(
                loaded.record.pk, None, Consent("bench", loaded.record.created_at.date()), user
            ).record.pk

        read_id = opened()
        results = [services.ResultInput(c, i % 5 != 0) for i, c in enumerate(criteria)]
        services.do_record_evaluation(read_id, None, EvaluationKind.INITIAL, user, [date.today()], results, user)
        to_evaluate = [opened() for _ in range(opened_needed)]
    connection.close()
    return token, read_id, to_evaluate


def start_server() -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "platform"), str(ROOT / "tenants"), str(ROOT / "plugins"), str(ROOT)]
        ),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "clea.wsgi:application",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            "2",
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz/live")
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


_local = threading.local()


def _conn() -> http.client.HTTPConnection:
    if not hasattr(_local, "conn"):
        _local.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    return _local.conn  # type: ignore[no-any-return]


def timed(method: str, path: str, headers: dict[str, str], body: bytes | None = None) -> float:
    start = time.perf_counter()
    conn = _conn()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    if response.status >= 300:
        raise RuntimeError(f"{method} {path} -> {response.status}")
    return elapsed


def run(concurrency: int, count: int, call: Callable[[int], float]) -> tuple[float, float, float]:
    _local.__dict__.clear()
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(call, range(count)))
    wall = time.perf_counter() - start
    quantiles = statistics.quantiles(latencies, n=100)
    return quantiles[49] * 1000, quantiles[94] * 1000, count / wall


def main() -> None:
    needed = sum(REQUESTS.values()) + 40
    token, read_id, to_evaluate = prepare(needed)
    base = settings.CLEA_BASE_DOMAIN
    headers = {"Host": f"{SLUG}.{base}", "Authorization": f"Token {token}", "Content-Type": "application/json"}
    criteria = sorted(default_referential().criterion_codes)
    payload = json.dumps(
        {
            "kind": "initial",
            "days": [str(date.today())],
            "results": [{"criterion": c, "acquired": i % 4 != 0} for i, c in enumerate(criteria)],
        }
    ).encode()
    queue = iter(to_evaluate)
    lock = threading.Lock()

    def record(_: int) -> float:
        with lock:
            file_id = next(queue)
        return timed("POST", f"/api/files/{file_id}/evaluations/", headers, payload)

    scenarios: dict[str, Callable[[int], float]] = {
        "bare": lambda _: timed("GET", "/bench/bare/", headers),
        "bare-file": lambda _: timed("GET", f"/bench/bare-file/{read_id}/", headers),
        "read": lambda _: timed("GET", f"/api/files/{read_id}/", headers),
        "record": record,
    }
    print(f"load average before: {loadavg()}")
    server = start_server()
    try:
        for warm in range(20):  # warm both workers
            scenarios["bare"](warm)
            scenarios["read"](warm)
        rows = []
        with LoadSampler() as load:
            for concurrency, count in REQUESTS.items():
                rates: dict[str, float] = {}
                for name, call in scenarios.items():
                    p50, p95, rps = run(concurrency, count, call)
                    rates[name] = rps
                    same_work = rps / rates["bare-file"] if name == "read" else float("nan")
                    rows.append((name, concurrency, count, p50, p95, rps, rps / rates["bare"], same_work))
    finally:
        server.terminate()
        server.wait(10)
    print(load.summary())
    print(
        f"API through gunicorn (2 workers x 8 threads), {os.cpu_count()} cores, {len(criteria)} criteria per evaluation"
    )
    header = f"{'scenario':<10} {'clients':>7} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}"
    print(f"{header} {'vs bare':>8} {'vs bare-file':>12}")
    for name, concurrency, count, p50, p95, rps, ratio, same_work in rows:
        line = f"{name:<10} {concurrency:>7} {count:>8} {p50:>8.1f} {p95:>8.1f} {rps:>8.1f} {ratio:>8.2f}"
        print(f"{line} {same_work:>12.2f}")


if __name__ == "__main__":
    main()
