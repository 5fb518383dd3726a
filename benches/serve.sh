#!/usr/bin/env bash
# Serving benchmark: edubase against nginx on the same machine, same files, one run.
#   1. a cached ~30 KB image derivative, `wrk -t2 -c64`;
#   2. `Range: bytes=0-65535` of a 5 MB original.
# Prints requests/s of each, their ratio, and the CPU time each server used per request.
# Every answer is checked to be the file: a run with any error answer stops the script.
# Needs: Debian's nginx and wrk (apt-get install nginx wrk), python3, a release build
# (the script builds it). Usage: benches/serve.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
work=$(mktemp -d)
cleanup() {
  [ -n "${edu_pid:-}" ] && kill "$edu_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/edubase

# A catalogue with the samples plus one 5 MB recording.
cp -r exhibits "$work/catalogue"
mkdir -p "$work/catalogue/items/bench-recording"
python3 - "$work/catalogue/items/bench-recording/recording.wav" <<'PY'
import struct, sys, random
rate, secs = 8000, 330
data = bytes(random.Random(7).getrandbits(8) for _ in range(rate * secs * 2))
with open(sys.argv[1], "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16))
    f.write(b"data" + struct.pack("<I", len(data)) + data)
PY
cat > "$work/catalogue/items/bench-recording/item.toml" <<'TOML'
accession = "BENCH-1"
category = "quyi"
base = "banner-heritage-hall"
rights = "https://creativecommons.org/publicdomain/zero/1.0/"
[title]
zh = "基准测试录音"
[[media]]
file = "recording.wav"
credit = "benchmark"
rights = "https://creativecommons.org/publicdomain/zero/1.0/"
TOML

port_edu=18081 port_ngx=18082
EDUBASE_LOG=warn "$bin" serve --data "$work/data" --exhibits "$work/catalogue" --bind "127.0.0.1:$port_edu" >"$work/edubase.log" 2>&1 &
edu_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port_edu/readyz" >/dev/null && break; sleep 0.1; done
# Let the background jobs (derivatives of the sample photos) finish first.
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$port_edu/metrics" | grep -q '^edubase_jobs_queued 0$' && break; sleep 0.2
done

# Pick the derivative closest to 30 KB among the sample photos.
best="" best_diff=999999999
for sha in $(curl -fs "http://127.0.0.1:$port_edu/api/v1/items?limit=100&media=image" | python3 -c 'import json,sys; print(" ".join(i["cover"]["sha256"] for i in json.load(sys.stdin)["data"]))'); do
  for v in w400.jpg w800.jpg; do
    size=$(curl -fs "http://127.0.0.1:$port_edu/media/$sha/$v" | wc -c)
    diff=$(( size > 30000 ? size - 30000 : 30000 - size ))
    if [ "$diff" -lt "$best_diff" ]; then best="$sha/$v" best_diff=$diff best_size=$size; fi
  done
done
big_sha=$(curl -fs "http://127.0.0.1:$port_edu/api/v1/items/bench-recording" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["media"][0]["sha256"])' || true)
if [ -z "$big_sha" ]; then
  # The item is not a sample slug; find it by listing.
  big_sha=$(curl -fs "http://127.0.0.1:$port_edu/api/v1/items?limit=100&media=audio" | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(d[0]["slug"])' | xargs -I{} curl -fs "http://127.0.0.1:$port_edu/api/v1/items/{}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["media"][0]["sha256"])')
fi

# The same files for nginx.
mkdir -p "$work/www/media/${best%/*}" "$work/www/media/$big_sha" "$work/nginx-tmp"
curl -fs "http://127.0.0.1:$port_edu/media/$best" -o "$work/www/media/$best"
curl -fs "http://127.0.0.1:$port_edu/media/$big_sha/original" -o "$work/www/media/$big_sha/original"
cat > "$work/nginx.conf" <<NGX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  open_file_cache max=1000;
  client_body_temp_path $work/nginx-tmp; proxy_temp_path $work/nginx-tmp; fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp; scgi_temp_path $work/nginx-tmp;
  types { image/jpeg jpg; }
  default_type application/octet-stream;
  server { listen 127.0.0.1:$port_ngx; root $work/www; }
}
NGX
# nginx's workers run as an unprivileged user: they must be able to read the files (without
# this they answer 403, and the benchmark would compare against error pages).
chmod 755 "$work" "$work/www" "$work/www/media" "$work/www/media/"*
chmod 644 "$work/www/media/"*/*
nginx -c "$work/nginx.conf"
sleep 0.5
for url in "http://127.0.0.1:$port_ngx/media/$best" "http://127.0.0.1:$port_edu/media/$best"; do
  [ "$(curl -s "$url" | wc -c)" = "$best_size" ] || { echo "$url does not answer the file" >&2; exit 1; }
done

# CPU ticks (user + system) used so far by the processes whose ids are given.
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
hz=$(getconf CLK_TCK)
rps() { # url [header]; prints requests/s and the server's CPU microseconds per request
  local out pids before after
  case "$1" in *":$port_edu/"*) pids=$edu_pid ;; *) pids="$(cat "$work/nginx.pid") $(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')" ;; esac
  before=$(ticks $pids)
  if [ -n "${2:-}" ]; then out=$(wrk -t2 -c64 -d"${secs}s" -H "$2" "$1"); else out=$(wrk -t2 -c64 -d"${secs}s" "$1"); fi
  after=$(ticks $pids)
  [ -n "${VERBOSE:-}" ] && echo "$out" >&2
  # Every answer must be the file (or the range): a server answering errors is not measured.
  if echo "$out" | grep -q 'Non-2xx'; then echo "$1: $(echo "$out" | grep 'Non-2xx')" >&2; exit 1; fi
  echo "$out" | awk -v cpu=$((after - before)) -v hz="$hz" '/Requests\/sec/ {print $2} /requests in/ {n=$1} END {printf "%.1f\n", cpu / hz * 1e6 / n}' | paste -sd' '
}
echo "derivative: $best ($best_size bytes); range file: $big_sha ($(stat -c %s "$work/www/media/$big_sha/original") bytes)"
printf '%-30s %10s %10s %6s   %s\n' case 'edubase/s' 'nginx/s' ratio 'server CPU us/request (edubase, nginx)'
for case in small range; do
  if [ $case = small ]; then
    read -r e ecpu < <(rps "http://127.0.0.1:$port_edu/media/$best")
    read -r n ncpu < <(rps "http://127.0.0.1:$port_ngx/media/$best")
    label="cached ${best_size} B derivative"
  else
    read -r e ecpu < <(rps "http://127.0.0.1:$port_edu/media/$big_sha/original" "Range: bytes=0-65535")
    read -r n ncpu < <(rps "http://127.0.0.1:$port_ngx/media/$big_sha/original" "Range: bytes=0-65535")
    label="Range 0-65535 of 5 MB"
  fi
  [ -n "$e" ] && [ -n "$n" ] || { echo "a run failed" >&2; exit 1; }
  printf '%-30s %10s %10s %6s   %s, %s\n' "$label" "$e" "$n" "$(python3 -c "print(f'{$e/$n:.2f}')")" "$ecpu" "$ncpu"
done
