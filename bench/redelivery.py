"""Bounded redelivery (#21): a worker killed as a whole (SIGKILL of every process: out of memory, node lost)
mid-task; how long until another worker runs its task, with the shipped settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/redelivery.py -r 2

In a throw-away database and on a Redis queue of its own. The task is ``clea.tasks.diagnostics.probe`` made
slow (it sleeps 30 s), so that the kill lands mid-task. The baseline, in the same run, is the same probe on a
worker that is not killed: send → done. The figure to read is *kill → done on the second worker*: the
settings promise at most ``visibility_timeout`` + one restore sweep after the message was delivered
(``CELERY_BROKER_TRANSPORT_OPTIONS``), i.e. 310 s with the shipped 300 s + 10 s.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for source_root in ("platform", "tenants", "plugins"):
    if str(ROOT / source_root) not in sys.path:
        sys.path.append(str(ROOT / source_root))
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from bench.celery_throughput import _admin, _with_database  # noqa: E402
from bench.outbox import loadavg, wait  # noqa: E402

SLOW_SECONDS = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-r", "--rounds", type=int, default=2, help="kills to time")
    args = parser.parse_args()
    admin_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"clea_bench_redelivery_{os.getpid()}"
    _admin(admin_url, f'CREATE DATABASE "{name}"')
    os.environ.update(
        {
            "DATABASE_URL": _with_database(admin_url, name),
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "CLEA_CELERY_QUEUE": f"bench-redelivery-{os.getpid()}",
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
            # the task's STARTED state tells when to kill
            "CELERY_RESULT_BACKEND": os.environ.get("CELERY_RESULT_BACKEND", "redis://127.0.0.1:6379/0"),
            "CLEA_LOG_LEVEL": "WARNING",
        }
    )
    workers: list[subprocess.Popen[bytes]] = []
    try:
        import django

        django.setup()
        run(args.rounds, workers)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
        from django.db import connections

        connections.close_all()
        _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(rounds: int, workers: list[subprocess.Popen[bytes]]) -> None:
    from django.conf import settings
    from django.core.management import call_command

    from clea.celery import app
    from clea.tasks.diagnostics import probe
    from clea.tasks.models import TaskProbe
    from clea.tasks.worker import start_worker

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    promised = options["visibility_timeout"] + options["unacked_restore_interval"] * options["unacked_restore_throttle"]
    logs = Path(tempfile.gettempdir())

    def worker(label: str) -> subprocess.Popen[bytes]:
        process = start_worker(name=label, concurrency=1, loglevel="warning", log_path=logs / f"{label}.log")
        workers.append(process)
        return process

    def done(token: str) -> TaskProbe | None:
        return TaskProbe.objects.filter(token=token).first()

    steady = worker(f"bench-steady-{os.getpid()}")
    baseline = []
    for _ in range(rounds):
        token = str(uuid.uuid4())
        start = time.perf_counter()
        probe.apply_async(args=[token], kwargs={"seconds": SLOW_SECONDS})
        wait(lambda t=token: done(t), 600, "the baseline probe")  # type: ignore[misc]
        baseline.append(time.perf_counter() - start)
    os.killpg(steady.pid, signal.SIGTERM)
    steady.wait(timeout=60)

    killed = []
    for index in range(rounds):
        first = worker(f"bench-killed-{os.getpid()}-{index}")
        token = str(uuid.uuid4())
        sent = time.perf_counter()
        result = probe.apply_async(args=[token], kwargs={"seconds": SLOW_SECONDS})
        wait(lambda r=result: r.state == "STARTED", 120, "the slow probe to start")  # type: ignore[misc]
        delivered_after = time.perf_counter() - sent
        time.sleep(5)
        os.killpg(first.pid, signal.SIGKILL)
        killed_at = time.perf_counter()
        second = worker(f"bench-second-{os.getpid()}-{index}")
        row = wait(lambda t=token: done(t), promised + 300, "the redelivered probe")  # type: ignore[misc]
        killed.append((delivered_after, time.perf_counter() - killed_at, row.hostname))
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=60)
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(app.conf.task_default_queue)

    print(f"transport options: {options}; promised bound {promised} s after delivery; load {loadavg()}")
    figures = ", ".join(f"{b:.1f} s" for b in baseline)
    print(f"baseline (not killed), send -> done of a {SLOW_SECONDS:.0f} s probe: {figures}")
    for delivered_after, after_kill, host in killed:
        print(
            f"killed 5 s into the task (delivered {delivered_after:.1f} s after sending): done "
            f"{after_kill:.1f} s after the kill by {host} ({after_kill + 5:.1f} s after delivery; "
            f"of which {SLOW_SECONDS:.0f} s is the task itself)"
        )


if __name__ == "__main__":
    main()
