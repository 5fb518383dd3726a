#!/usr/bin/env bash
# benches/iiif.sh [TILES]: time to produce a random 512 px IIIF tile of a 96 MP JPEG
# (12000×8000) through HTTP on a release build, at scale factors 1, 4 and 16 — cold (a
# server whose IIIF caches are switched off: every tile is decoded from the file) and
# cached (the same tile asked again of a server with the default caches) — against
# `vips crop` + `vips resize` of the same region (libvips, the engine of IIPImage-style
# servers, run as two commands). For each scale: the median wall time of TILES random
# tiles (default 7), and the ratio ours / libvips.
#
# Needs: cargo, python3, curl, libvips-tools (`apt-get install libvips-tools`). The photo
# is made by benches/make_photo.sh and kept in $BENCH_DIR (default
# $CARGO_TARGET_DIR/iiif-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
tiles=${1:-7}

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "benches/iiif.sh needs $1 ($2)" >&2; exit 1; }
}
need cargo "the Rust toolchain"
need python3 "apt-get install python3"
need curl "apt-get install curl"
need vips "apt-get install libvips-tools"

target=${CARGO_TARGET_DIR:-target}
work=${BENCH_DIR:-$target/iiif-bench}
mkdir -p "$work"
work=$(cd "$work" && pwd)
photo="$work/photo96.jpg"
if [ ! -s "$photo" ]; then
  echo "making photo96.jpg (12000×8000)…"
  benches/make_photo.sh 12000 8000 "$photo"
fi
sha=$(sha256sum "$photo" | cut -d' ' -f1)

echo "building the release binary once…"
cargo build --release --quiet --bin edubase
bin="$target/release/edubase"

# One catalogue item holding the photo, imported like any other.
catalogue="$work/catalogue"
mkdir -p "$catalogue/items/iiif-bench-photo"
# A hard link where possible (the importer takes regular files only), else a copy.
ln -f "$photo" "$catalogue/items/iiif-bench-photo/photo96.jpg" 2>/dev/null \
  || cp "$photo" "$catalogue/items/iiif-bench-photo/photo96.jpg"
cat >"$catalogue/items/iiif-bench-photo/item.toml" <<'TOML'
accession = "BENCH-IIIF-96MP"
category = "traditional_art"
base = "banner-heritage-hall"
rights = "https://creativecommons.org/publicdomain/zero/1.0/"
[title]
zh = "基准测试照片"
[[media]]
file = "photo96.jpg"
credit = "benches/make_photo.sh"
rights = "https://creativecommons.org/publicdomain/zero/1.0/"
[media.alt]
zh = "合成的基准测试照片"
TOML

pids=()
data_dirs=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  for d in "${data_dirs[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT

# start CACHE_MB: a server on a fresh data folder with the photo; sets $url. (Not run in
# a subshell, so that cleanup knows its process.)
start() {
  local data port
  data=$(mktemp -d)
  data_dirs+=("$data")
  port=$((20000 + RANDOM % 20000))
  printf '[iiif]\ncache_mb = %s\n' "$1" >"$data/edubase.toml"
  "$bin" serve --config "$data/edubase.toml" --data "$data" --bind "127.0.0.1:$port" \
    >"$data/server.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  "$bin" --config "$data/edubase.toml" --data "$data" import "$catalogue" >/dev/null || { cat "$data/server.log" >&2; exit 1; }
  # Let the background derivatives of the photo finish before timing anything.
  for v in w400.jpg w400.webp w800.jpg w800.webp w1600.jpg w1600.webp; do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/media/$sha/$v"
  done
  sleep 2
  url="http://127.0.0.1:$port"
}

echo "starting two release servers (IIIF caches off, and the default 256 MB)…"
start 0
cold=$url
start 256
warm=$url

python3 - "$tiles" "$cold" "$warm" "$sha" "$photo" "$work" <<'PY'
import random, statistics, subprocess, sys, time, urllib.request

tiles, cold, warm, sha, photo, work = int(sys.argv[1]), *sys.argv[2:]
W, H, T = 12000, 8000, 512
random.seed(96)

def fetch(base, path):
    start = time.perf_counter()
    with urllib.request.urlopen(f"{base}/iiif/3/{sha}/{path}") as r:
        body = r.read()
        assert r.status == 200 and body[:2] == b"\xff\xd8", (r.status, path)
    return time.perf_counter() - start

def vips(x, y, w, h, sf):
    start = time.perf_counter()
    subprocess.run(["vips", "crop", photo, f"{work}/crop.v", str(x), str(y), str(w), str(h)],
                   check=True)
    subprocess.run(["vips", "resize", f"{work}/crop.v", f"{work}/tile.jpg[Q=82]",
                    str(1 / sf)], check=True)
    return time.perf_counter() - start

print(f"\n{'scale':>5} {'tiles':>16} {'cold s':>8} {'cold max':>9} {'cached s':>9} {'vips s':>8} {'cold/vips':>10}")
for sf in (1, 4, 16):
    cols, rows = -(-W // (T * sf)), -(-H // (T * sf))
    picks = random.sample([(c, r) for c in range(cols) for r in range(rows)], min(tiles, cols * rows))
    while len(picks) < tiles:
        picks.append(random.choice(picks))
    samples = {"cold": [], "cached": [], "vips": []}
    for c, r in picks:
        x, y = c * T * sf, r * T * sf
        w, h = min(T * sf, W - x), min(T * sf, H - y)
        path = f"{x},{y},{w},{h}/{-(-w // sf)},/0/default.jpg"
        samples["cold"].append(fetch(cold, path))
        fetch(warm, path)
        samples["cached"].append(fetch(warm, path))
        samples["vips"].append(vips(x, y, w, h, sf))
    m = {k: statistics.median(v) for k, v in samples.items()}
    print(f"{sf:>5} {f'{len(picks)} of {T * sf} px':>16} {m['cold']:8.3f} {max(samples['cold']):9.3f} "
          f"{m['cached']:9.4f} {m['vips']:8.3f} {m['cold'] / m['vips']:9.2f}x")
PY
echo
echo "Wall seconds, median (and slowest) of $tiles random tiles per scale (from the IIIF grid:"
echo "512 px output, region 512×scale px). cold: a server with [iiif] cache_mb = 0, so every"
echo "tile is decoded from the file; cached: the same tile asked twice of a default server."
echo "vips: 'vips crop' then 'vips resize' of the same region. $(nproc) cores, load"
echo "$(cut -d' ' -f1-3 /proc/loadavg); $(vips --version)"
