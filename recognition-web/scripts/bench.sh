#!/usr/bin/env bash
# Gateway overhead on loopback: each worker's own rate over the socket protocol, then the
# gateway with 1, 2 and 3 workers, then 3 workers with one killed and restarted mid-run.
# Release build; short bounded runs. Usage: bash recognition-web/scripts/bench.sh [REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/../.."

requests=${1:-200}
concurrency=${CONCURRENCY:-6}
cargo build --release -q -p recognition-web --bins --examples
bin=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/release
load="$bin/examples/load"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

start_worker() { # port
  "$bin/recognition-worker" --host 127.0.0.1 --port "$1" 2>/dev/null &
  pids+=($!)
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do sleep 0.1; done
}
start_gateway() { # port worker-ports...
  local port=$1; shift
  local args=()
  for w in "$@"; do args+=(--worker "127.0.0.1:$w"); done
  "$bin/recognition-gateway" --host 127.0.0.1 --port "$port" "${args[@]}" 2>/dev/null &
  pids+=($!)
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.1; done
}

echo "load before: $(uptime)"
for port in 18881 18882 18883; do start_worker "$port"; done
"$load" --worker 127.0.0.1:18881 --requests 20 --concurrency 2 >/dev/null   # warm-up

echo "== one worker, straight over the protocol (concurrency 2 = cores)"
"$load" --worker 127.0.0.1:18881 --requests "$requests" --concurrency 2
echo "== one worker, straight over the protocol (concurrency $concurrency)"
"$load" --worker 127.0.0.1:18881 --requests "$requests" --concurrency "$concurrency"

start_gateway 19991 18881
start_gateway 19992 18881 18882
start_gateway 19993 18881 18882 18883
for n in 1 2 3; do
  echo "== gateway with $n worker(s) (concurrency $concurrency)"
  "$load" --gateway "http://127.0.0.1:1999$n" --requests "$requests" --concurrency "$concurrency"
done

echo "== gateway with 3 workers, worker 2 killed after 1 s and restarted 1 s later ($((2 * requests)) requests)"
victim=${pids[1]}
(
  sleep 1; kill -9 "$victim"
  sleep 1; exec "$bin/recognition-worker" --host 127.0.0.1 --port 18882 2>/dev/null
) &
pids+=($!)
"$load" --gateway http://127.0.0.1:19993 --requests "$((2 * requests))" --concurrency "$concurrency"
curl -s http://127.0.0.1:19993/metrics | grep -E '^recognition_(retries|ejections|readmissions)_total|^recognition_requests_total'
echo "load after: $(uptime)"
