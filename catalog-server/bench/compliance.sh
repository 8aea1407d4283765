#!/usr/bin/env bash
# Compliance evaluation on a LoadGen graph: loads the DAG into a fresh Waymark, labels the raw
# sources' personal-data columns and annotates a share of datasets (LoadGen events carry no
# labels), lets propagation carry the labels down the column lineage, then measures
#   1. a full evaluation of every rule (POST /api/v1/compliance/evaluations, several times),
#   2. the continuous re-evaluation after one new event (the round the projector triggers),
# and appends the results to BENCHMARKS.md.
#
#   catalog-server/bench/compliance.sh                       # 14,000 jobs, > 20,000 datasets
#   JOBS=1000 catalog-server/bench/compliance.sh             # quick run
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LOADGEN=${LOADGEN:-$ROOT/../shared/bench/LoadGen.java}
JOBS=${JOBS:-14000}
LAYERS=${LAYERS:-25}
PORT=${PORT:-5078}
HEAP=${HEAP:-2g}
ROUNDS=${ROUNDS:-5}
URL=http://127.0.0.1:$PORT
DATA=$(mktemp -d /tmp/waymark-compliance-bench.XXXXXX)

[[ -f catalog-server/target/waymark.jar ]] || mvn -q -DskipTests package
java -Xms$HEAP -Xmx$HEAP -jar catalog-server/target/waymark.jar serve --port "$PORT" --data-dir "$DATA/data" > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
until curl -sf "$URL/health" > /dev/null; do sleep 0.5; kill -0 $SERVER || { cat "$DATA/server.log"; exit 1; }; done

field() { sed -E "s/.*\"$1\":([0-9a-z.]+).*/\1/"; }
# Waits until every journal event is in the graph and no compliance round is pending.
settle() {
  until curl -s "$URL/health" | grep -q '"projectionLag":0,.*"complianceBusy":false'; do sleep 0.5; done
}
metric() { curl -s "$URL/metrics" | grep "^$1" | awk '{print $2}' | head -1; }

echo "loading the DAG ($JOBS jobs, $LAYERS layers)…"
java "$LOADGEN" ingest --url "$URL" --jobs "$JOBS" --layers "$LAYERS" --events $((2 * JOBS)) --concurrency 8 \
  --run-salt 1 --label load > "$DATA/load.txt"
settle
DATASETS=$(curl -s "$URL/api/v1/namespaces/bench_wh/datasets?limit=1" | field totalCount)

echo "labelling raw sources and annotating datasets…"
SOURCES=$(( JOBS / LAYERS > 10 ? JOBS / LAYERS : 10 ))
label() {  # dataset field code
  curl -s -o /dev/null -X PUT "$URL/api/v1/namespaces/bench_wh/datasets/$1/fields/$2/classifications/$3" \
    -H 'Content-Type: application/json' -d '{"reason": "benchmark"}'
}
annotate() {  # dataset json
  curl -s -o /dev/null -X PUT "$URL/api/v1/namespaces/bench_wh/datasets/$1/annotations" \
    -H 'Content-Type: application/merge-patch+json' -d "$2"
}
LABELS=0
for ((s = 0; s < SOURCES; s++)); do
  fields=$(curl -s "$URL/api/v1/namespaces/bench_wh/datasets/raw.src_$s" | grep -o '"name":"[a-z_0-9]*","type"' | sed -E 's/"name":"([^"]*)".*/\1/')
  for f in $fields; do
    case $f in
      email) label "raw.src_$s" "$f" PII.contact.email; LABELS=$((LABELS + 1)) ;;
      customer_id) label "raw.src_$s" "$f" PII.id.internal; LABELS=$((LABELS + 1)) ;;
      device) label "raw.src_$s" "$f" PII.online.device_id; LABELS=$((LABELS + 1)) ;;
    esac
  done
  annotate "raw.src_$s" '{"environment":"prod","country":"DE","retentionDays":365,"legalBasis":"contract","purposes":["billing"],"dsarSource":true}'
done
# A share of the warehouse tables get facts too, so rules have subjects in every state.
ANNOTATED=0
for ((j = 0; j < JOBS; j += 7)); do
  layer=$(( j * LAYERS / JOBS ))
  name=$(printf 'wh.l%d.tbl_%05d_0' "$layer" "$j")
  case $(( j % 4 )) in
    0) annotate "$name" '{"country":"US","retentionDays":3650,"purposes":["marketing"]}' ;;
    1) annotate "$name" '{"environment":"test","encryptedAtRest":false}' ;;
    2) annotate "$name" '{"soxKeyReport":true,"retentionDays":730}' ;;
    3) annotate "$name" '{"country":"DE","transferMechanism":"none","erasureMethod":"delete_by_key"}' ;;
  esac
  ANNOTATED=$((ANNOTATED + 1))
done
settle

echo "full evaluations…"
FULL=()
for ((i = 0; i < ROUNDS; i++)); do
  FULL+=("$(curl -s -X POST "$URL/api/v1/compliance/evaluations" | field durationMs)")
done
SUMMARY=$(curl -s -X POST "$URL/api/v1/compliance/evaluations")
FINDINGS=$(echo "$SUMMARY" | field findings)

echo "one new event at a time…"
# One unmeasured event first: the restricted rule queries are planned on their first run.
java "$LOADGEN" ingest --url "$URL" --jobs "$JOBS" --layers "$LAYERS" --events 1 --concurrency 1 --run-salt 99 --label warm > /dev/null
INCR=()
SUBJ=()
for ((i = 0; i < ROUNDS; i++)); do
  settle
  count0=$(metric 'waymark_compliance_evaluation_seconds_count{scope="incremental"')
  sum0=$(metric 'waymark_compliance_evaluation_seconds_sum{scope="incremental"')
  subj0=$(metric 'waymark_compliance_subjects_sum{scope="incremental"')
  # One COMPLETE event of a mid-DAG job (LoadGen's event stream, a new run).
  java "$LOADGEN" ingest --url "$URL" --jobs "$JOBS" --layers "$LAYERS" --events 1 --concurrency 1 \
    --run-salt $((100 + i)) --label one > /dev/null
  settle
  count1=$(metric 'waymark_compliance_evaluation_seconds_count{scope="incremental"')
  sum1=$(metric 'waymark_compliance_evaluation_seconds_sum{scope="incremental"')
  subj1=$(metric 'waymark_compliance_subjects_sum{scope="incremental"')
  rounds=$(echo "$count1 - $count0" | bc)
  INCR+=("$(echo "scale=1; ($sum1 - $sum0) * 1000 / $rounds" | bc)")
  SUBJ+=("$(echo "($subj1 - $subj0) / $rounds" | bc)")
done

sorted() { printf '%s\n' "$@" | sort -n | tr '\n' ' '; }
{
  echo
  echo "### Compliance evaluation — $(date -u +%Y-%m-%dT%H:%MZ) — $(nproc) cores, $(java -version 2>&1 | head -1), heap $HEAP"
  echo
  echo "Command: \`JOBS=$JOBS LAYERS=$LAYERS catalog-server/bench/compliance.sh\`. Graph: $DATASETS datasets in bench_wh;"
  echo "$LABELS steward labels on the $SOURCES raw sources (e-mail, customer id, device id), propagated down the column lineage;"
  echo "facts on the sources and on $ANNOTATED warehouse tables; $(curl -s "$URL/api/v1/compliance/rules" | grep -o '"id"' | wc -l) rules. Open findings after evaluation: $FINDINGS."
  echo
  echo "| measurement | value |"
  echo "|---|---|"
  echo "| full evaluation of every rule, ms (each of $ROUNDS runs, sorted) | $(sorted "${FULL[@]}") |"
  echo "| re-evaluation after one new event, ms (each of $ROUNDS events, sorted) | $(sorted "${INCR[@]}") |"
  echo "| subjects re-evaluated per new event (same events) | $(sorted "${SUBJ[@]}") |"
} | tee -a BENCHMARKS.md
