#!/usr/bin/env bash
# Latency of `dyad serve` under load: p50/p99 at a fixed request rate (open loop, so queueing
# shows) on /api/counts and /api/events over a store of about one million events.
#
#   scripts/bench-serve.sh [ARTICLES] [RATE] [SECONDS]
#
# ARTICLES synthetic articles (four events each, about one in ten merged; 280000 gives about
# a million events) go into bench-data/serve-1m.db through the store's bench workload, unless
# that file is already there. Then the server runs twice: as it ships (answers reused while
# the store is unchanged), and with --no-cache (every request a store query), each under
# RATE requests/s for SECONDS seconds per workload. One JSON line per run.
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-280000}
rate=${2:-500}
seconds=${3:-30}
db=bench-data/serve-1m.db
port=18181
mkdir -p bench-data
cargo build --release -q -p dyad -p dyad-store --example bench-store
cargo build --release -q -p dyad-server --example loadgen
target=${CARGO_TARGET_DIR:-target}/release
if [ ! -e "$db" ]; then
    "$target/examples/bench-store" "$db" "$articles" >&2
fi

run() { # name, serve flags...
    local name=$1; shift
    "$target/dyad" serve --db "$db" --addr "127.0.0.1:$port" "$@" 2>/dev/null &
    local pid=$!
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break
        sleep 0.1
    done
    local base="http://127.0.0.1:$port"
    local counts='/api/counts?group_by=week,country'
    local events='/api/events?limit=100'
    # What a dashboard asks: the weekly series, and events of one place and time.
    local mixed_counts=() mixed_events=()
    for c in IRQ SYR UKR NGA SDN YEM MLI COL; do
        mixed_counts+=("/api/counts?group_by=week&country=$c")
        mixed_events+=("/api/events?limit=100&country=$c&date_from=2023-01-01&date_to=2023-03-31")
    done
    curl -sf "$base$counts" >/dev/null
    curl -sf "$base$events" >/dev/null
    for w in counts events; do
        local paths
        if [ $w = counts ]; then paths=("$counts" "${mixed_counts[@]}"); else paths=("$events" "${mixed_events[@]}"); fi
        printf '{"server":"%s","workload":"%s",' "$name" "$w"
        "$target/examples/loadgen" "$base" --rate "$rate" --seconds "$seconds" "${paths[@]}" | cut -c2-
    done
    kill $pid
    wait $pid 2>/dev/null || true
}
run cached
run no-cache --no-cache
