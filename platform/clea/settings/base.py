"""Settings common to every environment.

Environment variables:
    DATABASE_URL          PostgreSQL URL (required; ``dev``/``test`` start an embedded server if unset)
    CLEA_BASE_DOMAIN      host of the federation; tenants live at ``<slug>.<CLEA_BASE_DOMAIN>``
    CLEA_PUBLIC_HOSTS     extra comma-separated host names served as the federation (public schema)
    CELERY_BROKER_URL     default ``redis://127.0.0.1:6379/0`` (``dev``: a filesystem queue under var/ if unset)
    CLEA_VAR_DIR          writable state (media, static, embedded database); default ``<repo>/var``
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from clea.settings import apps
from clea_tenants.pooling import REQUEST_TRANSACTION_MIDDLEWARE, transaction_pooling_config

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("CLEA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable (1/true/yes/on)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


# "transaction": the database URL points at PgBouncer in transaction pooling mode (docs/DEPLOYMENT.md, §7):
# every transaction sets its own search_path and every request is one transaction. Default "session".
CLEA_DB_POOL_MODE: str = os.environ.get("CLEA_DB_POOL_MODE", "session").strip().lower()


def database_config(url: str, *, pool: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Django ``DATABASES`` entry on the django-tenants backend, from a URL."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, engine="django_tenants.postgresql_backend"))
    if pool:
        config.setdefault("OPTIONS", {})["pool"] = pool
        config["CONN_MAX_AGE"] = 0  # the pool manages connection lifetime
    else:
        # Keep connections between requests and tasks (a new PostgreSQL connection costs ~10 ms);
        # django-tenants sets the search_path again whenever the tenant changes.
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
    if CLEA_DB_POOL_MODE == "transaction":  # behind PgBouncer in transaction mode (clea_tenants.pooling)
        config = transaction_pooling_config(config)
    return config


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

CLEA_BASE_DOMAIN: str = os.environ.get("CLEA_BASE_DOMAIN", "localhost").strip().lower()
CLEA_PUBLIC_HOSTS: frozenset[str] = frozenset(
    {CLEA_BASE_DOMAIN, *(h.strip().lower() for h in os.environ.get("CLEA_PUBLIC_HOSTS", "").split(",") if h)}
)
CLEA_TENANT_HEADER = "X-Clea-Tenant"

# --- certificates (docs/CERTIFICATES.md) ----------------------------------------------------------
# The federation's public address: issuer of the credentials, target of the QR codes (/verifier/<number>/).
CLEA_FEDERATION_URL: str = os.environ.get("CLEA_FEDERATION_URL", "").rstrip("/")
# Ed25519 signing key: a PEM from the environment (production: required, its own Secret), else (dev, tests)
# generated on first use and stored encrypted (PKCS#8) with this passphrase (default: SECRET_KEY; keys stored
# that way still decrypt with any of SECRET_KEY_FALLBACKS after a rotation).
CLEA_SIGNING_KEY_PEM: str = os.environ.get("CLEA_SIGNING_KEY_PEM", "")
CLEA_SIGNING_KEY_PASSPHRASE: str = os.environ.get("CLEA_SIGNING_KEY_PASSPHRASE", "")
# CPF "accrochage" (docs/CPF.md): the certifier's ids at the Caisse des Dépôts and the certification's RS code.
# The defaults are placeholders for the demo and tests; production sets the real ones.
CLEA_CPF_ID_CLIENT: str = os.environ.get("CLEA_CPF_ID_CLIENT", "00CLEA00")
CLEA_CPF_ID_CONTRAT: str = os.environ.get("CLEA_CPF_ID_CONTRAT", "MCFCER000000")
CLEA_CPF_RS_CODE: str = os.environ.get("CLEA_CPF_RS_CODE", "RS5080")
# Public verification without enumeration (docs/CERTIFICATES.md): look-ups per client and window (seconds), and
# the key of the codes printed on certificates (default SECRET_KEY; set it to keep codes across a key change).
CLEA_VERIFICATION_RATE: int = int(os.environ.get("CLEA_VERIFICATION_RATE", "30"))
CLEA_VERIFICATION_WINDOW: int = int(os.environ.get("CLEA_VERIFICATION_WINDOW", "600"))
CLEA_VERIFICATION_CODE_KEY: str = os.environ.get("CLEA_VERIFICATION_CODE_KEY", "")

# --- applications and tenancy -------------------------------------------------------------------
SHARED_APPS = apps.SHARED_APPS  # django-tenants reads both from settings
TENANT_APPS = apps.TENANT_APPS
INSTALLED_APPS = apps.installed_apps(SHARED_APPS, TENANT_APPS)
TENANT_MODEL = "clea_tenants.Organisation"
TENANT_DOMAIN_MODEL = "clea_tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
TENANT_CREATION_FAKES_MIGRATIONS = True  # new tenants are cloned from the template schema
TENANT_LIMIT_SET_CALLS = True  # one `SET search_path` per connection and tenant switch, not per query
TENANT_BASE_SCHEMA = "clea_template"  # created and kept current by `manage.py prepare_tenant_template`
# Spare schemas cloned ahead of time; provisioning renames one (clea_tenants.spares). 0: clone on demand.
CLEA_SPARE_SCHEMAS = int(os.environ.get("CLEA_SPARE_SCHEMAS", "3"))
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DATABASES: dict[str, dict[str, Any]] = (
    {"default": database_config(os.environ["DATABASE_URL"])} if os.environ.get("DATABASE_URL") else {}
)

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # request counts and latencies (/metrics)
    "clea.observability.access.AccessLogMiddleware",  # one JSON line per request, no query string
    "clea.api.middleware.ApiErrorMiddleware",  # every error under /api/ in the JSON format; NUL, body size
    "clea.health.middleware.HealthCheckMiddleware",  # /healthz/* and /metrics for any host (probes, scrapes)
    # Static files for any host, before tenant routing: no database lookup per file (docs/DEPLOYMENT.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "clea_tenants.middleware.TenantRoutingMiddleware",  # selects the schema and URLconf
    "clea.observability.middleware.RequestContextMiddleware",  # request id + tenant on every log line
    "django.middleware.security.SecurityMiddleware",
    "clea.accounts.security.RequestSizeLimitMiddleware",  # 413 before reading an oversized body
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified() (second factor)
    "clea.accounts.security.SecondFactorRequiredMiddleware",  # a federation session without TOTP is refused
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "clea_tenants.middleware.SuspendedTenantMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a lockout into the lockout page (429)
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
if CLEA_DB_POOL_MODE == "transaction":
    MIDDLEWARE.insert(0, REQUEST_TRANSACTION_MIDDLEWARE)  # one transaction (one SET LOCAL search_path) per request

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CléA <ne-pas-repondre@clea.example>")

ROOT_URLCONF = "clea.urls_tenants"
PUBLIC_SCHEMA_URLCONF = "clea.urls_public"
WSGI_APPLICATION = "clea.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",  # keys carry the schema name
    }
}

# --- authentication hardening (docs/SECURITY.md) ---------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",  # new and re-hashed passwords (argon2-cffi)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # older hashes still verify, upgraded at next sign-in
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out (username, IP) before checking
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: attempts are stored in the schema of the organisation (or public), like the users.
AXES_FAILURE_LIMIT = int(os.environ.get("CLEA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CLEA_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "clea.accounts.security.lockout_response"  # JSON on /api/, a page elsewhere
AXES_CLIENT_IP_CALLABLE = "clea.accounts.security.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password", "otp", "otp_token"]
AXES_VERBOSE = False  # lockouts go to the audit trail (clea.audit.signals)
CLEA_TRUSTED_PROXY_COUNT = int(os.environ.get("CLEA_TRUSTED_PROXY_COUNT", "0"))  # proxies adding X-Forwarded-For
# django-otp: TOTP second factor; roles that must use it (public schema).
OTP_TOTP_ISSUER = "CléA"
CLEA_SECOND_FACTOR_ROLES: frozenset[str] = frozenset({"federation_admin", "jury_member"})
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (hx-headers), never from the cookie

# --- size limits on every input --------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB of form/JSON fields (Django's default, stated)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000  # a full evaluation grid is ~110 criteria x a few fields
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # above this an upload streams to a temporary file
CLEA_MAX_REQUEST_BYTES = 12 * 1024 * 1024  # any request body (evidence: 10 MB + multipart overhead)
CLEA_MAX_REQUEST_BYTES_BY_PATH: dict[str, int] = {"/api/transfers/import/": 60 * 1024 * 1024}  # signed bundles

# --- Content-Security-Policy (django-csp): the web app has no inline script or style ------------------
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "platform" / "clea" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

# --- files --------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"


def file_storage() -> dict[str, Any]:
    """``STORAGES["default"]``: evidence, attestations and other stored documents (docs/DEPLOYMENT.md, "Files").

    ``CLEA_STORAGE_BACKEND=local`` (default: demo, tests, or a ReadWriteMany volume) keeps them under MEDIA_ROOT;
    ``s3`` puts them in an S3-compatible bucket (django-storages). Keys are ``tenants/<schema>/…`` (the models'
    ``upload_to``) under ``CLEA_S3_PREFIX``; files are private (no ACL, never a public URL): they are streamed
    by the views that check roles. ``CLEA_S3_SSE`` (``AES256`` or ``aws:kms`` + ``CLEA_S3_SSE_KMS_KEY_ID``)
    asks for server-side encryption of every object written.
    """
    backend = os.environ.get("CLEA_STORAGE_BACKEND", "local").strip().lower()
    if backend == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend != "s3":
        raise ValueError(f"CLEA_STORAGE_BACKEND must be local or s3, not {backend!r}")
    parameters: dict[str, str] = {}
    if sse := os.environ.get("CLEA_S3_SSE", "").strip():
        parameters["ServerSideEncryption"] = sse
        if kms_key := os.environ.get("CLEA_S3_SSE_KMS_KEY_ID", "").strip():
            parameters["SSEKMSKeyId"] = kms_key
    options: dict[str, Any] = {
        "bucket_name": os.environ.get("CLEA_S3_BUCKET", ""),
        "location": os.environ.get("CLEA_S3_PREFIX", "").strip("/"),
        "endpoint_url": os.environ.get("CLEA_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("CLEA_S3_REGION") or None,
        # Empty: boto3's own chain (AWS_* variables, IRSA / workload identity, instance profile).
        "access_key": os.environ.get("CLEA_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("CLEA_S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": os.environ.get("CLEA_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO and the like
        "signature_version": "s3v4",
        "default_acl": None,  # the bucket's (private) policy; never public-read
        "querystring_auth": True,  # any URL the storage would build is signed; the platform streams instead
        "file_overwrite": False,
        "object_parameters": parameters,
    }
    if not options["bucket_name"]:
        raise ValueError("CLEA_S3_BUCKET must be set when CLEA_STORAGE_BACKEND=s3")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def static_file_headers(headers: Any, path: str, url: str) -> None:
    """WhiteNoise answers before SecurityMiddleware: the headers it would have added to a static file."""
    headers["X-Content-Type-Options"] = "nosniff"


WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers

STORAGES: dict[str, dict[str, Any]] = {
    "default": file_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK: dict[str, Any] = {
    # Token first: unauthenticated API calls answer 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "clea.api.schema.CleaAutoSchema",  # drf-spectacular's, plus minItems
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "clea.api.errors.clea_exception_handler",
    # One input layer (clea.api.inputs): NUL characters, nesting depth, non-standard JSON, malformed multipart.
    "DEFAULT_PARSER_CLASSES": [
        "clea.api.inputs.SafeJSONParser",
        "clea.api.inputs.SafeFormParser",
        "clea.api.inputs.SafeMultiPartParser",
    ],
}
CSRF_FAILURE_VIEW = "clea.api.middleware.csrf_failure"  # JSON under /api/, Django's page elsewhere
SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "CléA API",
    "DESCRIPTION": "Certification CléA : organismes évaluateurs (par tenant) et fédération (schéma public).",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema is the truth (clea.api.schema): request and response shapes apart (read-only fields are not
    # inputs), every operation's error statuses with the error body, unknown body fields refused.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc from drf-spectacular-sidecar's static files (offline, CSP): clea.api.docs
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "clea.api.schema.add_error_responses"],
    "ENUM_NAME_OVERRIDES": {  # several models have a "status": one documented enum each
        "JurySessionStatusEnum": "clea.certification.models.jury.SessionStatus",
        "JurySubmissionStatusEnum": "clea.certification.models.submission.SubmissionStatus",
        "CertificateVerificationStatusEnum": ["valid", "revoked", "not_found"],
        "HabilitationStatusEnum": "clea_tenants.models.register.HabilitationStatus",  # the register (R14)
        "HabilitationDecisionEnum": ["granted", "suspended", "withdrawn", "expired"],
        "HabilitationRequestEnum": ["granted", "applied"],
    },
}

# --- Celery (tenant-aware app configured by the Celery module) -----------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_TENANT_CACHE_SECONDS = 30  # tenant-schemas-celery: no Organisation lookup per task
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Schedules live in django-celery-beat's tables (public schema); entries marked "all tenants" fan out to
# every active organisation, with the schema in the message headers (see clea.tasks.scheduler).
CELERY_BEAT_SCHEDULER = "clea.tasks.scheduler:CleaDatabaseScheduler"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CLEA_CELERY_QUEUE", "clea")
# Reliability: a message is acknowledged only once its task has run (a worker killed mid-task gives it back),
# one message reserved at a time; tasks are idempotent (clea.tasks.ledger) so a redelivery has no second effect.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Bounded redelivery, chosen together (docs/DEPLOYMENT.md, "Redelivery"): a task is killed after
# CELERY_TASK_TIME_LIMIT (soft limit first, so it can clean up); a retry waits at most
# CLEA_TASK_RETRY_BACKOFF_MAX; both stay below the visibility timeout, so a message is never given to a
# second worker while the first still holds it legitimately, and the message of a worker killed as a whole
# (out of memory, node lost) comes back after at most the visibility timeout plus kombu's restore sweep.
# Soft and hard limits per task family (seconds), applied by clea.celery.task from the task's name (first
# matching prefix); tasks of no family (branch plugins) get CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT,
# the largest. The worker pods' terminationGracePeriodSeconds is above the largest hard limit (a warm shutdown
# lets any task end), the visibility timeout above both (tests/production/test_task_limits.py checks it).
CLEA_TASK_TIME_LIMITS: dict[str, tuple[int, int]] = {
    "short": (
        int(os.environ.get("CLEA_TASK_SHORT_SOFT_LIMIT", "50")),
        int(os.environ.get("CLEA_TASK_SHORT_LIMIT", "60")),
    ),
    "documents": (
        int(os.environ.get("CLEA_TASK_DOCUMENTS_SOFT_LIMIT", "110")),
        int(os.environ.get("CLEA_TASK_DOCUMENTS_LIMIT", "120")),
    ),
    "sweeps": (
        int(os.environ.get("CLEA_TASK_SWEEPS_SOFT_LIMIT", "240")),
        int(os.environ.get("CLEA_TASK_SWEEPS_LIMIT", "270")),
    ),
}
CLEA_TASK_FAMILIES: dict[str, str] = {
    "clea.tasks.notifications.": "short",  # one e-mail
    "clea.tasks.facts.": "short",  # one fact row
    "clea.tasks.jury.": "short",  # a decision flowing back to the file
    "clea.tasks.outbox.": "short",  # relaying pending rows to the broker
    "clea.tasks.diagnostics.": "short",
    "clea.tasks.documents.": "documents",  # PDFs (attestations)
    "clea.tasks.reminders.": "sweeps",  # per-tenant daily sweeps
    "clea.tasks.retention.": "sweeps",
    "clea.tasks.audit.": "sweeps",
    "clea.tasks.provisioning.": "sweeps",  # clones the template schema
    "clea.tasks.collective.send_convocation": "documents",  # a convocation PDF, then its e-mail
    "clea.tasks.collective.": "sweeps",  # the day-before reminders of every session
    "clea.tasks.prescribers.share_attestation": "documents",  # copies an attestation PDF to the prescriber
    "clea.tasks.prescribers.remind_pending_referrals": "sweeps",
    "clea.tasks.prescribers.": "short",  # a referral delivered, an invitation, a result back
    "clea.tasks.register.": "sweeps",  # habilitation expiry and reminders
    "clea.tasks.inactivity.send_inactivity_reminder": "short",  # one e-mail to a counsellor
    "clea.tasks.inactivity.": "sweeps",  # the daily sweep of idle files (issue 13 §7)
}
# Issue 13 §7: days without activity after which a file is flagged (levels 1, 2, 3), e.g. "60,165,180".
CLEA_INACTIVITY_DAYS: tuple[int, ...] = tuple(
    int(days) for days in os.environ.get("CLEA_INACTIVITY_DAYS", "60,165,180").split(",") if days.strip()
)
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CLEA_TASK_SOFT_TIME_LIMIT", "240"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CLEA_TASK_TIME_LIMIT", "270"))
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
    # Redis: an unacknowledged message goes back to its queue after this many seconds...
    "visibility_timeout": int(os.environ.get("CLEA_BROKER_VISIBILITY_TIMEOUT", "300")),
    # ...found by a sweep every worker runs every 10 s (kombu's default scans only every 10th call, 100 s),
    # so the task of a killed worker is redelivered at most 310 s after it was delivered (bench/redelivery.py).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
CLEA_TASK_MAX_RETRIES = int(os.environ.get("CLEA_TASK_MAX_RETRIES", "6"))
CLEA_TASK_RETRY_BACKOFF = int(os.environ.get("CLEA_TASK_RETRY_BACKOFF", "2"))  # seconds, doubled each retry
CLEA_TASK_RETRY_BACKOFF_MAX = int(os.environ.get("CLEA_TASK_RETRY_BACKOFF_MAX", "120"))
# The outbox (clea.outbox): follow-ups not yet handed to the broker are retried with back-off (2 s doubled
# each attempt, at most 5 min: 40 attempts span about 3 hours), then listed beside the failed tasks.
# Connecting to the broker is tried once per attempt: a broker outage never holds a request up.
CLEA_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("CLEA_OUTBOX_MAX_ATTEMPTS", "40"))
CLEA_OUTBOX_RETRY_BACKOFF = int(os.environ.get("CLEA_OUTBOX_RETRY_BACKOFF", "2"))
CLEA_OUTBOX_RETRY_BACKOFF_MAX = int(os.environ.get("CLEA_OUTBOX_RETRY_BACKOFF_MAX", "300"))
CLEA_OUTBOX_CONNECT_RETRIES = 0

# --- e-mail (journey notifications, R8 reminders) ------------------------------------------------
EMAIL_BACKEND = os.environ.get("CLEA_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# Authenticated relays (docs/DEPLOYMENT.md, "E-mail"): STARTTLS (usually port 587) or implicit TLS (465).
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CléA <ne-pas-repondre@clea.example>")

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "clea.observability.logs.ContextFilter"}},
    "formatters": {"text": {"format": "%(asctime)s %(levelname)s %(name)s [%(tenant)s %(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "text", "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("CLEA_LOG_LEVEL", "INFO")},
    # Branch plugins are loaded in every process (AppConfig.ready): keep commands quiet unless something is wrong.
    "loggers": {
        "clea.plugins": {"level": os.environ.get("CLEA_PLUGINS_LOG_LEVEL", "WARNING")},
        "clea.branch": {"level": os.environ.get("CLEA_PLUGINS_LOG_LEVEL", "WARNING")},  # branch hooks chat at INFO
    },
}

# --- operations (issue 13): the days of one evaluation fit within this many days (R3, clea.kernel.journey.dates)
CLEA_EVALUATION_MAX_SPAN_DAYS: int = int(os.environ.get("CLEA_EVALUATION_MAX_SPAN_DAYS", "90"))
