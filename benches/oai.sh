#!/usr/bin/env bash
# OAI-PMH harvest benchmark: a generated catalogue of N published items in SQLite (the
# search benchmark's generator), then a full harvest as a harvester makes it — ListRecords
# in oai_dc, 100 records a page, following resumption tokens to the end — timed, and the
# same list of headers (ListIdentifiers, 500 a page) for reference.
#
# Usage: benches/oai.sh [N] [BINARY]   (default 10000 and target/release/edubase, built
#        here if it is missing; BINARY lets two builds be compared on one catalogue)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
target=${CARGO_TARGET_DIR:-target}
bin=${2:-$target/release/edubase}
[ -x "$bin" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=""

python3 benches/search_catalogue.py "$work/catalogue" "$n" >/dev/null
"$bin" --data "$work/data" import "$work/catalogue" >/dev/null
port=$((20000 + RANDOM % 20000))
"$bin" serve --data "$work/data" --exhibits none --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

harvest() {
  local verb=$1 pages=0 records=0 url start end token
  url="http://127.0.0.1:$port/oai?verb=$verb&metadataPrefix=oai_dc"
  start=$(date +%s.%N)
  while :; do
    curl -fsS "$url" >"$work/page.xml"
    pages=$((pages + 1))
    records=$((records + $(grep -o "<header>" "$work/page.xml" | wc -l)))
    token=$(grep -o '<resumptionToken[^>]*>[^<]*</resumptionToken>' "$work/page.xml" | sed 's/<[^>]*>//g' || true)
    [ -n "$token" ] || break
    url="http://127.0.0.1:$port/oai?verb=$verb&resumptionToken=$token"
  done
  end=$(date +%s.%N)
  awk -v v="$verb" -v p="$pages" -v r="$records" -v s="$start" -v e="$end" \
    'BEGIN { t = e - s; printf "%s: %d records in %d pages, %.2f s (%.1f ms a page, %.0f records/s)\n", v, r, p, t, 1000 * t / p, r / t }'
}
harvest ListIdentifiers
harvest ListRecords
harvest ListRecords
