"""Running behind PgBouncer in transaction pooling mode (docs/DEPLOYMENT.md, "Scale-out path").

``ENGINE = "clea_tenants.pooling"`` is the database backend (``base.py``): every transaction sets its own
``search_path`` with ``SET LOCAL``. ``clea_tenants.pooling.middleware.RequestTransactionMiddleware`` makes
each request one transaction, so that a request pays for that ``SET LOCAL`` once. Both are switched on by
``CLEA_DB_POOL_MODE=transaction`` (``clea.settings.base``).
"""

from __future__ import annotations

from typing import Any

POOLED_ENGINE = "clea_tenants.pooling"
REQUEST_TRANSACTION_MIDDLEWARE = "clea_tenants.pooling.middleware.RequestTransactionMiddleware"


def transaction_pooling_config(config: dict[str, Any]) -> dict[str, Any]:
    """``config`` (a ``DATABASES`` entry) made fit for a transaction-mode pooler: what PgBouncer cannot keep
    between transactions is not used (session ``search_path``, server-side cursors, prepared statements)."""
    pooled = dict(config)
    pooled["ENGINE"] = POOLED_ENGINE
    pooled["DISABLE_SERVER_SIDE_CURSORS"] = True  # a DECLARE'd cursor lives on one server connection
    options = dict(pooled.get("OPTIONS") or {})
    options["prepare_threshold"] = None  # psycopg prepares repeated statements; PgBouncer 1.18 cannot route them
    pooled["OPTIONS"] = options
    return pooled
