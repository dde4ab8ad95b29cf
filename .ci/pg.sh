#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL server on loopback for the test suite.
#   source .ci/pg.sh start   → exports STREETLEDGER_TEST_PG
#   .ci/pg.sh stop DIR
set -euo pipefail
pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [[ -x $d/initdb ]] && { echo "$d"; return; }; done
  command -v initdb >/dev/null && dirname "$(command -v initdb)" && return
  echo "no PostgreSQL server binaries found" >&2; return 1
}
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case ${1:-} in
  start)
    bin=$(pg_bin)
    dir=$(mktemp -d /tmp/streetledger-pg.XXXXXX)
    [[ $(id -u) == 0 ]] && chown postgres:postgres "$dir"
    port=${PGPORT_TEST:-$(( 20000 + RANDOM % 20000 ))}
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
    echo "$dir" > /tmp/streetledger-pg.last
    export STREETLEDGER_TEST_PG="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    export STREETLEDGER_TEST_PG_DIR="$dir"
    echo "PostgreSQL on 127.0.0.1:$port ($dir)" >&2
    ;;
  stop)
    dir=${2:-$(cat /tmp/streetledger-pg.last 2>/dev/null || true)}
    [[ -n $dir && -d $dir/data ]] || exit 0
    bin=$(pg_bin)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *) echo "usage: pg.sh start|stop [DIR]" >&2; exit 2;;
esac
