"""gunicorn settings hooks (``--config=python:clea.observability.gunicorn``), read by the chart's web pods.

* Prometheus multiprocess mode: the directory named by ``PROMETHEUS_MULTIPROC_DIR`` is emptied when the
  arbiter starts (stale files of a previous container would add old counts) and a dead worker's live gauges
  are dropped (``mark_process_dead``). Counters of dead workers are kept: a total never goes down.
* No gunicorn access log: ``clea.observability.access`` writes one JSON line per request instead, with the
  tenant and the request id and without the query string.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from prometheus_client import multiprocess

accesslog = None
errorlog = "-"


def on_starting(server: Any) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        path = Path(directory)
        if path.exists():
            for child in path.iterdir():
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        path.mkdir(parents=True, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
