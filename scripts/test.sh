#!/usr/bin/env bash
# The whole test suite: SQLite, then PostgreSQL, then lint and types. Used by `make test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== tests on SQLite"
env -u DATABASE_URL $BIN/pytest -q -p no:cacheprovider

PG_URL=${JIXIAO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/jixiao_test}
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
if ! pg_up && [ "$(id -u)" = "0" ] && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  sleep 2
fi
if pg_up; then
  echo "== tests on PostgreSQL ($PG_URL)"
  DATABASE_URL=$PG_URL $BIN/pytest -q -p no:cacheprovider -m "not browser"
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432 and CI requires it" >&2
  exit 1
else
  echo "== PostgreSQL not reachable on 127.0.0.1:5432: skipped the PostgreSQL run"
fi

echo "== migrations, lint and types"
$BIN/python manage.py makemigrations --check --dry-run >/dev/null
$BIN/ruff check .
$BIN/ruff format --check .
$BIN/mypy scoring jixiao config
