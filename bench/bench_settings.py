"""Settings for benchmarks: the dev settings, tenant URLs with a bare baseline view, quiet logs."""

import os

from clea.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "WARNING", "handlers": []}}

# As in production: a psycopg pool per process, so requests do not pay a new PostgreSQL connection each.
DATABASES = {"default": database_config(os.environ["DATABASE_URL"], pool={"min_size": 2, "max_size": 8, "timeout": 10})}  # noqa: F405
