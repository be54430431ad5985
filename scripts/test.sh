#!/usr/bin/env bash
# The whole test suite, then lint and types. Used by `make test` and CI.
#
# Three pytest processes run side by side (docs/decisions.md, "CI time"):
# - SQLite: every test but the browser's and those that start other processes; the tests that touch
#   no database run here only;
# - PostgreSQL: the tests that touch the database, browser tests excluded;
# - SQLite again: the browser tests and the tests marked `processes` (a server, a worker or an
#   interpreter started and waited for). They mostly wait — for Chromium, a timer, a server to start
#   — so beside the other two they cost little, where queued behind the SQLite tests they added
#   their whole waiting time to the run.
# The migrations check, ruff and mypy need no database and run alongside as well.
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

# JIXIAO_TEST_RUN lets the runs share the work (conftest.py): tests that touch no database run on
# SQLite only, and the access matrix's request cases are split between the two databases.
# Each run gets its own media and temporary directories: runs create evaluations with the same ids,
# and evidence is stored under the evaluation's id.
WAITING="browser or processes"
lane() {  # name, then env's arguments: the environment, pytest and its arguments
  local name=$1
  shift
  exec env "$@" --basetemp="$WORK/tmp-$name" >"$WORK/$name.log" 2>&1
}

echo "== tests on SQLite (browser and process tests in a lane of their own)"
lane sqlite -u DATABASE_URL JIXIAO_TEST_RUN=sqlite JIXIAO_MEDIA_ROOT="$WORK/media-sqlite" \
  $BIN/pytest -q -p no:cacheprovider -m "not ($WAITING)" &
SQLITE_PID=$!
echo "== browser and process tests on SQLite, alongside"
lane waiting -u DATABASE_URL JIXIAO_TEST_RUN=sqlite JIXIAO_MEDIA_ROOT="$WORK/media-waiting" \
  $BIN/pytest -q -p no:cacheprovider -m "$WAITING" &
WAITING_PID=$!

PG_PID=""
if pg_up; then
  echo "== tests on PostgreSQL ($PG_URL, browser tests excluded), alongside"
  lane pg DATABASE_URL="$PG_URL" JIXIAO_TEST_RUN=postgresql JIXIAO_MEDIA_ROOT="$WORK/media-pg" \
    $BIN/pytest -q -p no:cacheprovider -m "not browser" &
  PG_PID=$!
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432 and CI requires it" >&2
  kill "$SQLITE_PID" "$WAITING_PID" 2>/dev/null || true
  exit 1
else
  echo "== PostgreSQL not reachable on 127.0.0.1:5432: skipped the PostgreSQL run"
fi

echo "== migrations, lint and types, alongside"
(
  set -e
  $BIN/python manage.py makemigrations --check --dry-run >/dev/null
  $BIN/ruff check .
  $BIN/ruff format --check .
  $BIN/mypy scoring jixiao config
) >"$WORK/lint.log" 2>&1 &
LINT_PID=$!

status=0
wait "$SQLITE_PID" || status=1
echo "== SQLite run:"
cat "$WORK/sqlite.log"
wait "$WAITING_PID" || status=1
echo "== browser and process tests (SQLite):"
cat "$WORK/waiting.log"
if [ -n "$PG_PID" ]; then
  wait "$PG_PID" || status=1
  echo "== PostgreSQL run:"
  cat "$WORK/pg.log"
fi
lint=0
wait "$LINT_PID" || lint=1
echo "== migrations, lint and types:"
cat "$WORK/lint.log"
[ "$status" = 0 ] || { echo "tests failed (see above)" >&2; exit 1; }
[ "$lint" = 0 ] || { echo "migrations check, lint or types failed (see above)" >&2; exit 1; }
