"""Which Django apps live in the public schema, which in every tenant schema.

django-tenants reads ``SHARED_APPS`` (public schema: the federation) and ``TENANT_APPS`` (one
copy per evaluating organisation). ``django.contrib.auth`` and ``django.contrib.sessions`` are in
*both*, at the same level (see django-tenants ``docs/security.rst``): users, sessions and API
tokens are per schema, so a token issued by organisation B does not exist in organisation A.

To add a tenant app, append ONE line to ``TENANT_APPS`` below; ``INSTALLED_APPS`` follows.
"""

from __future__ import annotations

from clea_plugins.discovery import branch_django_apps

SHARED_APPS: tuple[str, ...] = (
    "django_tenants",  # must come first
    "clea_tenants",
    "clea.accounts",
    "clea.referentials",
    "clea.certification",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_celery_beat",
    "clea.tasks",  # task ledger and failed tasks (public schema)
    "clea.outbox",  # follow-up tasks written in the transaction of their change, relayed to the broker
    "clea.facts",  # pseudonymised journey facts for the national dashboards
    "clea.dashboards",  # national dashboards: rollups of the facts, figures, pages and API
    "clea.web",  # French web interface of the organisations (templates, static; no models)
    "clea.audit",  # append-only, hash-chained audit trail: in TENANT_APPS too (one trail per schema)
    "axes",  # login rate limiting and lockout: in TENANT_APPS too (attempts counted per schema, like users)
    "django_otp",  # second factor (TOTP), mandatory for federation_admin and jury_member (public schema only)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # second-factor backup codes (clea.accounts.backup_codes)
    "csp",  # Content-Security-Policy header (no models)
    "clea.api",  # no models: installs the API's input rules (clea.api.inputs) at start-up
    "clea.publishing",  # referential versions published by the federation; tariffs and statements of acts
    "clea.register",  # the federation's register and back office (models in clea_tenants; templates here)
    "clea.prescribers",  # prescriber organisations, their users, referrals and cohorts (issue 14)
    "clea.ecosystem",  # certificates leaving the platform: CPF "accrochage" batches, parchment export
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc static files (the API docs work offline)
)

TENANT_APPS: tuple[str, ...] = (
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "clea.accounts",
    "rest_framework.authtoken",
    # --- tenant (per organisation) domain apps: add one line each below ---
    "clea.journey",
    "clea.audit",  # the organisation's audit trail (also in SHARED_APPS: the federation's)
    "axes",  # sign-in attempts and lockouts of this organisation's users (also in SHARED_APPS)
    "clea.privacy",  # GDPR: retention periods, erasure records
    "clea.prescribers.inbox",  # referrals received from prescribers (copies delivered by a task)
    "clea.identity",  # R15: candidates' civil identity for certificates (birth names, INSEE birth place)
    "clea.collective",  # collective evaluation sessions and convocations (issue 13)
    # --- branch plugins' Django apps (entry-point group "clea.django_apps"), e.g. clea_branch_btp.observations:
    # installed and migrated in every tenant schema whatever its accreditations (they switch behaviour, not tables)
    *branch_django_apps(),
)


def installed_apps(shared: tuple[str, ...], tenant: tuple[str, ...]) -> list[str]:
    """Shared apps first (order kept), then the tenant-only apps."""
    return [*shared, *(app for app in tenant if app not in shared)]
