#!/usr/bin/env bash
# Times signed report exports (JSON, CSV, PDF of every regulation) on a data directory that
# compliance.sh loaded (it leaves /tmp/waymark-compliance-bench.*/data behind), with a freshly
# started server; prints each export's time and size, then verifies the last PDF against the server.
#
#   catalog-server/bench/reports.sh catalog-server/target/waymark.jar /tmp/waymark-compliance-bench.XXXX/data
set -euo pipefail
JAR=$(realpath "$1"); DATA=$(realpath "$2"); PORT=${PORT:-5091}; URL=http://127.0.0.1:$PORT
OUT=$(mktemp -d /tmp/waymark-reports-bench.XXXXXX)
export WAYMARK_ADMIN_TOKEN=${WAYMARK_ADMIN_TOKEN:-wm_bench-admin-not-secret}
java -Xms2g -Xmx2g -jar "$JAR" serve --port $PORT --data-dir "$DATA" > "$OUT/server.log" 2>&1 &
S=$!; trap 'kill $S; wait $S 2>/dev/null || true' EXIT
until curl -sf $URL/health > /dev/null; do sleep 0.5; done
until curl -s "$URL/health" | grep -q '"projectionLag":0,.*"complianceBusy":false'; do sleep 0.5; done
for f in json json csv pdf pdf; do
  t0=$(date +%s%N)
  curl -sf -H "Authorization: Bearer $WAYMARK_ADMIN_TOKEN" -o "$OUT/report.$f" "$URL/api/v1/reports/ALL?format=$f"
  echo "ALL $f: $(( ($(date +%s%N) - t0) / 1000000 )) ms, $(stat -c %s "$OUT/report.$f") bytes"
done
echo "open findings in the report: $(grep -oE '"(fail|excepted|unknown)" : [0-9]+' "$OUT/report.json" | tr '\n' ' ')"
java -jar "$JAR" verify "$OUT/report.pdf" --server "$URL" --token "$WAYMARK_ADMIN_TOKEN" | tail -1
