"""What every benchmark shares: a throw-away database on the server it is given, and the machine's load.

url = create_throwaway_database(os.environ["DATABASE_URL"], "clea_bench_api")  # dropped at exit
with LoadSampler() as load:
    ...
print(load.summary())
"""

from __future__ import annotations

import atexit
import os
import threading
from types import TracebackType
from urllib.parse import urlsplit, urlunsplit


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def create_throwaway_database(url: str, prefix: str) -> str:
    """Create ``<prefix>_<pid>`` on the server of ``url``; it is dropped (FORCE) when the process exits."""
    name = f"{prefix}_{os.getpid()}"
    admin_url = with_database(url, "postgres")
    _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(admin_url, f'CREATE DATABASE "{name}"')
    atexit.register(drop_database, admin_url, name)
    return with_database(url, name)


def drop_database(admin_url: str, name: str) -> None:
    try:
        _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped the throw-away database {name}")
    except Exception as exc:  # the run's figures matter more; say what is left behind
        print(f"could not drop the throw-away database {name}: {exc}")


def loadavg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


class LoadSampler:
    """The 1-minute load average sampled every second while the block runs (7 other engineers share the cores)."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(self.interval)

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        if not self.samples:
            return "load average: not sampled"
        low, high = min(self.samples), max(self.samples)
        mean = sum(self.samples) / len(self.samples)
        cpus = os.cpu_count()
        return f"load average (1 min) during the run: min {low:.2f}, mean {mean:.2f}, max {high:.2f} on {cpus} CPUs"
