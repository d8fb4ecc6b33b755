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
# Every URL inside a demo credential must resolve: the demo server's address (`manage.py demo` sets its port).
CLEA_FEDERATION_URL = os.environ.get("CLEA_FEDERATION_URL", "").rstrip("/") or f"http://{CLEA_BASE_DOMAIN}:8000"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # password-reset mails printed by runserver

# Celery without a broker URL: a real worker on kombu's filesystem transport under var/celery (started by
# `manage.py demo`); set CELERY_BROKER_URL (redis://… or amqp://…) to use a real broker instead.
if not os.environ.get("CELERY_BROKER_URL"):
    from clea.settings.base import VAR_DIR

    CELERY_QUEUE_DIR = VAR_DIR / "celery" / "queue"
    CELERY_QUEUE_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        "store_processed": False,
        # kombu's default is ./control (relative to the working directory): keep it under var/ too.
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
