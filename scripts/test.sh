#!/usr/bin/env bash
# Every check CI runs: lint, types, import contracts, tests. Extra arguments go to pytest.
# Uses $DATABASE_URL when set, otherwise an embedded PostgreSQL (pgserver) under var/pgdata.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== ruff" && "$BIN/ruff" check .
echo "== mypy" && "$BIN/mypy" platform tenants plugins tests
echo "== import-linter" && "$BIN/lint-imports"
echo "== pytest" && "$BIN/pytest" -q "$@"
