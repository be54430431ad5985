#!/usr/bin/env bash
# `make serve`: the production stack on this machine — gunicorn, a Celery worker and Celery beat —
# against PostgreSQL and Redis on 127.0.0.1, with DEBUG off and static files collected.
# Ctrl-C (or SIGTERM) stops every child; if one child dies the others are stopped too.
#
# Environment (all optional here; docs/deploy.md lists every variable):
#   PORT                  gunicorn's port on 127.0.0.1 (8000)
#   DATABASE_URL          postgres://postgres@127.0.0.1:5432/jixiao (created if missing)
#   CELERY_BROKER_URL     redis://127.0.0.1:6379/0
#   DJANGO_SECRET_KEY     generated once into .serve-secret-key (git-ignored) when unset
#   DJANGO_ALLOWED_HOSTS  127.0.0.1,localhost
#   WEB_CONCURRENCY       gunicorn workers (one per core);  WEB_THREADS  threads each (4)
#   GUNICORN_TIMEOUT      gunicorn's worker timeout in seconds (60); config/gunicorn.conf.py
#   CELERY_CONCURRENCY    Celery worker processes (2)
#   SERVE_STATE           where beat's schedule, the logs and the pid files go (.serve/)
#   SERVE_NO_BEAT=1       start no beat (a second `make serve` against the same Redis)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8000}
STATE=${SERVE_STATE:-.serve}
mkdir -p "$STATE"

export DJANGO_DEBUG=false
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/jixiao}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
export JIXIAO_MANIFEST_STATIC=${JIXIAO_MANIFEST_STATIC:-true}
export JIXIAO_SITE_URL=${JIXIAO_SITE_URL:-http://127.0.0.1:$PORT}
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  if [ ! -s .serve-secret-key ]; then
    (umask 077; "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(64))' >.serve-secret-key)
  fi
  DJANGO_SECRET_KEY=$(cat .serve-secret-key)
  export DJANGO_SECRET_KEY
fi

# The database, if PostgreSQL answers but it does not exist yet.
"$BIN/python" - <<'PY'
import os, urllib.parse, psycopg
url = urllib.parse.urlparse(os.environ["DATABASE_URL"])
if url.scheme.startswith("postgres"):
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as pg:
        if not pg.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            pg.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
PY
"$BIN/python" manage.py migrate --noinput -v0
"$BIN/python" manage.py collectstatic --noinput -v0
"$BIN/python" manage.py check --deploy --fail-level ERROR -v0 >/dev/null

PIDS=()
stop_children() {
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_children EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Worker class, workers, threads, timeouts and recycling: config/gunicorn.conf.py (the reasons).
"$BIN/gunicorn" config.wsgi:application \
  -c config/gunicorn.conf.py \
  --bind "127.0.0.1:$PORT" \
  --access-logfile - \
  --control-socket "$STATE/gunicorn.ctl" \
  --pid "$STATE/gunicorn.pid" &
PIDS+=($!)
"$BIN/celery" -A config worker -l INFO -c "${CELERY_CONCURRENCY:-2}" -n "jixiao-$PORT@%h" \
  --without-mingle --without-gossip &
PIDS+=($!)
if [ -z "${SERVE_NO_BEAT:-}" ]; then
  "$BIN/celery" -A config beat -l INFO -s "$STATE/celerybeat-schedule" --pidfile= &
  PIDS+=($!)
fi
echo "jixiao is serving on http://127.0.0.1:$PORT/ (DEBUG off; Ctrl-C stops everything)"
# Exit (and stop the rest) as soon as any child exits.
wait -n
