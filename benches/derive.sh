#!/usr/bin/env bash
# benches/derive.sh [RUNS]: our derivative engine (`edubase derive`, the server's code path)
# against libvips' vipsthumbnail on synthetic photos of 24 MP and 96 MP. For each case: CPU
# seconds (user + sys, median of RUNS runs, default 7), peak RSS, output size, and the ratio
# ours / libvips.
#
# Installs nothing. Needs: cargo; python3; libvips-tools (vips and vipsthumbnail, also used
# by make_photo.sh): `apt-get install libvips-tools`.
#
# Times come from wait4(2) on each child, which is what /usr/bin/time -f "%U %S %M" reads,
# but at microsecond rather than 10 ms resolution (a 400 px thumbnail takes about 0.1 s).
# Photos and outputs are kept in $BENCH_DIR (default: $CARGO_TARGET_DIR/derive-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "benches/derive.sh needs $1 ($2)" >&2; exit 1; }
}
need cargo "the Rust toolchain"
need python3 "apt-get install python3"
need vips "apt-get install libvips-tools"
need vipsthumbnail "apt-get install libvips-tools"

target=${CARGO_TARGET_DIR:-target}
work=${BENCH_DIR:-$target/derive-bench}
mkdir -p "$work"
work=$(cd "$work" && pwd)

for spec in "6000 4000 photo24" "12000 8000 photo96"; do
  set -- $spec
  if [ ! -s "$work/$3.jpg" ]; then
    echo "making $3.jpg ($1×$2)…"
    benches/make_photo.sh "$1" "$2" "$work/$3.jpg"
  fi
done

echo "building the release binary once…"
cargo build --release --quiet --bin edubase
ours="$target/release/edubase"

# compare NAME GOAL -- OURS_CMD… -- VIPS_CMD…: runs the two commands alternately, $runs
# times each (so that load from elsewhere hits both alike), and prints one table row.
compare() {
  python3 - "$runs" "$@" <<'PY'
import os, statistics, subprocess, sys

runs, name, goal = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rest = sys.argv[5:]
split = rest.index("--")
ours, vips = rest[:split], rest[split + 1:]

def run(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    if status != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr.read().decode()}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss

samples = {"ours": [], "vips": []}
for _ in range(runs):
    samples["ours"].append(run(ours))
    samples["vips"].append(run(vips))
cpu = {k: statistics.median(c for c, _ in v) for k, v in samples.items()}
rss = {k: max(r for _, r in v) / 1024 for k, v in samples.items()}
size = {"ours": os.path.getsize(ours[ours.index("-o") + 1]),
        "vips": os.path.getsize(vips[vips.index("-o") + 1].split("[")[0])}
ratio = cpu["ours"] / cpu["vips"]
verdict = "" if goal == "-" else ("ok" if ratio <= float(goal) else "MISSED") + f" (<= {goal}x)"
print(f"{name:<20} {cpu['ours']:8.3f} {cpu['vips']:8.3f} {ratio:6.2f}x "
      f"{rss['ours']:9.1f} {rss['vips']:9.1f} {size['ours'] / 1000:8.1f} {size['vips'] / 1000:8.1f}  {verdict}")
PY
}

printf '\n%-20s %8s %8s %7s %9s %9s %8s %8s  %s\n' case "ours s" "vips s" ratio \
  "ours MiB" "vips MiB" "ours KB" "vips KB" target
row() { # name width format input vips-suffix goal
  local name=$1 width=$2 format=$3 input=$4 suffix=$5 goal=$6
  compare "$name" "$goal" \
    -- "$ours" derive --width "$width" --format "$format" -o "$work/ours-$name.${suffix%%\[*}" "$work/$input.jpg" \
    -- vipsthumbnail "$work/$input.jpg" -s "$width" -o "$work/vips-$name.$suffix"
}

row 24MP-400px-jpeg 400 jpeg photo24 "jpg[Q=82]" 0.6
row 24MP-1600px-jpeg 1600 jpeg photo24 "jpg[Q=82]" 0.6
row 96MP-400px-jpeg 400 jpeg photo96 "jpg[Q=82]" 1.0
row 24MP-400px-webp 400 webp photo24 "webp[Q=80]" -
echo
echo "CPU: user+sys seconds, median of $runs alternating runs; RSS: peak of those runs."
echo "The 96 MP case also wants ours below 100 MiB. $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg);"
echo "$(vips --version); outputs in $work"
