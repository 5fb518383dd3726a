#!/usr/bin/env bash
# Classroom benchmark: starts a server with the sample exhibits, makes a teacher, and runs
# benches/classroom.py (a class of N students with essays of about L characters, and
# CLASSES - 1 more such classes of the same teacher on the same walk; the first class's
# dashboard and an essay's page timed).
#
# Usage: benches/classroom.sh [N] [L] [CLASSES] [BINARY]   (default 45, 1500, 1 and
#        target/release/edubase, built here if it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-45}
length=${2:-1500}
target=${CARGO_TARGET_DIR:-target}
classes=${3:-1}
bin=${4:-$target/release/edubase}
[ -x "$bin" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=""
port=$((20000 + RANDOM % 20000))
"$bin" serve --data "$work/data" --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
printf 'bench-teacher-2026\n' | "$bin" --data "$work/data" user add --username bench.teacher \
  --role teacher --password-stdin >/dev/null
python3 benches/classroom.py "http://127.0.0.1:$port" bench.teacher bench-teacher-2026 "$n" "$length" "$classes"
