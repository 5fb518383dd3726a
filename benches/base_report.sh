#!/usr/bin/env bash
# Base report benchmark: a migrated SQLite database filled by benches/base_report.py (20
# bases, 100,000 items, a year of 2,000 item views a day, each day its own row), then the
# administrator's /admin/report/bases timed over HTTP.
#
# Usage: benches/base_report.sh [BASES] [ITEMS] [VIEWS] [BINARY]   (default 20, 100000,
#        2000 and target/release/edubase, built here if it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
bases=${1:-20}
items=${2:-100000}
views=${3:-2000}
target=${CARGO_TARGET_DIR:-target}
bin=${4:-$target/release/edubase}
[ -x "$bin" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=""
mkdir -p "$work/data"
"$bin" --data "$work/data" migrate >/dev/null
python3 benches/base_report.py fill "$work/data/edubase.sqlite" "$bases" "$items" "$views"
printf 'bench-admin-2026\n' | "$bin" --data "$work/data" user add --username bench.admin \
  --role admin --password-stdin >/dev/null
port=$((20000 + RANDOM % 20000))
"$bin" serve --data "$work/data" --exhibits none --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
python3 benches/base_report.py time "http://127.0.0.1:$port" bench.admin bench-admin-2026 2025
