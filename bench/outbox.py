"""The transactional outbox (#21): what it costs on the évaluation write, and how long a follow-up takes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/outbox.py -n 60 -m 20

Three figures, each beside its baseline measured in the same run, in a throw-away database (created and
dropped) and on a Redis server of the bench's own (a free port, stopped and started on purpose):

1. **Write cost.** Recording a whole évaluation préalable (107 criteria) through ``do_record_evaluation``,
   in-process: with the outbox (the follow-ups written as rows in the decision's transaction, relayed after
   the commit), beside the way before it (the follow-ups sent straight to the broker after the commit, no
   row), patched in for the baseline only. No worker runs meanwhile, so both measure the write alone.
2. **Commit → done, broker up.** A worker (and its beat) running: the time from the withdrawal's commit to
   its last follow-up done (national fact and partial attestation), beside a probe task's send → done on the
   same worker (the floor of any asynchronous follow-up).
3. **Broker back → done, after an outage.** The broker stopped, ``m`` withdrawals committed (each answers
   at once: the rows wait), the broker started again: the time until every follow-up is done. Nothing calls
   the relay by hand: the worker's beat runs ``relay_outbox`` every minute, so this is bounded by that
   period plus the back-off of the rows (2 s doubled per failed attempt).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for source_root in ("platform", "tenants", "plugins"):
    if str(ROOT / source_root) not in sys.path:
        sys.path.append(str(ROOT / source_root))
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from bench.celery_throughput import _admin, _with_database, percentile  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OwnRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="clea-bench-outbox-")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--dir", self.folder],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait(lambda: _listening(self.port), 10, "the bench's Redis")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait(condition: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise SystemExit(f"bench/outbox.py: {what} did not happen within {seconds:.0f} s")


def loadavg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def summary(values: Sequence[float]) -> str:
    return f"{percentile(list(values), 0.5) * 1000:>9.1f} {percentile(list(values), 0.95) * 1000:>9.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=60, help="évaluations per write-cost variant, and decisions timed")
    parser.add_argument("-m", type=int, default=20, help="withdrawals committed during the outage")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        raise SystemExit("bench/outbox.py: redis-server is not installed (scripts/system-deps.sh test)")
    admin_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"clea_bench_outbox_{os.getpid()}"
    broker = OwnRedis()
    broker.start()
    _admin(admin_url, f'CREATE DATABASE "{name}"')
    os.environ.update(
        {
            "DATABASE_URL": _with_database(admin_url, name),
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "CELERY_BROKER_URL": broker.url,
            "CLEA_CELERY_QUEUE": f"bench-outbox-{os.getpid()}",
            "CLEA_LOG_LEVEL": "WARNING",
        }
    )
    worker: subprocess.Popen[bytes] | None = None
    try:
        import django

        django.setup()
        worker = run(args.n, args.m, broker)
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        from django.db import connections

        connections.close_all()
        _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        broker.stop()
        shutil.rmtree(broker.folder, ignore_errors=True)


def run(n: int, m: int, broker: OwnRedis) -> subprocess.Popen[bytes]:
    from unittest import mock

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django_tenants.utils import schema_context

    from clea.celery import app
    from clea.facts.models import JourneyFact
    from clea.journey import events, services
    from clea.journey.models import Candidate, CandidateFileRecord, Document
    from clea.kernel.journey import Consent
    from clea.kernel.mastery import EvaluationKind
    from clea.outbox.models import OutboxMessage
    from clea.referentials.registry import default_referential
    from clea.tasks.diagnostics import probe
    from clea.tasks.worker import start_worker
    from clea_tenants.accreditations import ensure_accredited, sync_branches
    from clea_tenants.provisioning import provision_organisation
    from clea_tenants.template import prepare_tenant_template

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    prepare_tenant_template()
    call_command("setup_schedules", stdout=io.StringIO())
    sync_branches()
    org = provision_organisation(
        "Bench", "bench-outbox", "73282932000074", "84", "c@b.example", "a@b.example", "bench-password-123"
    )
    ensure_accredited(org, ("btp",))
    schema = org.schema_name
    criteria = sorted(default_referential().criterion_codes)
    results = [services.ResultInput(c, i % 5 != 0) for i, c in enumerate(criteria)]

    def send_after_commit(tasks: Sequence[tuple[str, Sequence[Any], dict[str, Any]]], *, schema_name: str) -> None:
        """The way before the outbox: no row, each task sent to the broker once the transaction commits."""

        def send() -> None:
            for task_name, task_args, task_kwargs in tasks:
                app.send_task(task_name, list(task_args), task_kwargs, headers={"_schema_name": schema_name})

        transaction.on_commit(send, robust=True)

    with schema_context(schema):
        user = get_user_model().objects.get(username="a@b.example")

        def opened() -> int:
            loaded = services.do_refer(Candidate.objects.create(first_name="Bench", last_name="Outbox"), user, None)
            return int(services.do_open_file(loaded.record.pk, None, Consent("bench", date.today()), user).record.pk)

        def evaluate(file_id: int) -> float:
            start = time.perf_counter()
            services.do_record_evaluation(
                file_id, None, EvaluationKind.INITIAL, user, [date.today()], results, user, modality="btp"
            )
            return time.perf_counter() - start

        def withdraw(file_id: int) -> None:
            services.do_withdraw(file_id, None, "other", user, detail="bench")

        for file_id in [opened() for _ in range(5)]:  # warm-up: caches, plugin host, prepared paths
            evaluate(file_id)
        rounds: dict[str, list[float]] = {"outbox": [], "direct": []}
        files = {variant: [opened() for _ in range(n)] for variant in rounds}
        load_before = loadavg()
        rows_before = OutboxMessage.objects.filter(schema_name=schema).count()
        for index in range(n):  # interleaved, so that a change of the machine's load hits both alike
            rounds["outbox"].append(evaluate(files["outbox"][index]))
            with mock.patch.object(events, "enqueue_many", send_after_commit):
                rounds["direct"].append(evaluate(files["direct"][index]))
        load_after = loadavg()
        rows_per_evaluation = (OutboxMessage.objects.filter(schema_name=schema).count() - rows_before) / n

    # Nothing consumed those messages: start from an empty queue.
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(app.conf.task_default_queue)

    log = Path(tempfile.gettempdir()) / f"bench-outbox-{os.getpid()}-worker.log"
    worker = start_worker(name="bench-outbox", concurrency=2, loglevel="warning", log_path=log, beat=True)

    def all_done(file_id: int, decision_id: int) -> bool:
        if not JourneyFact.objects.filter(organisation=org.slug, decision_id=decision_id).exists():
            return False
        with schema_context(schema):
            return Document.objects.filter(file_id=file_id).exists()

    def latest_decision(file_id: int) -> int:
        with schema_context(schema):
            return int(CandidateFileRecord.objects.get(pk=file_id).decisions.latest("id").pk)

    from clea.tasks.models import TaskProbe

    for _ in range(5):  # warm-up: the pool's processes connected, the tenant cached
        token = str(uuid.uuid4())
        with schema_context(schema):
            probe.delay(token)
        wait(lambda t=token: TaskProbe.objects.filter(token=t).exists(), 120, "a warm-up probe")  # type: ignore[misc]
    probes: list[float] = []
    for _ in range(n):
        token = str(uuid.uuid4())
        start = time.perf_counter()
        with schema_context(schema):
            probe.delay(token)
        wait(lambda t=token: TaskProbe.objects.filter(token=t).exists(), 60, "a probe")  # type: ignore[misc]
        probes.append(time.perf_counter() - start)

    to_withdraw = [*files["outbox"], *files["direct"]]
    followed: list[float] = []
    for file_id in to_withdraw[:n]:
        with schema_context(schema):
            start = time.perf_counter()
            withdraw(file_id)
        decision_id = latest_decision(file_id)
        wait(lambda f=file_id, d=decision_id: all_done(f, d), 120, "a withdrawal's follow-ups")  # type: ignore[misc]
        followed.append(time.perf_counter() - start)

    broker.stop()
    outage_files = to_withdraw[n : n + m]
    answers: list[float] = []
    for file_id in outage_files:
        with schema_context(schema):
            start = time.perf_counter()
            withdraw(file_id)
            answers.append(time.perf_counter() - start)
    decisions = [(file_id, latest_decision(file_id)) for file_id in outage_files]
    time.sleep(5)  # the outage lasts a little while after the last change
    broker.start()
    back = time.perf_counter()
    done_after: list[float] = []
    pending = list(decisions)
    while pending:
        if time.perf_counter() - back > 600:
            raise SystemExit("bench/outbox.py: follow-ups still pending 10 minutes after the broker came back")
        still = [(f, d) for f, d in pending if not all_done(f, d)]
        done_after.extend(time.perf_counter() - back for _ in range(len(pending) - len(still)))
        pending = still
        time.sleep(0.05)

    print(f"load average before / after the write rounds: {load_before} / {load_after}; now {loadavg()}")
    print(f"1. évaluation préalable (107 criteria) recorded in-process, n = {n} each, interleaved")
    print(f"   {'variant':<58} {'p50 ms':>9} {'p95 ms':>9}")
    print(f"   {'outbox rows in the transaction, relayed after commit':<58} {summary(rounds['outbox'])}")
    print(f"   {'baseline: sent to the broker after commit, no row':<58} {summary(rounds['direct'])}")
    print(f"   outbox rows per évaluation: {rows_per_evaluation:.1f}")
    print(f"2. broker up, worker of 2 processes (n = {n})")
    print(f"   {'withdrawal commit -> fact and attestation done':<58} {summary(followed)}")
    print(f"   {'baseline: probe task send -> done':<58} {summary(probes)}")
    print(f"3. broker stopped, {m} withdrawals committed, broker started again")
    print(f"   {'each withdrawal answered (broker down)':<58} {summary(answers)}")
    print(f"   {'broker back -> each withdrawal all done (beat relay)':<58} {summary(done_after)}")
    print(f"   last done {max(done_after):.1f} s after the broker came back; load now {loadavg()}")
    return worker


if __name__ == "__main__":
    main()
