#!/bin/sh
# Start a throw-away PostgreSQL server for the tests (Debian's `postgresql` package) and print its URL.
#
#   export RECEPTION_TEST_PG_URL=$(sh tools/start-test-postgres.sh)
#
# The cluster lives in a temporary folder owned by the `postgres` user (the server refuses to run as
# root), listens on 127.0.0.1 only, and trusts local connections: it holds nothing but test databases.
set -eu
PORT="${RECEPTION_TEST_PG_PORT:-54329}"
DIR="${RECEPTION_TEST_PG_DIR:-/tmp/reception-test-pg}"
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$BIN" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
if ! as_postgres "$BIN/pg_ctl -D $DIR status" >/dev/null 2>&1; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  as_postgres "$BIN/initdb -D $DIR -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
  as_postgres "$BIN/pg_ctl -D $DIR -l $DIR/server.log -o \"-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" -w start" >/dev/null
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
