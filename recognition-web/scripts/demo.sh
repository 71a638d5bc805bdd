#!/usr/bin/env bash
# The recognition service on one machine: three workers and the gateway on loopback.
# Open http://127.0.0.1:9999/ and upload a photo; Ctrl-C stops everything.
#
#   bash recognition-web/scripts/demo.sh            # ports 8881-8883 and 9999
#   GATEWAY_PORT=8080 bash recognition-web/scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

gateway_port=${GATEWAY_PORT:-9999}
worker_ports=(8881 8882 8883)

cargo build --release -p recognition-web --bins
bin=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/release

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

workers=()
for port in "${worker_ports[@]}"; do
  "$bin/recognition-worker" --host 127.0.0.1 --port "$port" &
  pids+=($!)
  workers+=(--worker "127.0.0.1:$port")
done
"$bin/recognition-gateway" --host 127.0.0.1 --port "$gateway_port" "${workers[@]}" &
pids+=($!)

sleep 1
cat <<TEXT

  Upload page:   http://127.0.0.1:$gateway_port/
  JSON:          curl --data-binary @testdata/photos/webnn-native_test_redpanda.jpg http://127.0.0.1:$gateway_port/api/classify
  Workers:       curl http://127.0.0.1:$gateway_port/api/workers
  Remove one:    curl http://127.0.0.1:$gateway_port/del/127.0.0.1:${worker_ports[0]}
  Add it back:   curl http://127.0.0.1:$gateway_port/add/127.0.0.1:${worker_ports[0]}
  Metrics:       curl http://127.0.0.1:$gateway_port/metrics

  Ctrl-C stops the gateway and the workers.
TEXT
wait
