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
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CLEA_TEST_DB_NAME", f"test_clea_{os.getpid()}")}
DEBUG = False
SECRET_KEY = "test-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz"
CLEA_BASE_DOMAIN = "clea.test"
CLEA_PUBLIC_HOSTS = frozenset({CLEA_BASE_DOMAIN, "testserver"})
ALLOWED_HOSTS = [CLEA_BASE_DOMAIN, f".{CLEA_BASE_DOMAIN}", "testserver", ".localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
