#!/usr/bin/env bash
# Projection throughput without ingest beside it (issue 17): LoadGen writes EVENTS events over JOBS
# jobs to a file (runs of a job repeat the same schema and column lineage, as real pipelines do),
# `import` journals them into a fresh data directory, then `rebuild` replays the journal with the
# projector's DEBUG timings on, and this prints the total, the steady-state batches (graph time per
# batch of 500) and the statement breakdown of the last batch.
#
#   catalog-server/bench/projection.sh                  # 400 jobs, 20,000 events
#   JOBS=1000 EVENTS=10000 catalog-server/bench/projection.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LOADGEN=${LOADGEN:-$ROOT/../shared/bench/LoadGen.java}
JOBS=${JOBS:-400}
EVENTS=${EVENTS:-20000}
HEAP=${HEAP:-2g}
DATA=$(mktemp -d /tmp/waymark-projection-bench.XXXXXX)
[[ -f catalog-server/target/waymark.jar ]] || mvn -q -DskipTests package
java "$LOADGEN" dump --jobs "$JOBS" --layers 6 --events "$EVENTS" --run-salt 7 --out "$DATA/events.ndjson" | tail -1
java -Xmx$HEAP -jar catalog-server/target/waymark.jar import "$DATA/events.ndjson" --data-dir "$DATA/data" > "$DATA/import.log" 2>&1
tail -1 "$DATA/import.log"
java -Xmx$HEAP -Dlogger.levels.io.waymark.catalog.projection.BatchCommits=DEBUG -jar catalog-server/target/waymark.jar rebuild --data-dir "$DATA/data" > "$DATA/rebuild.log" 2>&1
grep -o "rebuilt up to.*" "$DATA/rebuild.log"
echo "graph ms per batch of 500, in order: $(grep 'batch of' "$DATA/rebuild.log" | sed 's/.*graph \([0-9]*\) ms.*/\1/' | tr '\n' ' ')"
echo "batch starts (the gaps include reading and parsing the next batch):"
grep 'batch of' "$DATA/rebuild.log" | tail -6 | cut -c12-23 | tr '\n' ' '; echo
echo "the last batch, statement by statement:"
awk '/batch of/{buf=""} {buf=buf"\n"$0} END{print buf}' "$DATA/rebuild.log" | grep -E '^    ' 
