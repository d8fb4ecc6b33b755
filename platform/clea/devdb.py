"""Embedded PostgreSQL for development and tests when no DATABASE_URL is given.

``ensure_database_url()`` returns ``$DATABASE_URL`` when it is set. Otherwise it starts
PostgreSQL through ``pgserver`` (data under ``var/pgdata``), exports ``DATABASE_URL`` so that
child processes (the autoreloader, subprocesses) reuse the same server, and returns it.
Never used by the production settings.
"""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

_server: Any = None  # keeps the pgserver handle (and so the server) alive for the process


def embedded_data_dir() -> Path:
    var_dir = Path(os.environ.get("CLEA_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))
    return var_dir / "pgdata"


def ensure_database_url() -> str:
    """The database URL, starting the embedded PostgreSQL if none is configured."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    global _server
    logging.getLogger("pgserver").setLevel(logging.WARNING)  # its INFO logs outlive pytest's capture
    pgserver: Any = importlib.import_module("pgserver")  # lazily: only needed without an external database

    data_dir = embedded_data_dir()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _server = pgserver.get_server(data_dir)
    # A unix socket in the data directory; percent-encoded host = socket path for dj-database-url.
    url = f"postgres://postgres@{quote(str(data_dir), safe='')}/postgres"
    os.environ["DATABASE_URL"] = url
    return url
