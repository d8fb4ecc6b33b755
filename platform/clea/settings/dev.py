"""Local development: DEBUG, embedded PostgreSQL when DATABASE_URL is unset."""

from __future__ import annotations

import os

from clea.devdb import ensure_database_url
from clea.settings.base import *  # noqa: F403
from clea.settings.base import CLEA_BASE_DOMAIN, database_config

DATABASES = {"default": database_config(ensure_database_url())}
DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production-0123456789")
ALLOWED_HOSTS = [CLEA_BASE_DOMAIN, f".{CLEA_BASE_DOMAIN}", "127.0.0.1", ".localhost"]
