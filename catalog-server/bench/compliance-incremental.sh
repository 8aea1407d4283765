#!/usr/bin/env bash
# Re-measures only the continuous (incremental) compliance rounds on a data directory that
# compliance.sh loaded (it leaves /tmp/waymark-compliance-bench.*/data behind), with a freshly
# started server: 8 events of the root job and 8 of the leaf job, as compliance.sh sends them.
#
#   catalog-server/bench/compliance-incremental.sh catalog-server/target/waymark.jar /tmp/waymark-compliance-bench.XXXX/data
set -euo pipefail
JAR=$(realpath "$1"); DATA=$(realpath "$2"); PORT=${PORT:-5090}; URL=http://127.0.0.1:$PORT
cd "$(dirname "$0")/../.."
LOADGEN=${LOADGEN:-$(pwd)/../shared/bench/LoadGen.java}; JOBS=${JOBS:-14000}; LAYERS=${LAYERS:-25}
export WAYMARK_ADMIN_TOKEN=${WAYMARK_ADMIN_TOKEN:-wm_bench-admin-not-secret}
curl() { command curl -H "Authorization: Bearer $WAYMARK_ADMIN_TOKEN" "$@"; }
LOADGEN_AUTH=(--header "Authorization: Bearer $WAYMARK_ADMIN_TOKEN")
java -Xms2g -Xmx2g -Dlogger.levels.io.waymark.catalog.compliance=DEBUG ${OPTS:-} -jar $JAR serve --port $PORT --data-dir $DATA > /tmp/incr-server.log 2>&1 &
S=$!; trap 'kill $S; wait $S 2>/dev/null || true' EXIT
until curl -sf $URL/health > /dev/null; do sleep 0.5; done
settle() { until curl -s "$URL/health" | grep -q '"projectionLag":0,.*"complianceBusy":false'; do sleep 0.5; done; }
metric() { curl -s "$URL/metrics" | grep "^$1" | awk '{print $2}' | head -1; }
settle
for i in 1 2; do curl -s -X POST $URL/api/v1/compliance/evaluations > /dev/null; done
java "$LOADGEN" ingest "${LOADGEN_AUTH[@]}" --url "$URL" --jobs "$JOBS" --layers "$LAYERS" --events 1 --concurrency 1 --run-salt 299 --label warm > /dev/null
LEAF="pipeline_l$((LAYERS - 1)).job_$(printf '%05d' $((JOBS - 1)))"
J=$(curl -s "$URL/api/v1/namespaces/bench/jobs/$LEAF"); IN=$(echo "$J" | grep -o '"inputs":\[[^]]*\]' | head -1); OUT=$(echo "$J" | grep -o '"outputs":\[[^]]*\]' | head -1)
R=(); L=()
for i in $(seq 1 8); do
  settle; c0=$(metric 'waymark_compliance_evaluation_seconds_count{scope="incremental"'); s0=$(metric 'waymark_compliance_evaluation_seconds_sum{scope="incremental"')
  java "$LOADGEN" ingest "${LOADGEN_AUTH[@]}" --url "$URL" --jobs "$JOBS" --layers "$LAYERS" --events 1 --concurrency 1 --run-salt $((300 + i)) --label one > /dev/null
  settle; c1=$(metric 'waymark_compliance_evaluation_seconds_count{scope="incremental"'); s1=$(metric 'waymark_compliance_evaluation_seconds_sum{scope="incremental"')
  R+=("$(echo "scale=1; ($s1 - $s0) * 1000 / ($c1 - $c0)" | bc)")
done
for i in $(seq 0 8); do
  settle; c0=$(metric 'waymark_compliance_evaluation_seconds_count{scope="incremental"'); s0=$(metric 'waymark_compliance_evaluation_seconds_sum{scope="incremental"')
  curl -sf -X POST "$URL/api/v1/lineage" -H 'Content-Type: application/json' -d "{\"eventType\":\"COMPLETE\",\"eventTime\":\"$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)\",\"run\":{\"runId\":\"$(cat /proc/sys/kernel/random/uuid)\"},\"job\":{\"namespace\":\"bench\",\"name\":\"$LEAF\"},$IN,$OUT,\"producer\":\"https://example.com/bench\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/\$defs/RunEvent\"}" > /dev/null
  settle; c1=$(metric 'waymark_compliance_evaluation_seconds_count{scope="incremental"'); s1=$(metric 'waymark_compliance_evaluation_seconds_sum{scope="incremental"')
  (( i > 0 )) && L+=("$(echo "scale=1; ($s1 - $s0) * 1000 / ($c1 - $c0)" | bc)")
done
echo "root: $(printf '%s\n' "${R[@]}" | sort -n | tr '\n' ' ')"
echo "leaf: $(printf '%s\n' "${L[@]}" | sort -n | tr '\n' ' ')"
