#!/usr/bin/env bash
# Start-up of `serve` on an empty data directory (issue 17), ROUNDS times: time from launch to
# /health 200 (UP), then how long one event takes from its POST to being readable, and when the
# background compliance warm-up (planning the rule pack, the first round) ends; the log lines that
# mark the phases of the last start (journal, embedded Neo4j, projection warm-up, Micronaut).
#
#   JAR=/tmp/waymark.jar catalog-server/bench/startup.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-5079}
JAR=${JAR:-catalog-server/target/waymark.jar}
URL=http://127.0.0.1:$PORT
export WAYMARK_ADMIN_TOKEN=wm_bench-admin-not-secret
[[ -f $JAR ]] || mvn -q -DskipTests package
since() { echo "$(date +%s.%N) - $1" | bc | awk '{printf "%.2f", $1}'; }
for i in $(seq "$ROUNDS"); do
  DATA=$(mktemp -d /tmp/waymark-startup-bench.XXXXXX)
  start=$(date +%s.%N)
  java ${JAVA_OPTS:-} -jar "$JAR" serve --port "$PORT" --data-dir "$DATA/data" > "$DATA/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "$URL/health" > /dev/null; do sleep 0.05; kill -0 $SERVER || { cat "$DATA/server.log"; exit 1; }; done
  up=$(since "$start")
  posted=$(date +%s.%N)
  curl -sf -o /dev/null -H "Authorization: Bearer $WAYMARK_ADMIN_TOKEN" -H 'Content-Type: application/json' "$URL/api/v1/lineage" -d '{
    "eventTime": "2026-01-01T00:00:00Z", "eventType": "COMPLETE", "producer": "https://example.com/startup-bench",
    "run": {"runId": "0d9b4a6e-6f6e-4b5e-9d7e-2f3c4b5a6d7e"}, "job": {"namespace": "startup", "name": "first_job"},
    "inputs": [], "outputs": [{"namespace": "startup", "name": "first_table"}]}'
  until curl -sf -o /dev/null -H "Authorization: Bearer $WAYMARK_ADMIN_TOKEN" "$URL/api/v1/namespaces/startup/datasets/first_table"; do sleep 0.01; done
  visible=$(since "$posted")
  until ! curl -s "$URL/health" | grep -q '"warming"'; do sleep 0.1; done
  echo "start $i: /health UP after $up s; first event readable $visible s after its POST; compliance warm after $(since "$start") s"
  kill $SERVER; wait $SERVER 2>/dev/null || true
done
grep -E "journal migration V1_|embedded Neo4j started|warmed up|lineage index loaded|Startup completed|compliance round" "$DATA/server.log" \
  | sed -E 's/^[0-9-]+ ([0-9:,]+) .* - (.*)$/\1  \2/' | cut -c1-120
