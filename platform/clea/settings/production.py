"""Production: everything from the environment, hardened. `manage.py check --deploy` is clean."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from clea.observability.logs import json_logging
from clea.settings.base import *  # noqa: F403
from clea.settings.base import CLEA_BASE_DOMAIN, database_config, env_bool, file_storage


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production")
    return value


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
# Rotation (docs/DEPLOYMENT.md, "Rotating SECRET_KEY"): the previous keys, comma-separated; sessions, password
# reset links and signed values made with them stay valid until they expire.
SECRET_KEY_FALLBACKS = _list("SECRET_KEY_FALLBACKS")
# The federation's Ed25519 signing key is its own secret, never derived from SECRET_KEY (clea.certification
# .signing): rotating SECRET_KEY must not make the stored key undecipherable.
# Either the key itself (CLEA_SIGNING_KEY_PEM, recommended) or a passphrase of its own for the key generated and
# stored encrypted on first use (CLEA_SIGNING_KEY_PASSPHRASE).
CLEA_SIGNING_KEY_PEM = os.environ.get("CLEA_SIGNING_KEY_PEM", "")
CLEA_SIGNING_KEY_PASSPHRASE = os.environ.get("CLEA_SIGNING_KEY_PASSPHRASE", "")
if not (CLEA_SIGNING_KEY_PEM.strip() or CLEA_SIGNING_KEY_PASSPHRASE):
    raise ImproperlyConfigured(
        "CLEA_SIGNING_KEY_PEM (or CLEA_SIGNING_KEY_PASSPHRASE) must be set in production: the federation's"
        " signing key never depends on SECRET_KEY"
    )
DATABASES = {
    "default": database_config(
        _required("DATABASE_URL"),
        # psycopg 3 pool: session-level connections, so each request keeps its own search_path.
        pool={
            "min_size": int(os.environ.get("CLEA_DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("CLEA_DB_POOL_MAX", "10")),
            "timeout": 10,
        },
    )
}
ALLOWED_HOSTS = [CLEA_BASE_DOMAIN, f".{CLEA_BASE_DOMAIN}", *os.environ.get("CLEA_EXTRA_HOSTS", "").split(",")]
ALLOWED_HOSTS = [h for h in ALLOWED_HOSTS if h]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("CLEA_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^health"]  # kubelet probes speak plain HTTP inside the cluster
SECURE_HSTS_SECONDS = int(os.environ.get("CLEA_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [f"https://{CLEA_BASE_DOMAIN}", f"https://*.{CLEA_BASE_DOMAIN}"]
X_FRAME_OPTIONS = "DENY"

# Static files: WhiteNoise serves what `collectstatic` baked into the image, compressed (gzip and Brotli when
# available), under content-hashed names cached for a year (immutable); unhashed names get 60 s.
STORAGES = {
    "default": file_storage(),  # CLEA_STORAGE_BACKEND: local (a shared volume) or s3 (object storage)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("CLEA_CACHE_URL", "redis://127.0.0.1:6379/1"),
        "KEY_FUNCTION": "django_tenants.cache.make_key",
    }
}

# One JSON object per log line, with the tenant and the request id (clea.observability).
LOGGING = json_logging(os.environ.get("CLEA_LOG_LEVEL", "INFO"))
