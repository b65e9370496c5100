#!/usr/bin/env bash
# Starts the services the scale-out tests need, by hand and only on 127.0.0.1: Redis and PostgreSQL 15 (Debian
# packages), each on a fixed port with its data under /tmp. Idempotent: a service already answering is left alone.
# On success it prints, on stdout and nothing else, the lines to eval:
#   export PENHOLDER_TEST_REDIS=127.0.0.1:<port>
#   export PENHOLDER_TEST_POSTGRES=postgres://postgres@127.0.0.1:<port>/penholder_test
# `start-services.sh --stop` stops both (only the instances this script started, found by their data folder).
# Ports and folder can be moved with PENHOLDER_REDIS_PORT, PENHOLDER_POSTGRES_PORT and PENHOLDER_SERVICES_DIR.
set -euo pipefail

REDIS_PORT=${PENHOLDER_REDIS_PORT:-6390}
PG_PORT=${PENHOLDER_POSTGRES_PORT:-5439}
DIR=${PENHOLDER_SERVICES_DIR:-/tmp/penholder-services}
PG_BIN=${PENHOLDER_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
DATABASE=penholder_test

log() { echo "start-services: $*" >&2; }
fail() { echo "start-services: $*" >&2; exit 1; }

# PostgreSQL refuses to run as root, so as root every PostgreSQL program runs as the `postgres` user.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
postgres_up() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" >/dev/null 2>&1; }

mkdir -p "$DIR"
if [ "$(id -u)" -eq 0 ]; then chmod 755 "$DIR"; fi

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$DIR/redis.pid" ] && kill -0 "$(cat "$DIR/redis.pid")" 2>/dev/null; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$DIR/redis.pid")"
    log "Redis stopped"
  fi
  if [ -f "$DIR/pg/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" stop -D "$DIR/pg" -m fast -w >/dev/null && log "PostgreSQL stopped"
  fi
  exit 0
fi

# Two test files may start at the same moment: one of them starts the services, the other waits and finds them up.
# The daemons are started with fd 9 closed, or they would hold the lock for as long as they run.
exec 9>"$DIR/start.lock"
flock -w 120 9 || fail "another start-services.sh has held $DIR/start.lock for 2 minutes"

# --- Redis: no persistence (the store is PostgreSQL; Redis only carries messages and locks).
if redis_up; then
  log "Redis already answers on 127.0.0.1:$REDIS_PORT"
else
  command -v redis-server >/dev/null || fail "redis-server is not installed (Debian package redis-server)"
  mkdir -p "$DIR/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$DIR/redis" --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" >/dev/null 9>&-
  for _ in $(seq 1 100); do redis_up && break; sleep 0.1; done
  redis_up || fail "Redis did not start on 127.0.0.1:$REDIS_PORT; see $DIR/redis.log"
  log "Redis started on 127.0.0.1:$REDIS_PORT"
fi

# --- PostgreSQL 15: a private cluster, trust authentication on 127.0.0.1 only.
if postgres_up; then
  log "PostgreSQL already answers on 127.0.0.1:$PG_PORT"
else
  [ -x "$PG_BIN/initdb" ] || fail "PostgreSQL 15 is not installed at $PG_BIN (Debian package postgresql)"
  mkdir -p "$DIR/pg"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$DIR/pg"; fi
  chmod 700 "$DIR/pg"
  if [ ! -f "$DIR/pg/PG_VERSION" ]; then
    as_postgres "$PG_BIN/initdb" -D "$DIR/pg" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=trust >"$DIR/initdb.log" 2>&1 || fail "initdb failed; see $DIR/initdb.log"
  fi
  # A stale postmaster.pid from a killed server would make pg_ctl refuse to start; it is stale since nothing answers.
  if [ -f "$DIR/pg/postmaster.pid" ] && ! kill -0 "$(head -1 "$DIR/pg/postmaster.pid")" 2>/dev/null; then
    rm -f "$DIR/pg/postmaster.pid"
  fi
  touch "$DIR/postgres.log"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$DIR/postgres.log"; fi
  as_postgres "$PG_BIN/pg_ctl" start -D "$DIR/pg" -l "$DIR/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200" >/dev/null 9>&- \
    || fail "PostgreSQL did not start on 127.0.0.1:$PG_PORT; see $DIR/postgres.log"
  log "PostgreSQL started on 127.0.0.1:$PG_PORT"
fi

exists=$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'") || fail "cannot query PostgreSQL on 127.0.0.1:$PG_PORT"
if [ "$exists" != "1" ]; then
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$DATABASE" || fail "cannot create database $DATABASE"
  log "database $DATABASE created"
fi

echo "export PENHOLDER_TEST_REDIS=127.0.0.1:$REDIS_PORT"
echo "export PENHOLDER_TEST_POSTGRES=postgres://postgres@127.0.0.1:$PG_PORT/$DATABASE"
