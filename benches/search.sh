#!/usr/bin/env bash
# Search benchmark (issue 6): a generated 100,000-item catalogue in SQLite; the time to
# import it and to rebuild the whole index, both as `edubase reindex` does after an
# upgrade (every document analysed again, only changed ones written: here none) and with
# `--rewrite` (every document written again: the worst case, as after an analyzer change
# that touches everything); then 1,000 mixed queries over HTTP through the search and
# through a LIKE '%…%' scan of the same database.
#
# Usage: benches/search.sh [N]   (default 100000; needs python3 and a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet
bin="$target/release/edubase"
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=""

python3 benches/search_catalogue.py "$work/catalogue" "$n"
echo "== import $n items"
/usr/bin/time -f "import: %e s, %M KB max RSS" "$bin" --data "$work/data" import "$work/catalogue" >/dev/null
echo "== full reindex (documents unchanged)"
/usr/bin/time -f "reindex: %e s, %M KB max RSS" "$bin" --data "$work/data" reindex >/dev/null
echo "== full reindex, every document rewritten"
/usr/bin/time -f "reindex --rewrite: %e s, %M KB max RSS" "$bin" --data "$work/data" reindex --rewrite >/dev/null
port=$((20000 + RANDOM % 20000))
"$bin" serve --data "$work/data" --exhibits none --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
echo "== 1,000 mixed queries over HTTP"
python3 benches/search_queries.py "127.0.0.1:$port"
