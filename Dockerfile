# syntax=docker/dockerfile:1.7
# CléA platform image: one image for web (gunicorn), Celery worker and beat, and the migration Job.
#
#   docker build -t clea-platform:$(git describe --tags --always) .
#
# The Helm chart (helm/clea) sets the command of each container; the default CMD serves the web app.

# The base image, pinned by digest: `docker buildx imagetools inspect python:3.11-slim` gives the current one;
# scripts/lock-image-deps.sh refreshes it (with Docker available) together with the Python lock.
#   docker build --build-arg PYTHON_DIGEST=sha256:… .
ARG PYTHON_IMAGE=python:3.11-slim
ARG PYTHON_DIGEST=""

# ------------------------------------------------------------------ builder: a virtualenv with it all
FROM ${PYTHON_IMAGE}@${PYTHON_DIGEST} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# The build backend (setuptools, per pyproject's [build-system]) comes in pip's isolated build env.
RUN python -m venv /opt/venv

WORKDIR /src
# Every third-party distribution first, from the hashed lock (scripts/lock-image-deps.sh): exact versions,
# and pip refuses any file whose SHA-256 is not in the lock.
COPY requirements/image.lock requirements/image.lock
RUN pip install --require-hashes --no-deps -r requirements/image.lock
COPY pyproject.toml README.md* ./
COPY platform/ platform/
COPY tenants/ tenants/
COPY plugins/ plugins/
COPY branch_modalities/ branch_modalities/

# The platform, then every branch plugin distribution (branch_modalities/<code>/pyproject.toml), in one
# resolver run so that a branch's dependency on clea-platform is met by the local build. Not editable:
# the runtime stage gets no source tree. pip compiles the .pyc files here (the runtime root is read-only).
# Versions are those of the pyproject files (local paths); --no-deps: every dependency came from the lock,
# and `pip check` fails the build if the lock misses one.
# hadolint ignore=DL3013
RUN set -eu; \
    set -- .; \
    for dist in branch_modalities/*/; do \
        if [ -f "${dist}pyproject.toml" ]; then set -- "$@" "./${dist}"; fi; \
    done; \
    echo "installing: $*"; \
    pip install --no-deps "$@"; \
    pip check

# ------------------------------------------------------------------ runtime: slim, non-root, read-only
FROM ${PYTHON_IMAGE}@${PYTHON_DIGEST} AS runtime

ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="clea-platform" \
      org.opencontainers.image.description="CléA certification platform (Django + django-tenants, Celery)" \
      org.opencontainers.image.version="${VERSION}"

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=clea.settings.production \
    CLEA_VAR_DIR=/app/var \
    HOME=/tmp

# DejaVu fonts for the PDFs (clea/pdf.py prefers them: wider coverage than reportlab's bundled Vera).
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# Same uid/gid as the chart's securityContext (runAsUser 10001); numeric USER lets runAsNonRoot check it.
RUN groupadd --system --gid 10001 clea \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin clea

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
COPY manage.py ./

# Static files are baked into the image (owned by root, read-only for the app). Production settings
# need these variables to load; nothing is contacted: collectstatic opens no database connection.
RUN SECRET_KEY=collectstatic-only \
    CLEA_SIGNING_KEY_PASSPHRASE=collectstatic-only \
    DATABASE_URL=postgres://collectstatic@127.0.0.1:1/collectstatic \
    CELERY_BROKER_URL=memory:// \
    python manage.py collectstatic --noinput \
 && install -d -o 10001 -g 10001 -m 0750 /app/var/media

USER 10001:10001
EXPOSE 8000

# Default process: the web app. The chart overrides the command for the worker, beat and migrations:
#   celery -A clea.celery worker | celery -A clea.celery beat … | python manage.py upgrade_schemas
# (JSON access lines come from Django: clea.observability.access; multiprocess metrics need
# PROMETHEUS_MULTIPROC_DIR, which the chart sets for the web pods.)
CMD ["gunicorn", "clea.wsgi:application", "--config=python:clea.observability.gunicorn", "--bind=0.0.0.0:8000", \
     "--workers=2", "--threads=4", "--worker-tmp-dir=/tmp"]
