#!/usr/bin/env bash
# System packages a fresh Debian machine lacks for the platform. Usage: scripts/system-deps.sh [demo|test]
#   demo: what `make demo` needs (python3-venv: the embedded PostgreSQL comes from PyPI, pgserver);
#   test: also Debian's chromium (browser tests; Playwright's own download does not work here), Redis and
#         RabbitMQ (real Celery workers), the PostgreSQL client tools (pg_dump/pg_restore for the backup tests
#         against the machine's server) and PgBouncer (the pooling isolation test).
# Installs what is missing when we are root with apt; otherwise prints one line naming what to install and
# exits non-zero under CI (CI must not pass by skipping), zero elsewhere (the tests that need it then skip).
set -euo pipefail
purpose="${1:-test}"
missing=()
python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
if [ "$purpose" = test ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v rabbitmq-server >/dev/null || missing+=(rabbitmq-server)
  command -v pg_dump >/dev/null || missing+=(postgresql-client)
  command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  # Debian starts installed daemons only under systemd; scripts/services.sh starts them when needed.
else
  echo "system-deps: missing ${missing[*]} (as root: apt-get install ${missing[*]})" >&2
  case "${CI:-}" in 1|true|TRUE|yes) exit 1 ;; esac
fi
