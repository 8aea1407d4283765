#!/usr/bin/env bash
# Starts a fresh Waymark (embedded Neo4j + SQLite in a temporary directory), drives
# ../shared/bench/LoadGen.java against it and appends the results to BENCHMARKS.md.
#
#   catalog-server/bench/run.sh                       # full run (14,000 jobs, > 20,000 datasets)
#   JOBS=1000 EVENTS=4000 catalog-server/bench/run.sh   # quick run
#
# Phase 1 loads the whole DAG at concurrency 16 (LoadGen runs job i%JOBS, so 2*JOBS events touch
# every job); phase 2 measures concurrency 4 on the loaded graph; then lineage queries.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LOADGEN=${LOADGEN:-$ROOT/../shared/bench/LoadGen.java}
JOBS=${JOBS:-14000}
LAYERS=${LAYERS:-25}
EVENTS=${EVENTS:-10000}
PORT=${PORT:-5077}
HEAP=${HEAP:-2g}
URL=http://127.0.0.1:$PORT
DATA=$(mktemp -d /tmp/waymark-bench.XXXXXX)
OUT=$DATA/results.txt

source catalog-server/bench/server.sh

lag() { curl -s "$URL/health" | sed -E 's/.*"projectionLag":([0-9]+).*/\1/'; }
# Samples the projection lag every 0.5 s into $1 until killed.
sample_lag() { while true; do echo "$(lag)" >> "$1"; sleep 0.5; done; }
# Prints "<max lag seen while loading> <seconds to catch up after the load stopped>".
wait_projection() {
  local start=$(date +%s.%N)
  until (( $(lag) == 0 )); do sleep 0.2; done
  echo "$(sort -n "$1" | tail -1) $(echo "$(date +%s.%N) - $start" | bc)"
}
ingest() {
  local label=$1 c=$2 events=$3 samples=$DATA/lag-$1.txt
  echo 0 > "$samples"
  sample_lag "$samples" & local sampler=$!
  java "$LOADGEN" ingest "${LOADGEN_AUTH[@]}" "${common[@]}" --events "$events" --warmup-events 1000 --concurrency "$c" --label "$label" | tee -a "$OUT"
  kill $sampler
  wait_projection "$samples"
}
common=(--url "$URL" --jobs "$JOBS" --layers "$LAYERS")

# Load the DAG (every job runs at least once) while measuring ingest at concurrency 4, then 16.
read -r MAXLAG16 DRAIN16 < <(ingest c16 16 $((2 * JOBS)) | tail -1)
read -r MAXLAG4 DRAIN4 < <(ingest c4 4 "$EVENTS" | tail -1)

DATASETS=$(curl -s "$URL/api/v1/namespaces/bench_wh/datasets?limit=1" | sed -E 's/.*"totalCount":([0-9]+).*/\1/')
java "$LOADGEN" query "${LOADGEN_AUTH[@]}" "${common[@]}" --depth 5,20 --requests 500 --warmup-requests 50 --concurrency 4 --label lineage | tee -a "$OUT"

row() { grep "RESULT" "$OUT" | grep "\"label\":\"$1\"" | grep "\"$2\":" | head -1 | sed -E "s/.*\"$3\":([0-9.]+).*/\1/"; }
qrow() { grep "RESULT" "$OUT" | grep '"mode":"query"' | grep "\"depth\":$1," | sed -E "s/.*\"$2\":([0-9.]+).*/\1/"; }
{
  echo
  echo "### $(date -u +%Y-%m-%dT%H:%MZ) — $(nproc) cores, $(java -version 2>&1 | head -1), heap $HEAP"
  echo
  echo "Command: \`JOBS=$JOBS LAYERS=$LAYERS EVENTS=$EVENTS catalog-server/bench/run.sh\` (LoadGen runs on the same 2 cores). Graph after the load: $DATASETS datasets in bench_wh."
  echo
  echo "| measurement | value |"
  echo "|---|---|"
  echo "| ingest c=4: events/s (durable acks) | $(row c4 events_per_s events_per_s) |"
  echo "| ingest c=4: POST p50 / p99 ms | $(row c4 p50_ms p50_ms) / $(row c4 p99_ms p99_ms) |"
  echo "| ingest c=16: events/s (durable acks) | $(row c16 events_per_s events_per_s) |"
  echo "| ingest c=16: POST p50 / p99 ms | $(row c16 p50_ms p50_ms) / $(row c16 p99_ms p99_ms) |"
  echo "| projection lag during c=4 / c=16: most events behind | $MAXLAG4 / $MAXLAG16 |"
  printf '| projection: seconds to catch up once the load stopped, c=4 / c=16 | %.1f / %.1f |\n' "$DRAIN4" "$DRAIN16"
  echo "| lineage depth 5: p50 / p99 ms (avg nodes) | $(qrow 5 p50_ms) / $(qrow 5 p99_ms) ($(qrow 5 avg_nodes)) |"
  echo "| lineage depth 20: p50 / p99 ms (avg nodes) | $(qrow 20 p50_ms) / $(qrow 20 p99_ms) ($(qrow 20 avg_nodes)) |"
} | tee -a BENCHMARKS.md
