#!/usr/bin/env bash
# Times the lineage explorer on a 1,000-node graph in headless Chromium (web-ui/e2e/bench.mjs)
# against a freshly started Waymark with an empty data directory.
#
#   web-ui/bench/ui.sh catalog-server/target/waymark.jar        (RUNS=5 LAYERS=11 WIDTH=50 by default)
set -euo pipefail
JAR=$(realpath "$1"); PORT=${PORT:-5093}; URL=http://127.0.0.1:$PORT
HERE=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mktemp -d /tmp/waymark-ui-bench.XXXXXX)
export WAYMARK_ADMIN_TOKEN=${WAYMARK_ADMIN_TOKEN:-wm_bench-admin-not-secret}
bash "$HERE/e2e/ensure-chromium.sh"
java -Xms1g -Xmx1g -jar "$JAR" serve --port $PORT --data-dir "$OUT/data" > "$OUT/server.log" 2>&1 &
S=$!; trap 'kill $S; wait $S 2>/dev/null || true' EXIT
until curl -sf $URL/health > /dev/null; do sleep 0.5; done
echo "$(date -u +%Y-%m-%dT%H:%MZ) $(git -C "$HERE" log -1 --format=%h) $(nproc) cores, $(java -version 2>&1 | head -1), $(/usr/bin/chromium --version)"
cd "$HERE" && WAYMARK_URL=$URL WAYMARK_TOKEN=$WAYMARK_ADMIN_TOKEN node e2e/bench.mjs
