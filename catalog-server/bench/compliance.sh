#!/usr/bin/env bash
# Compliance evaluation on a LoadGen graph: loads the DAG into a fresh Waymark, labels the raw
# sources' personal-data columns (column-level tags, as a producer declares them) and annotates a share of datasets (LoadGen events carry no
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

source catalog-server/bench/server.sh

field() { sed -E "s/.*\"$1\":([0-9a-z.]+).*/\1/"; }
# Waits until every journal event is in the graph and no compliance round is pending.
settle() {
  until curl -s "$URL/health" | grep -q '"projectionLag":0,.*"complianceBusy":false'; do sleep 0.5; done
}
metric() { curl -s "$URL/metrics" | grep "^$1" | awk '{print $2}' | head -1; }

echo "loading the DAG ($JOBS jobs, $LAYERS layers)…"
java "$LOADGEN" ingest "${LOADGEN_AUTH[@]}" --url "$URL" --jobs "$JOBS" --layers "$LAYERS" --events $((2 * JOBS)) --concurrency 8 \
  --run-salt 1 --label load > "$DATA/load.txt"
settle
DATASETS=$(curl -s "$URL/api/v1/namespaces/bench_wh/datasets?limit=1" | field totalCount)

echo "labelling raw sources and annotating datasets…"
SOURCES=$(( JOBS / LAYERS > 10 ? JOBS / LAYERS : 10 ))
# Labels as a producer declares them: one DatasetEvent per source with column-level tags, in one batch.
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LABELS=0
: > "$DATA/labels.ndjson"
for ((s = 0; s < SOURCES; s++)); do
  tags=""
  for f in $(curl -s "$URL/api/v1/namespaces/bench_wh/datasets/raw.src_$s" | grep -o '"name":"[a-z_0-9]*","type"' | sed -E 's/"name":"([^"]*)".*/\1/'); do
    case $f in
      email) code=PII.contact.email ;;
      customer_id) code=PII.id.internal ;;
      device) code=PII.online.device_id ;;
      *) continue ;;
    esac
    tags="$tags${tags:+,}{\"key\":\"classification\",\"value\":\"$code\",\"field\":\"$f\"}"
    LABELS=$((LABELS + 1))
  done
  [[ -n $tags ]] && echo "{\"eventTime\":\"$NOW\",\"producer\":\"https://example.com/bench\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/\$defs/DatasetEvent\",\"dataset\":{\"namespace\":\"bench_wh\",\"name\":\"raw.src_$s\",\"facets\":{\"tags\":{\"_producer\":\"https://example.com/bench\",\"_schemaURL\":\"https://openlineage.io/spec/facets/1-0-0/TagsDatasetFacet.json\",\"tags\":[$tags]}}}}" >> "$DATA/labels.ndjson"
done
curl -sf -X POST "$URL/api/v1/lineage/batch" -H 'Content-Type: application/x-ndjson' --data-binary @"$DATA/labels.ndjson" > /dev/null
settle
# Read now: the metric's maximum covers the last minutes only, and the annotations below take several.
PROPAGATION=$(curl -s "$URL/metrics" | grep '^waymark_propagation_seconds_max' | awk '$2 > m {m = $2} END {printf "%.1f", m}')
# Facts on the sources and on a share of the warehouse tables, so rules have subjects in every state;
# eight at a time (each PUT returns once projected).
# Runs in the child shells xargs starts, where server.sh's curl function does not exist: the token is
# sent here, and a refused patch stops the script (until 2026-12-05 every patch got 401 unnoticed, so
# the runs since tokens were required measured a graph without these facts).
# A dataset LoadGen did not make (not every source or table number is used) is 404: counted, not fatal.
annotate() {  # dataset json
  local status
  status=$(command curl -s -o /dev/null -w '%{http_code}' -X PUT "$URL/api/v1/namespaces/bench_wh/datasets/$1/annotations" \
    -H "Authorization: Bearer $WAYMARK_ADMIN_TOKEN" -H 'Content-Type: application/merge-patch+json' -d "$2")
  case $status in
    200) echo "$1" >> "$DATA/annotated.txt" ;;
    404) ;;
    *) echo "annotation of $1 refused: $status" >&2; exit 255 ;;
  esac
}
export -f annotate
export URL DATA
ANNOTATED=0
{
  for ((s = 0; s < SOURCES; s++)); do
    printf '%s\t%s\n' "raw.src_$s" '{"environment":"prod","country":"DE","retentionDays":365,"legalBasis":"contract","purposes":["billing"],"dsarSource":true}'
  done
  for ((j = 0; j < JOBS; j += 7)); do
    name=$(printf 'wh.l%d.tbl_%05d_0' $(( j * LAYERS / JOBS )) "$j")
    case $(( j % 4 )) in
      0) printf '%s\t%s\n' "$name" '{"country":"US","retentionDays":3650,"purposes":["marketing"]}' ;;
      1) printf '%s\t%s\n' "$name" '{"environment":"test","encryptedAtRest":false}' ;;
      # One table in 2,000 is a SOX key report (each has thousands of upstream datasets in this DAG:
      # the lineage rules' cost is reports x upstream size).
      2) if (( j % 280 == 14 )); then report='{"soxKeyReport":true,"retentionDays":730}'; else report='{"retentionDays":730,"owner":"analytics"}'; fi
         printf '%s\t%s\n' "$name" "$report" ;;
      3) printf '%s\t%s\n' "$name" '{"country":"DE","transferMechanism":"none","erasureMethod":"delete_by_key"}' ;;
    esac
  done
} > "$DATA/annotations.tsv"
ANNOTATED=$(( $(wc -l < "$DATA/annotations.tsv") - SOURCES ))
: > "$DATA/annotated.txt"
tr '\t' '\n' < "$DATA/annotations.tsv" | xargs -d '\n' -n 2 -P 8 bash -c 'annotate "$0" "$1"'
settle
curl -s "$URL/api/v1/namespaces/bench_wh/datasets/raw.src_0" | grep -q '"dsarSource":true' || { echo "the sources' facts are not in the graph" >&2; exit 1; }
ANNOTATED_SOURCES=$(grep -c '^raw\.' "$DATA/annotated.txt" || true)
ANNOTATED=$(grep -c '^wh\.' "$DATA/annotated.txt" || true)

echo "full evaluations…"
FULL=()
for ((i = 0; i < ROUNDS; i++)); do
  FULL+=("$(curl -s -X POST "$URL/api/v1/compliance/evaluations" | grep -o '"durationMs":[0-9]*' | cut -d: -f2 || echo failed)")
done
SUMMARY=$(curl -s -X POST "$URL/api/v1/compliance/evaluations")
FINDINGS=$(echo "$SUMMARY" | field findings)

echo "one new event of the root job at a time…"
# One unmeasured event first: the restricted rule queries are planned on their first run.
java "$LOADGEN" ingest "${LOADGEN_AUTH[@]}" --url "$URL" --jobs "$JOBS" --layers "$LAYERS" --events 1 --concurrency 1 --run-salt 99 --label warm > /dev/null
INCR=()
SUBJ=()
E2E=()
for ((i = 0; i < ROUNDS; i++)); do
  settle
  count0=$(metric 'waymark_compliance_evaluation_seconds_count{scope="incremental"')
  sum0=$(metric 'waymark_compliance_evaluation_seconds_sum{scope="incremental"')
  subj0=$(metric 'waymark_compliance_subjects_sum{scope="incremental"')
  # One run of the DAG's first job (LoadGen's stream starts there: the widest downstream), a new run id.
  t0=$(date +%s%N)
  java "$LOADGEN" ingest "${LOADGEN_AUTH[@]}" --url "$URL" --jobs "$JOBS" --layers "$LAYERS" --events 1 --concurrency 1 \
    --run-salt $((100 + i)) --label one > /dev/null
  settle
  E2E+=("$(echo "($(date +%s%N) - $t0) / 1000000" | bc)")
  count1=$(metric 'waymark_compliance_evaluation_seconds_count{scope="incremental"')
  sum1=$(metric 'waymark_compliance_evaluation_seconds_sum{scope="incremental"')
  subj1=$(metric 'waymark_compliance_subjects_sum{scope="incremental"')
  rounds=$(echo "$count1 - $count0" | bc)
  INCR+=("$(echo "scale=1; ($sum1 - $sum0) * 1000 / $rounds" | bc)")
  SUBJ+=("$(echo "($subj1 - $subj0) / $rounds" | bc)")
done

echo "one new event of a leaf job at a time…"
# The same measurement for a run of the DAG's last job: its outputs have nothing downstream, so
# this is the cost of a change with a small neighbourhood.
LEAF="pipeline_l$((LAYERS - 1)).job_$(printf '%05d' $((JOBS - 1)))"
LEAF_JOB=$(curl -s "$URL/api/v1/namespaces/bench/jobs/$LEAF")
LEAF_IN=$(echo "$LEAF_JOB" | grep -o '"inputs":\[[^]]*\]' | head -1)
LEAF_OUT=$(echo "$LEAF_JOB" | grep -o '"outputs":\[[^]]*\]' | head -1)
LEAF_INCR=()
for ((i = -1; i < ROUNDS; i++)); do  # round -1 is unmeasured: plans for this neighbourhood's shape
  settle
  count0=$(metric 'waymark_compliance_evaluation_seconds_count{scope="incremental"')
  sum0=$(metric 'waymark_compliance_evaluation_seconds_sum{scope="incremental"')
  curl -sf -X POST "$URL/api/v1/lineage" -H 'Content-Type: application/json' -d "{\"eventType\":\"COMPLETE\",\"eventTime\":\"$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)\",\"run\":{\"runId\":\"$(cat /proc/sys/kernel/random/uuid)\"},\"job\":{\"namespace\":\"bench\",\"name\":\"$LEAF\"},$LEAF_IN,$LEAF_OUT,\"producer\":\"https://example.com/bench\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/\$defs/RunEvent\"}" > /dev/null
  settle
  count1=$(metric 'waymark_compliance_evaluation_seconds_count{scope="incremental"')
  sum1=$(metric 'waymark_compliance_evaluation_seconds_sum{scope="incremental"')
  (( i >= 0 )) && LEAF_INCR+=("$(echo "scale=1; ($sum1 - $sum0) * 1000 / ($count1 - $count0)" | bc)")
done

sorted() { printf '%s\n' "$@" | sort -n | tr '\n' ' '; }
{
  echo
  echo "### Compliance evaluation — $(date -u +%Y-%m-%dT%H:%MZ) — $(nproc) cores, $(java -version 2>&1 | head -1), heap $HEAP"
  echo
  echo "Command: \`JOBS=$JOBS LAYERS=$LAYERS catalog-server/bench/compliance.sh\`. Graph: $DATASETS datasets in bench_wh;"
  echo "$LABELS declared column labels (OpenLineage tags) on the $SOURCES raw sources (e-mail, customer id, device id), propagated down the column lineage;"
  echo "facts on the $ANNOTATED_SOURCES sources and on $ANNOTATED warehouse tables ($(grep -c soxKeyReport "$DATA/annotations.tsv") of them SOX key reports); $(curl -s "$URL/api/v1/compliance/rules" | grep -o '"id"' | wc -l) rules. Open findings after evaluation: $FINDINGS."
  echo
  echo "| measurement | value |"
  echo "|---|---|"
  echo "| full evaluation of every rule, ms (each of $ROUNDS runs, sorted) | $(sorted "${FULL[@]}") |"
  echo "| re-evaluation after one new event of the root job (LoadGen's first run), ms (each of $ROUNDS events, sorted) | $(sorted "${INCR[@]}") |"
  echo "| subjects re-evaluated by local rules per new event (same events) | $(sorted "${SUBJ[@]}") |"
  echo "| re-evaluation after one new event of a leaf job (nothing downstream), ms (each of $ROUNDS events, sorted) | $(sorted "${LEAF_INCR[@]}") |"
  echo "| from sending the event to findings current (JVM start of LoadGen, ingest, projection, propagation, evaluation), ms | $(sorted "${E2E[@]}") |"
  echo "| slowest label recomputation seen (the sources' labels arriving in one batch reach most of the graph), s | $PROPAGATION |"
} | tee -a BENCHMARKS.md
