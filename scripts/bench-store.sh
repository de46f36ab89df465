#!/usr/bin/env bash
# The event store benchmark: ingest synthetic coded articles (four events each) into SQLite
# and PostgreSQL, then time a weekly count by country over all events, and measure the size.
#
#   scripts/bench-store.sh [SQLITE_ARTICLES] [PG_ARTICLES]
#
# Defaults: 2,500,000 articles (10 million events) for SQLite, 250,000 (1 million events) for
# PostgreSQL. Prints one JSON line per backend. Data goes to bench-data/store/ (removed at
# the end unless KEEP=1). PostgreSQL runs in a throwaway cluster (initdb + pg_ctl, as the
# postgres user when run as root) with default settings.
set -euo pipefail
cd "$(dirname "$0")/.."
SQLITE_N=${1:-2500000}
PG_N=${2:-250000}
DIR=$PWD/bench-data/store
mkdir -p "$DIR"
cargo build --release -q -p dyad-store --example bench-store
BIN=${CARGO_TARGET_DIR:-target}/release/examples/bench-store

rm -f "$DIR"/bench.db*
"$BIN" "$DIR/bench.db" "$SQLITE_N"

bindir=$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")
PGDIR=$(mktemp -d /tmp/dyad-bench-pg.XXXXXX)
asuser=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$PGDIR"
  asuser=(runuser -u postgres --)
fi
"${asuser[@]}" "$bindir/initdb" -D "$PGDIR/data" -A trust -U dyad -E UTF8 >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${asuser[@]}" "$bindir/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1" start >/dev/null
trap '"${asuser[@]}" "$bindir/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null; rm -rf "$PGDIR"' EXIT
URL="postgres://dyad@127.0.0.1:$PORT/postgres"
"$BIN" "$URL" "$PG_N"
echo "postgresql database size: $(psql "$URL" -Atc 'select pg_database_size(current_database())') bytes"
[ "${KEEP:-0}" = 1 ] || rm -f "$DIR"/bench.db*
