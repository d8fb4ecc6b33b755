"""Tests: real PostgreSQL (DATABASE_URL, or the embedded server), fast password hashing.

Without DATABASE_URL the embedded server is started lazily by ``tests/conftest.py`` only when a
test asks for the database, so database-free suites (``tests/kernel``) never start PostgreSQL.
The test database name is unique per process: several engineers or CI jobs can run the suite
at the same time against one server without clobbering each other's database.
"""

from __future__ import annotations

import os

from clea.settings.base import *  # noqa: F403
from clea.settings.base import database_config

EMBEDDED_PLACEHOLDER_URL = "postgres://postgres@embedded-postgres-not-started/postgres"

DATABASES = {"default": database_config(os.environ.get("DATABASE_URL") or EMBEDDED_PLACEHOLDER_URL)}
# Django's flush between transactional tests TRUNCATEs every table; the audit trail refuses TRUNCATE unless
# the session says so (clea.audit migration). Only the tests' connections do.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c clea.allow_audit_truncate=on"
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CLEA_TEST_DB_NAME", f"test_clea_{os.getpid()}")}
DEBUG = False
SECRET_KEY = "test-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz"
CLEA_BASE_DOMAIN = "clea.test"
CLEA_PUBLIC_HOSTS = frozenset({CLEA_BASE_DOMAIN, "testserver"})
ALLOWED_HOSTS = [CLEA_BASE_DOMAIN, f".{CLEA_BASE_DOMAIN}", "testserver", ".localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Celery (tests/tasks start real workers): a queue, key prefix and result keys of this run's own, so that
# concurrent runs on one Redis never share messages; unacknowledged messages come back after 5 s.
CLEA_TEST_RUN_ID = os.environ.get("CLEA_TEST_RUN_ID") or f"{os.getpid()}"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "redis://127.0.0.1:6379/0")
CELERY_TASK_DEFAULT_QUEUE = f"clea-test-{CLEA_TEST_RUN_ID}"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    "global_keyprefix": f"clea-test-{CLEA_TEST_RUN_ID}:",
}
CELERY_RESULT_EXPIRES = 600
CLEA_TASK_MAX_RETRIES = int(os.environ.get("CLEA_TASK_MAX_RETRIES", "3"))
CLEA_TASK_RETRY_BACKOFF = 1
CLEA_TASK_RETRY_BACKOFF_MAX = 4

# Tests flush and recreate organisations under the same schema names: workers must not reuse a cached one.
CELERY_TASK_TENANT_CACHE_SECONDS = 0

# Static files: tests never run collectstatic; WhiteNoise serves them from the apps' folders (finders) instead.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True

# No spare schemas unless a test fills the pool (tests/tenants/test_spares.py): provisioning clones on demand.
CLEA_SPARE_SCHEMAS = 0
# The whole suite verifies certificates from one address: no look-up budget here, except in the tests that set
# one (tests/certification/test_enumeration.py).
CLEA_VERIFICATION_RATE = 1_000_000
