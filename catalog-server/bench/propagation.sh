#!/usr/bin/env bash
# Label propagation after single changes, on a data directory that compliance.sh loaded (it leaves
# /tmp/waymark-compliance-bench.*/data behind; the script changes labels there, so use a copy):
# starts the server, then (after one warm-up round) 8 steward label changes (adding and removing a label on two declared-label
# source columns) and 8 events whose column lineage copies a labelled column into a new dataset, and
# prints the time of each recomputation from the server's waymark_propagation_seconds summary (both scopes).
#
#   catalog-server/bench/propagation.sh catalog-server/target/waymark.jar /tmp/copy-of-the-data-dir
set -euo pipefail
JAR=$(realpath "$1"); DATA=$(realpath "$2"); PORT=${PORT:-5091}; URL=http://127.0.0.1:$PORT; NS=${NS:-bench_wh}
export WAYMARK_ADMIN_TOKEN=${WAYMARK_ADMIN_TOKEN:-wm_bench-admin-not-secret}
curl() { command curl -s -H "Authorization: Bearer $WAYMARK_ADMIN_TOKEN" "$@"; }
java -Xms2g -Xmx2g -Dlogger.levels.io.waymark.catalog.governance=DEBUG ${OPTS:-} -jar "$JAR" serve --port $PORT --data-dir "$DATA" > /tmp/propagation-server.log 2>&1 &
S=$!; trap 'kill $S; wait $S 2>/dev/null || true' EXIT
until curl -sf $URL/health > /dev/null; do sleep 0.5; done
settle() { until curl "$URL/health" | grep -q '"projectionLag":0,'; do sleep 0.2; done; sleep 0.3; }
metric() { curl "$URL/metrics" | grep "^waymark_propagation_seconds_$1{" | awk '{s += $2} END {print s}'; }
settle
START=$(echo "scale=0; $(metric sum) * 1000 / 1" | bc)
# Two source columns with a declared label, found through the API (LoadGen names them).
COLUMNS=$(for i in $(seq 100 140); do curl "$URL/api/v1/namespaces/$NS/datasets/raw.src_$i"; echo; done | python3 -c '
import json, sys
found = []
for line in sys.stdin:
    if not line.strip(): continue
    d = json.loads(line)
    for f in d.get("fields", []):
        if any(c["source"] == "DECLARED" for c in f.get("classifications", [])): found.append(d["name"] + " " + f["name"])
print("\n".join(found[:2]))')
measure() { # runs "$@" and prints the time of the one recomputation it caused, ms
  settle; local c0 s0 c1 s1; c0=$(metric count); s0=$(metric sum)
  "$@" > /dev/null
  settle; c1=$(metric count); s1=$(metric sum)
  echo "scale=1; ($s1 - $s0) * 1000 / ($c1 - $c0)" | bc
}
label() { curl -f -X "$1" -H 'Content-Type: application/json' -d '{"reason":"benchmark"}' "$URL/api/v1/namespaces/$NS/datasets/$2/fields/$3/classifications/PII.contact.phone"; }
copy() {
  local ds=$1 field=$2 name="bench.propagation_copy_$RANDOM$RANDOM"
  curl -f -X POST "$URL/api/v1/lineage" -H 'Content-Type: application/json' -d "{\"eventType\":\"COMPLETE\",\"eventTime\":\"$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)\",\"run\":{\"runId\":\"$(cat /proc/sys/kernel/random/uuid)\"},\"job\":{\"namespace\":\"bench\",\"name\":\"$name\"},\"inputs\":[{\"namespace\":\"$NS\",\"name\":\"$ds\"}],\"outputs\":[{\"namespace\":\"$NS\",\"name\":\"$name\",\"facets\":{\"columnLineage\":{\"_producer\":\"https://example.com/bench\",\"_schemaURL\":\"https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json\",\"fields\":{\"$field\":{\"inputFields\":[{\"namespace\":\"$NS\",\"name\":\"$ds\",\"field\":\"$field\",\"transformations\":[{\"type\":\"DIRECT\",\"subtype\":\"IDENTITY\"}]}]}}}}}],\"producer\":\"https://example.com/bench\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/\$defs/RunEvent\"}"
}
# Warm-up, not counted: the first recomputations of a fresh JVM run interpreted code.
while read -r ds field; do measure label PUT "$ds" "$field" > /dev/null; measure label DELETE "$ds" "$field" > /dev/null; measure copy "$ds" "$field" > /dev/null; done <<< "$COLUMNS"
LABELS=(); LINEAGE=()
for round in 1 2; do
  while read -r ds field; do
    LABELS+=("$(measure label PUT "$ds" "$field")"); LABELS+=("$(measure label DELETE "$ds" "$field")")
    LINEAGE+=("$(measure copy "$ds" "$field")"); LINEAGE+=("$(measure copy "$ds" "$field")")
  done <<< "$COLUMNS"
done
echo "columns: $(echo $COLUMNS)"
echo "start-up (whole graph), ms: $START"
echo "steward label change, ms: $(printf '%s\n' "${LABELS[@]}" | sort -n | tr '\n' ' ')"
echo "new column lineage, ms: $(printf '%s\n' "${LINEAGE[@]}" | sort -n | tr '\n' ' ')"
grep 'propagation ' /tmp/propagation-server.log | tail -3 | sed 's/.*Propagator - //'
