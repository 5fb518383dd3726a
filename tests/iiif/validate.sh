#!/usr/bin/env bash
# Runs the official IIIF Image API validator (PyPI iiif-validator, pinned in
# requirements.txt) at level 2 against an edubase server, on the validator's own test image
# (tests/fixtures/iiif). Exit status: the number of failed tests (0 = all passed).
#
#   tests/iiif/validate.sh                 build, start a throwaway server (SQLite, samples
#                                          and the test image imported), validate, stop it
#   tests/iiif/validate.sh http://HOST:PORT  validate a running server that already has the
#                                          test image (edubase import tests/fixtures/iiif)
#
# The virtualenv lives in $IIIF_VENV (default ~/.cache/edubase-ci/iiif-venv); the validator
# picks random regions and sizes, so $IIIF_ROUNDS (default 1) runs it several times.
set -euo pipefail
cd "$(dirname "$0")/../.."

image=tests/fixtures/iiif/items/iiif-validator-test-image/67352ccc-d1b0-11e1-89ae-279075081939.png
sha=$(sha256sum "$image" | cut -d' ' -f1)
venv="${IIIF_VENV:-$HOME/.cache/edubase-ci/iiif-venv}"

if [ ! -x "$venv/bin/iiif-validate.py" ]; then
  echo "installing the IIIF validator into $venv"
  if ! python3 -m venv "$venv"; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/iiif/requirements.txt
fi
# python-magic needs libmagic, which the validator imports even for the tests it skips.
if ! "$venv/bin/python" -c 'import magic' 2>/dev/null; then
  echo "installing libmagic"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmagic1 >/dev/null
fi

server_pid=""
data=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$data" ]; then rm -rf "$data"; fi
}
trap cleanup EXIT

if [ $# -ge 1 ]; then
  base="${1%/}"
else
  target="${CARGO_TARGET_DIR:-target}"
  cargo build --quiet
  data=$(mktemp -d)
  port=$((20000 + RANDOM % 20000))
  base="http://127.0.0.1:$port"
  "$target/debug/edubase" serve --data "$data" --bind "127.0.0.1:$port" >"$data/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    curl -fsS "$base/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  "$target/debug/edubase" --data "$data" import tests/fixtures/iiif
fi

scheme="${base%%://*}"
hostpath="${base#*://}"
server="${hostpath%%/*}"
prefix="iiif/3"
if [ "$hostpath" != "$server" ]; then prefix="${hostpath#*/}/iiif/3"; fi

code=$(curl -s -o /dev/null -w '%{http_code}' "$base/iiif/3/$sha/info.json")
if [ "$code" != "200" ]; then
  echo "$base/iiif/3/$sha/info.json answers $code: is the test image imported and published?" >&2
  exit 1
fi

failed=0
for round in $(seq 1 "${IIIF_ROUNDS:-1}"); do
  echo "validator round $round: $base/$prefix/$sha (level 2, Image API 3.0)"
  if ! "$venv/bin/iiif-validate.py" --scheme "$scheme" -s "$server" -p "$prefix" -i "$sha" \
       --version=3.0 --level 2 2>&1 | grep -v '^Importing'; then
    failed=$((failed + 1))
  fi
done
if [ "$failed" -ne 0 ]; then echo "the IIIF validator failed in $failed round(s)" >&2; fi
exit "$failed"
