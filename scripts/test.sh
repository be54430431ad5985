#!/usr/bin/env bash
# The whole test suite: SQLite and PostgreSQL side by side (two processes, one per core), then lint
# and types. Used by `make test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

PG_URL=${JIXIAO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/jixiao_test}
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
if ! pg_up && [ "$(id -u)" = "0" ] && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  sleep 2
fi

# JIXIAO_TEST_RUN lets the two runs share the work (conftest.py): tests that touch no database run
# on SQLite only, and the access matrix's request cases are split between the two databases.
# Each run gets its own media directory: both create evaluations with the same ids, and evidence is
# stored under the evaluation's id.
echo "== tests on SQLite (browser tests included)"
env -u DATABASE_URL JIXIAO_TEST_RUN=sqlite JIXIAO_MEDIA_ROOT="$WORK/media-sqlite" \
  $BIN/pytest -q -p no:cacheprovider >"$WORK/sqlite.log" 2>&1 &
SQLITE_PID=$!

PG_PID=""
if pg_up; then
  echo "== tests on PostgreSQL ($PG_URL, browser tests excluded), alongside"
  DATABASE_URL=$PG_URL JIXIAO_TEST_RUN=postgresql JIXIAO_MEDIA_ROOT="$WORK/media-pg" \
    $BIN/pytest -q -p no:cacheprovider -m "not browser" >"$WORK/pg.log" 2>&1 &
  PG_PID=$!
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432 and CI requires it" >&2
  kill "$SQLITE_PID" 2>/dev/null || true
  exit 1
else
  echo "== PostgreSQL not reachable on 127.0.0.1:5432: skipped the PostgreSQL run"
fi

status=0
wait "$SQLITE_PID" || status=1
echo "== SQLite run:"
cat "$WORK/sqlite.log"
if [ -n "$PG_PID" ]; then
  wait "$PG_PID" || status=1
  echo "== PostgreSQL run:"
  cat "$WORK/pg.log"
fi
[ "$status" = 0 ] || { echo "tests failed (see above)" >&2; exit 1; }

echo "== migrations, lint and types"
$BIN/python manage.py makemigrations --check --dry-run >/dev/null
$BIN/ruff check .
$BIN/ruff format --check .
$BIN/mypy scoring jixiao config
