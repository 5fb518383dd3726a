#!/usr/bin/env bash
# Starts moto's S3 server (an S3-compatible object store, in memory) for CI and creates a
# bucket in it. Prints the server's process id; the caller stops it.
# Usage: tests/s3/serve.sh PORT BUCKET   (the venv is cached by the pins' hash)
set -euo pipefail
port=$1 bucket=$2
here="$(cd "$(dirname "$0")" && pwd)"
venv="$HOME/.cache/edubase-ci/s3-venv-$(sha256sum "$here/requirements.txt" | cut -c1-12)"
if ! "$venv/bin/python" -c "import moto.server" 2>/dev/null; then
  python3 -m venv "$venv" 2>/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  }
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" >&2
fi
log=$(mktemp)
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null -X PUT "http://127.0.0.1:$port/$bucket" || {
  echo "the S3 server did not start:" >&2; cat "$log" >&2; kill "$pid"; exit 1
}
echo "$pid"
