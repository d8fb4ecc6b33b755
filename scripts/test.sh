#!/usr/bin/env bash
# Every check CI runs: lint, types, import contracts, tests. Extra arguments go to pytest.
# Uses $DATABASE_URL when set, otherwise an embedded PostgreSQL (pgserver) under var/pgdata.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== ruff" && "$BIN/ruff" check .
echo "== mypy" && "$BIN/mypy" platform tenants plugins tests
# Each branch plugin is its own distribution with its own tests/ package: checked one by one, its folder on
# MYPYPATH (mypy cannot follow editable installs), so a newly scaffolded branch needs no configuration.
for branch in branch_modalities/*/; do
  echo "== mypy $branch" && MYPYPATH="$branch" "$BIN/mypy" "$branch"
done
echo "== import-linter" && "$BIN/lint-imports"
echo "== pytest" && "$BIN/pytest" -q "$@"
