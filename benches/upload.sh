#!/usr/bin/env bash
# Upload benchmark: a 1 GB file through the resumable (tus) endpoint, against `cp` of the
# same file on the same disk; and the server's peak memory above idle while it happens.
# Needs curl and python3 (benches/tus_send.py); builds the release binary.
# Runs alternate upload and cp (the disk's speed varies from minute to minute) and the
# medians are compared. Usage: benches/upload.sh [size in MB] [runs, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-1024}
runs=${2:-5}
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/edubase-upload-XXXX")
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

cargo build --release --quiet --bin edubase
bin=${CARGO_TARGET_DIR:-target}/release/edubase
port=18083

# A WAV recording of the requested size (random samples, so nothing compresses).
python3 - "$work/recording.wav" "$mb" <<'PY'
import os, struct, sys
path, mb = sys.argv[1], int(sys.argv[2])
data = mb * 1024 * 1024 - 44
with open(path, "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 36 + data) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 2, 48000, 192000, 4, 16))
    f.write(b"data" + struct.pack("<I", data))
    block = os.urandom(1 << 20)
    left = data
    while left:
        n = min(left, len(block)); f.write(block[:n]); left -= n
PY
size=$(stat -c %s "$work/recording.wav")
sync

EDUBASE_LOG=warn "$bin" serve --data "$work/data" --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/metrics" | grep -q '^edubase_jobs_queued 0$' && break; sleep 0.2; done
printf 'bench-password-2026\n' | "$bin" --data "$work/data" user add --username uploader --role curator --base banner-heritage-hall --password-stdin >/dev/null
cookie=$(curl -s -o /dev/null -D - -d "username=uploader&password=bench-password-2026" "http://127.0.0.1:$port/admin/login" | awk -F'[ ;]' 'tolower($1)=="set-cookie:" {print $2}')
csrf=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/admin" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
idle_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

meta="item $(printf urliger | base64),filename $(printf recording.wav | base64)"
ups=() cps=()
for run in $(seq 1 "$runs"); do
  # Each run's file differs in its first samples, so nothing is deduplicated.
  python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(44); f.write(sys.argv[2].encode().ljust(16, b"-")); f.close()' "$work/recording.wav" "run-$run"
  sync
  location=$(curl -s -D - -o /dev/null -X POST -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H "Tus-Resumable: 1.0.0" \
    -H "Upload-Length: $size" -H "Upload-Metadata: $meta" "http://127.0.0.1:$port/api/v1/uploads" | awk 'tolower($1)=="location:" {print $2}' | tr -d '\r')
  # The client sends with sendfile(2), so that what is measured is the server, not the client.
  read -r upload_s status < <(python3 benches/tus_send.py 127.0.0.1 "$port" "$location" "$cookie" "$csrf" "$work/recording.wav")
  case "$status" in "HTTP/1.1 204"*) ;; *) echo "upload failed: $status" >&2; exit 1 ;; esac
  stored=$(curl -s "http://127.0.0.1:$port/api/v1/items/urliger" | python3 -c 'import json,sys; m=json.load(sys.stdin)["media"]; print(m[-1]["sha256"] if m else "none")')
  expected=$(sha256sum "$work/recording.wav" | cut -d' ' -f1)
  [ "$stored" = "$expected" ] || { echo "stored $stored, expected $expected" >&2; exit 1; }
  sync
  # cp of the same file on the same disk, made durable like the upload (fsync at the end).
  cp_s=$(python3 - "$work/recording.wav" "$work/copy.wav" <<'PY'
import os, shutil, sys, time
t = time.monotonic()
shutil.copyfile(sys.argv[1], sys.argv[2])
fd = os.open(sys.argv[2], os.O_RDONLY); os.fsync(fd); os.close(fd)
print(f"{time.monotonic() - t:.3f}")
PY
)
  rm -f "$work/copy.wav"
  ups+=("$upload_s") cps+=("$cp_s")
  echo "run $run: upload $upload_s s, cp + fsync $cp_s s"
done
peak_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
python3 - "$size" "${ups[*]}" "${cps[*]}" "$idle_kb" "$peak_kb" <<'PY'
import statistics, sys
size, idle, peak = int(sys.argv[1]), int(sys.argv[4]), int(sys.argv[5])
up = statistics.median(float(x) for x in sys.argv[2].split())
cp = statistics.median(float(x) for x in sys.argv[3].split())
mb = size / 2**20
print(f"file: {mb:.0f} MB, sha256 verified each run")
print(f"median tus upload: {up:.2f} s ({mb/up:.0f} MB/s); median cp + fsync: {cp:.2f} s ({mb/cp:.0f} MB/s); throughput ratio {cp/up:.2f}")
print(f"server RSS: idle {idle/1024:.1f} MB, peak {peak/1024:.1f} MB, peak above idle {(peak-idle)/1024:.1f} MB")
PY
