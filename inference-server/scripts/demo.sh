#!/usr/bin/env bash
# The inference lab on one machine, offline, in one command:
#   bash inference-server/scripts/demo.sh [PHOTO_DIR]
# Serves PHOTO_DIR (default: the repository's testdata/photos) over loopback HTTP with Python's http.server,
# starts the pre-fork server with 2 workers (the model is embedded: nothing to download), asks it about a few photos with
# inference-client, then stops everything.
set -euo pipefail
cd "$(dirname "$0")/../.."
photos=$(realpath "${1:-testdata/photos}")
http_port=${HTTP_PORT:-8765}
port=${PORT:-50001}

cargo build --release -p inference-server --bins
bin=${CARGO_TARGET_DIR:-target}/release

python3 -m http.server "$http_port" --bind 127.0.0.1 --directory "$photos" >/dev/null 2>&1 &
http_pid=$!
"$bin/inference-server" "$port" 2 --allow-private-urls --images-dir "${TMPDIR:-/tmp}/netlabs-demo-images" &
server_pid=$!
trap 'kill -INT $server_pid 2>/dev/null; kill $http_pid 2>/dev/null; wait' EXIT
sleep 2

for photo in $(cd "$photos" && ls | grep -iE '\.(jpe?g|png)$' | head -n 4); do
  "$bin/inference-client" localhost "$port" "http://127.0.0.1:$http_port/$photo"
done
