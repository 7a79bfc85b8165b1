#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a unix socket in a temporary directory and prints its DATABASE_URL.
# Usage: eval "$(scripts/pg-throwaway.sh start)"; …; scripts/pg-throwaway.sh stop "$PGTHROWAWAY_DIR"
set -euo pipefail
bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  echo "$d"
}
run_as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
  start)
    BIN=$(bindir)
    DIR=$(mktemp -d /tmp/rapport-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    run_as_postgres "$BIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync >"$DIR/initdb.log" 2>&1
    run_as_postgres "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
      -o "-c listen_addresses='' -c unix_socket_directories='$DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
    echo "export PGTHROWAWAY_DIR='$DIR'"
    echo "export DATABASE_URL='postgres://postgres@localhost/postgres?host=$DIR'"
    ;;
  stop)
    BIN=$(bindir)
    DIR=${2:?directory}
    run_as_postgres "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
