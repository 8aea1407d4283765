#!/usr/bin/env bash
# Issue 17's benchmarks in one run, appended to BENCHMARKS.md with the commit and a lag plot
# (BENCHMARKS-lag-<JOBS>-jobs.svg):
#   1. the discard endpoint (bench/Discard.java) driven by LoadGen, the reference rate;
#   2. Waymark with everything on (auth, audit log, projector, continuous compliance, propagation):
#      WARMUP events at concurrency C (the JIT and the planners warm up; reported as "cold"), a wait
#      until projection has caught up, then EVENTS measured; ingest and projection rates and the
#      projection lag sampled every second;
#      lineage depth 5 and 20 and column lineage depth 10 at concurrency 4 on the loaded graph;
#   3. `rebuild` of that journal (events/s);
#   4. Waymark with the projector off (and so nothing behind it), the same two phases;
#   5. start-up on an empty data directory (bench/startup.sh, one start).
#
#   catalog-server/bench/all.sh                                   # JOBS=400 LAYERS=6 WARMUP=20000 EVENTS=20000 C=16
#   JOBS=14000 LAYERS=25 WARMUP=28000 catalog-server/bench/all.sh # the >20,000-dataset graph
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LOADGEN=${LOADGEN:-$ROOT/../shared/bench/LoadGen.java}
JOBS=${JOBS:-400}
LAYERS=${LAYERS:-6}
WARMUP=${WARMUP:-20000}
EVENTS=${EVENTS:-20000}
C=${C:-16}
PORT=${PORT:-5077}
DISCARD_PORT=${DISCARD_PORT:-5099}
HEAP=${HEAP:-2g}
URL=http://127.0.0.1:$PORT
DATA=$(mktemp -d /tmp/waymark-all.XXXXXX)
SERVER_FUNCTIONS_ONLY=1 source catalog-server/bench/server.sh
COMMIT=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- catalog-server/src || echo "+changes")

# ingest <url> <events> <label>: one LoadGen run, prints its RESULT line.
ingest() {
  java "$LOADGEN" ingest --url "$1" "${LOADGEN_AUTH[@]}" --jobs "$JOBS" --layers "$LAYERS" --concurrency "$C" \
    --events "$2" --warmup-events 0 --label "$3" | grep RESULT
}
val() { sed -E "s/.*\"$2\":([0-9.]+).*/\1/" <<< "$1"; }
metric() { grep "^$1 " <<< "$2" | awk '{printf "%d", $2}'; }
# Samples "seconds accepted projected lag" every second into $1 until killed.
sample() {
  local t0; t0=$(date +%s.%N)
  while true; do
    local m; m=$(curl -s "$URL/metrics")
    echo "$(echo "$(date +%s.%N) - $t0" | bc) $(metric waymark_events_accepted_total "$m") $(metric waymark_events_projected_total "$m") $(metric waymark_projection_lag_events "$m")" >> "$1"
    sleep 1
  done
}
caught_up() { until [[ $(metric waymark_projection_lag_events "$(curl -s "$URL/metrics")") == 0 ]]; do sleep 1; done; }

echo "1/5 discard endpoint" >&2
java catalog-server/bench/Discard.java "$DISCARD_PORT" > "$DATA/discard.log" 2>&1 &
DISCARD=$!
until grep -q discarding "$DATA/discard.log"; do sleep 0.2; done
ingest "http://127.0.0.1:$DISCARD_PORT" 5000 discard-warm > /dev/null
DISCARD_RESULT=$(ingest "http://127.0.0.1:$DISCARD_PORT" "$EVENTS" discard)
kill $DISCARD

echo "2/5 Waymark, everything on" >&2
start_waymark "$DATA/on"
until ! curl -s "$URL/health" | grep -q '"warming"'; do sleep 0.5; done
sample "$DATA/samples.txt" & SAMPLER=$!
now() { sleep 1.1; tail -1 "$DATA/samples.txt" | cut -d' ' -f1; }
COLD=$(ingest "$URL" "$WARMUP" cold)
COLD_TO=$(now)
# The measured window starts warm: the first batches on a cold JVM are far slower than later ones.
caught_up
MEASURE_FROM=$(now)
ON=$(ingest "$URL" "$EVENTS" on)
MEASURE_TO=$(now)
caught_up
CAUGHT_UP_AT=$(now)
kill $SAMPLER
DATASETS=$(curl -s "$URL/api/v1/namespaces/bench_wh/datasets?limit=1" | sed -E 's/.*"totalCount":([0-9]+).*/\1/')
query() {
  java "$LOADGEN" query --url "$URL" "${LOADGEN_AUTH[@]}" --jobs "$JOBS" --layers "$LAYERS" --requests 500 --warmup-requests 100 --concurrency 4 "$@" | grep RESULT
}
LINEAGE=$(query --depth 5,20 --label lineage)
COLUMNS=$(query --depth 10 --node-type dataset --query-template '/api/v1/column-lineage?nodeId={nodeId}&depth={depth}' \
  --count-pattern '"id":"datasetField:' --label column-lineage)
stop_waymark

echo "3/5 rebuild" >&2
REBUILD_LINE=$(java -Xms$HEAP -Xmx$HEAP -jar catalog-server/target/waymark.jar rebuild --data-dir "$DATA/on" 2>&1 | grep '^rebuilt' | tail -1)

echo "4/5 Waymark, projector off" >&2
start_waymark "$DATA/off" -Dwaymark.projector-enabled=false
until ! curl -s "$URL/health" | grep -q '"warming"'; do sleep 0.5; done
ingest "$URL" "$WARMUP" off-cold > /dev/null
OFF=$(ingest "$URL" "$EVENTS" off)
stop_waymark

echo "5/5 start-up" >&2
STARTUP=$(ROUNDS=1 PORT=$PORT catalog-server/bench/startup.sh | grep '^start 1')

# Projection over the measured window: events applied per second, and the lag at its end.
read -r PROJECTED_RATE LAG_END LAG_MAX < <(awk -v from="$MEASURE_FROM" -v to="$MEASURE_TO" '
  $1 >= from && !a { a = 1; p0 = $3; t0 = $1 } $1 <= to { p1 = $3; t1 = $1; lag = $4 } $1 >= from && $1 <= to && $4 > max { max = $4 }
  END { printf "%.0f %d %d\n", (p1 - p0) / (t1 - t0), lag, max }' "$DATA/samples.txt")

python3 - "$DATA/samples.txt" "$MEASURE_FROM" "$MEASURE_TO" "BENCHMARKS-lag-$JOBS-jobs.svg" "$COMMIT" <<'PY'
import sys
rows = [tuple(float(x) for x in line.split()) for line in open(sys.argv[1]) if len(line.split()) == 4]
frm, to, out, commit = float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
W, H, L, B = 720, 300, 60, 40
tmax = max(r[0] for r in rows) or 1
lmax = max(max(r[3] for r in rows), 1)
x = lambda t: L + (W - L - 20) * t / tmax
y = lambda v: H - B - (H - B - 20) * v / lmax
pts = " ".join(f"{x(r[0]):.1f},{y(r[3]):.1f}" for r in rows)
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
       f'<rect x="{x(frm):.1f}" y="20" width="{x(to) - x(frm):.1f}" height="{H - B - 20}" fill="#eef"/>',
       f'<text x="{x(frm) + 4:.1f}" y="32">measured window</text>',
       f'<line x1="{L}" y1="{H - B}" x2="{W - 20}" y2="{H - B}" stroke="#000"/><line x1="{L}" y1="20" x2="{L}" y2="{H - B}" stroke="#000"/>',
       f'<polyline fill="none" stroke="#c33" stroke-width="1.5" points="{pts}"/>',
       f'<text x="{L - 4}" y="{y(lmax) + 4:.1f}" text-anchor="end">{int(lmax)}</text><text x="{L - 4}" y="{H - B}" text-anchor="end">0</text>',
       f'<text x="{W - 20}" y="{H - B + 16}" text-anchor="end">{tmax:.0f} s</text><text x="{L}" y="{H - B + 16}">0 s</text>',
       f'<text x="{L}" y="14">projection lag (events not yet in the graph) during catalog-server/bench/all.sh, commit {commit}</text>',
       '</svg>']
open(out, "w").write("\n".join(svg) + "\n")
PY

DISCARD_RATE=$(val "$DISCARD_RESULT" events_per_s)
ratio() { echo "scale=2; $1 / $DISCARD_RATE" | bc | sed 's/^\./0./'; }
lq() { grep "\"depth\":$2," <<< "$1" | sed -E "s/.*\"$3\":([0-9.]+).*/\1/"; }
{
  echo
  echo "### All benchmarks — $(date -u +%Y-%m-%dT%H:%MZ) (commit $COMMIT) — $(nproc) cores, $(java -version 2>&1 | head -1), heap $HEAP"
  echo
  echo "Command: \`JOBS=$JOBS LAYERS=$LAYERS WARMUP=$WARMUP EVENTS=$EVENTS C=$C catalog-server/bench/all.sh\` (LoadGen runs on the same cores;"
  echo "the graph after the load: $DATASETS datasets). Lag over time: [BENCHMARKS-lag-$JOBS-jobs.svg](BENCHMARKS-lag-$JOBS-jobs.svg)."
  echo
  echo "| measurement | value | against the discard endpoint |"
  echo "|---|---|---|"
  echo "| discard endpoint: events/s, POST p99 | $DISCARD_RATE, $(val "$DISCARD_RESULT" p99_ms) ms | 1 |"
  echo "| Waymark, everything on, first $WARMUP events (cold JVM): events/s, POST p99 | $(val "$COLD" events_per_s), $(val "$COLD" p99_ms) ms | $(ratio "$(val "$COLD" events_per_s)") |"
  echo "| Waymark, everything on, next $EVENTS events: events/s, POST p99 | $(val "$ON" events_per_s), $(val "$ON" p99_ms) ms | $(ratio "$(val "$ON" events_per_s)") |"
  echo "| Waymark, projector off, after $WARMUP warm-up events: events/s, POST p99 | $(val "$OFF" events_per_s), $(val "$OFF" p99_ms) ms | $(ratio "$(val "$OFF" events_per_s)") |"
  echo "| projection during the measured window: events/s applied; lag at its end / highest | $PROJECTED_RATE; $LAG_END / $LAG_MAX | |"
  printf '| projection: seconds to catch up after the cold load / after the measured load | %.0f / %.0f | |\n' "$(echo "$MEASURE_FROM - $COLD_TO" | bc)" "$(echo "$CAUGHT_UP_AT - $MEASURE_TO" | bc)"
  echo "| lineage depth 5: p50 / p99 ms (nodes) | $(lq "$LINEAGE" 5 p50_ms) / $(lq "$LINEAGE" 5 p99_ms) ($(lq "$LINEAGE" 5 avg_nodes)) | |"
  echo "| lineage depth 20: p50 / p99 ms (nodes) | $(lq "$LINEAGE" 20 p50_ms) / $(lq "$LINEAGE" 20 p99_ms) ($(lq "$LINEAGE" 20 avg_nodes)) | |"
  echo "| column lineage depth 10: p50 / p99 ms (fields) | $(lq "$COLUMNS" 10 p50_ms) / $(lq "$COLUMNS" 10 p99_ms) ($(lq "$COLUMNS" 10 avg_nodes)) | |"
  echo "| rebuild of the $((WARMUP + EVENTS)) events | ${REBUILD_LINE#rebuilt up to journal event } | |"
  echo "| start-up, empty data directory | ${STARTUP#start 1: } | |"
} | tee -a BENCHMARKS.md
