#!/usr/bin/env bash
# Bulk import benchmark: a spreadsheet of N rows, each with its own photograph in a media
# zip, through the admin as a curator's browser sends it: the dry run (upload and check),
# then the run (a background job that checks and stores each photo, writes each item with
# its revision and audit line, and records each row's outcome), timed until the progress
# page says it is finished; then publishing every item it created in one batch from the
# list; then the round trip: the items exported as a spreadsheet from the list, one row in
# ten given a Mongolian title, and the sheet imported again (every row checked against its
# item, the tenth updated, the rest found unchanged). Needs curl and python3; builds the
# release binary.
# Usage: benches/bulk_import.sh [rows, default 500]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-500}
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/edubase-bulk-XXXX")
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

cargo build --release --quiet --bin edubase
bin=${CARGO_TARGET_DIR:-target}/release/edubase
port=18084

# N distinct photographs: a sample JPEG with a comment segment naming the row.
python3 - "$work" "$rows" exhibits/items/mongolian-ger/studymongolian-yurt.jpg <<'PY'
import sys, zipfile
work, rows, photo = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "rb").read()
with open(f"{work}/items.csv", "w", encoding="utf-8") as csv, \
     zipfile.ZipFile(f"{work}/media.zip", "w", zipfile.ZIP_STORED) as z:
    csv.write("\ufeffaccession,title_zh,title_en,category,base,media,media_alt_zh\n")
    for i in range(1, rows + 1):
        note = f"bench row {i}".encode()
        jpeg = photo[:2] + b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note + photo[2:]
        z.writestr(f"photos/{i:05}.jpg", jpeg)
        csv.write(f"KZ-BENCH-{i:05},蒙古包 {i},Ger {i},traditional_craft,banner-heritage-hall,photos/{i:05}.jpg,蒙古包\n")
PY
zip_mb=$(du -m "$work/media.zip" | cut -f1)

EDUBASE_LOG=warn "$bin" serve --data "$work/data" --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/metrics" | grep -q '^edubase_jobs_queued 0$' && break; sleep 0.2; done
printf 'bench-password-2026\n' | "$bin" --data "$work/data" user add --username importer --role curator --base banner-heritage-hall --password-stdin >/dev/null
cookie=$(curl -s -o /dev/null -D - -d "username=importer&password=bench-password-2026" "http://127.0.0.1:$port/admin/login" | awk -F'[ ;]' 'tolower($1)=="set-cookie:" {print $2}')
csrf=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/admin" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)

t0=$(date +%s.%N)
page=$(curl -s -H "Cookie: $cookie" -F "_csrf=$csrf" -F "csv=@$work/items.csv;type=text/csv" \
  -F "media=@$work/media.zip;type=application/zip" "http://127.0.0.1:$port/admin/import")
t1=$(date +%s.%N)
id=$(printf '%s' "$page" | sed -n 's|.*action="/admin/import/\([A-Za-z0-9_-]*\)/run".*|\1|p' | head -1)
[ -n "$id" ] || { echo "the dry run did not pass:" >&2; printf '%s\n' "$page" | grep -o '<td>[^<]*</td>' | head >&2; exit 1; }
curl -s -o /dev/null -H "Cookie: $cookie" -d "_csrf=$csrf" "http://127.0.0.1:$port/admin/import/$id/run"
until curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/admin/import/$id" | grep -q 'import-again\|导入另一个文件'; do sleep 0.2; done
t2=$(date +%s.%N)
result=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/admin/import/$id" | grep -o '导入完成[^<]*' | head -1)
if curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/admin/import/$id/report.csv" | grep ',failed,' | head -5 >&2; then
  grep -i 'error' "$work/server.log" | head -5 >&2 || true
fi
# Then the curator publishes every draft the import created, in one batch from the list
# (what /admin/items?import=<run> offers).
t3=$(date +%s.%N)
batch=$(curl -s -H "Cookie: $cookie" -d "_csrf=$csrf&to=published&all=1&import=$id" "http://127.0.0.1:$port/admin/item-status")
t4=$(date +%s.%N)
published=$(printf '%s' "$batch" | grep -o '[0-9]* 件藏品现在的状态是“已发布”' | head -1)
# The round trip.
t5=$(date +%s.%N)
curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/admin/items.csv?import=$id" >"$work/export.csv"
t6=$(date +%s.%N)
python3 - "$work" <<'PY'
import csv, sys
work = sys.argv[1]
with open(f"{work}/export.csv", encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
head, body = rows[0], rows[1:]
mn = head.index("title_mn")
for i, row in enumerate(body):
    if i % 10 == 0:
        row[mn] = "ᠮᠣᠩᠭᠣᠯ ᠭᠡᠷ"
with open(f"{work}/edited.csv", "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f).writerows([head] + body)
PY
page=$(curl -s -H "Cookie: $cookie" -F "_csrf=$csrf" -F "csv=@$work/edited.csv;type=text/csv" "http://127.0.0.1:$port/admin/import")
t7=$(date +%s.%N)
id2=$(printf '%s' "$page" | sed -n 's|.*action="/admin/import/\([A-Za-z0-9_-]*\)/run".*|\1|p' | head -1)
[ -n "$id2" ] || { echo "the round trip's dry run did not pass:" >&2; printf '%s\n' "$page" | grep -o '<td>[^<]*</td>' | head >&2; exit 1; }
curl -s -o /dev/null -H "Cookie: $cookie" -d "_csrf=$csrf" "http://127.0.0.1:$port/admin/import/$id2/run"
until curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/admin/import/$id2" | grep -q 'import-again\|导入另一个文件'; do sleep 0.2; done
t8=$(date +%s.%N)
result2=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/admin/import/$id2" | grep -o '导入完成[^<]*' | head -1)
python3 - "$rows" "$zip_mb" "$t0" "$t1" "$t2" "$result" "$t3" "$t4" "$published" "$t5" "$t6" "$t7" "$t8" "$result2" <<'PY'
import sys
rows, mb, t0, t1, t2, result = int(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:6]), sys.argv[6]
t3, t4, published = float(sys.argv[7]), float(sys.argv[8]), sys.argv[9]
t5, t6, t7, t8, result2 = *map(float, sys.argv[10:14]), sys.argv[14]
print(f"{rows} rows, media zip {mb} MB: {result}")
print(f"dry run (upload and check): {t1 - t0:.2f} s; run: {t2 - t1:.2f} s, {rows / (t2 - t1):.0f} rows/s")
print(f"publishing them in one batch: {t4 - t3:.2f} s ({published or 'nothing published'})")
print(f"round trip: export {t6 - t5:.2f} s; dry run {t7 - t6:.2f} s; run {t8 - t7:.2f} s ({result2})")
PY
