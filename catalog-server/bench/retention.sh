#!/usr/bin/env bash
# A retention purge on a loaded journal (issue 16): starts a fresh Waymark, loads EVENTS LoadGen
# events over JOBS jobs (runs a day old, 5 % failing, so each job has EVENTS/JOBS/2 runs that mostly
# repeat the same facts), waits for projection, then times a dry run and the purge of everything
# older than an hour, and prints the counts (scanned, deleted, kept because they still decide the
# graph) and the journal file's size.
#
#   catalog-server/bench/retention.sh                     # 400 jobs, 20,000 events
#   JOBS=4000 EVENTS=100000 catalog-server/bench/retention.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LOADGEN=${LOADGEN:-$ROOT/../shared/bench/LoadGen.java}
JOBS=${JOBS:-400}
EVENTS=${EVENTS:-20000}
LAYERS=${LAYERS:-6}
PORT=${PORT:-5078}
HEAP=${HEAP:-2g}
URL=http://127.0.0.1:$PORT
DATA=$(mktemp -d /tmp/waymark-retention-bench.XXXXXX)
source catalog-server/bench/server.sh

java "$LOADGEN" ingest "${LOADGEN_AUTH[@]}" --url "$URL" --jobs "$JOBS" --layers "$LAYERS" --events "$EVENTS" --warmup-events 0 \
  --concurrency 8 --fail-rate 0.05 --label retention-load | tail -2
until curl -s "$URL/health" | grep -q '"projectionLag":0,'; do sleep 1; done
echo "journal: $(du -h "$DATA/data/journal.db" | cut -f1)"
for dry in true false; do
  start=$(date +%s.%N)
  answer=$(curl -s -X POST "$URL/api/v1/retention/purge" -H 'Content-Type: application/json' -d "{\"olderThan\": \"PT1H\", \"dryRun\": $dry}")
  echo "dryRun=$dry: $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s  $answer"
done
echo "journal after: $(du -h "$DATA/data/journal.db" | cut -f1) (SQLite reuses the freed pages; the file does not shrink)"
