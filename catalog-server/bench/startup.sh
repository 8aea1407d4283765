#!/usr/bin/env bash
# Start-up of `serve` on an empty data directory (issue 17): time from launch to /health 200, ROUNDS
# times, and the log lines that mark the phases of the last start (embedded Neo4j, projection
# warm-up, lineage index, Micronaut). Between Neo4j and the warm-up, the rule pack is validated
# (an EXPLAIN per rule query); after Micronaut, the first compliance round runs before /health is 200.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-5079}
[[ -f catalog-server/target/waymark.jar ]] || mvn -q -DskipTests package
for i in $(seq "$ROUNDS"); do
  DATA=$(mktemp -d /tmp/waymark-startup-bench.XXXXXX)
  start=$(date +%s.%N)
  java -jar catalog-server/target/waymark.jar serve --port "$PORT" --data-dir "$DATA/data" > "$DATA/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.1; kill -0 $SERVER || { cat "$DATA/server.log"; exit 1; }; done
  echo "start $i: /health 200 after $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s"
  kill $SERVER; wait $SERVER 2>/dev/null || true
done
grep -E "journal migration V1_|embedded Neo4j started|warmed up|lineage index loaded|Startup completed" "$DATA/server.log" \
  | sed -E 's/^[0-9-]+ ([0-9:,]+) .* - (.*)$/\1  \2/' | cut -c1-120
