#!/usr/bin/env bash
# Wide but ordinary batches (issue 19's write-ahead of huge batches, measured where LoadGen never
# goes): a fresh Waymark, then 20,000 COMPLETE events of distinct jobs, each reading K datasets and
# writing one, posted as /api/v1/lineage/batch requests of 500 before the projector catches up, so
# it projects them in batches of 500 events (500 × (K + 1) run inputs and outputs: over 5,000, the
# batch is written in pieces, from K = 10). Prints the time until projectionLag is 0.
#
#   catalog-server/bench/wide-batches.sh catalog-server/target/waymark.jar 11
JAR=$1; K=$2; PORT=${PORT:-5093}; export URL=http://127.0.0.1:$PORT K
export WAYMARK_ADMIN_TOKEN=wm_bench-admin-not-secret
DIR=$(mktemp -d /tmp/waymark-wb.XXXXXX)
java -Dlogger.levels.io.waymark.catalog.projection.BatchCommits=DEBUG -jar $JAR serve --port $PORT --data-dir $DIR/data > $DIR/server.log 2>&1 & S=$!
until curl -sf $URL/health >/dev/null; do sleep 0.5; done
until curl -s $URL/health | grep -q '"complianceBusy":false' && ! curl -s $URL/health | grep -q warming; do sleep 1; done
python3 - <<'PY'
import json, os, time, urllib.request, uuid
URL = os.environ["URL"]; K = int(os.environ["K"]); H = {"Authorization": "Bearer " + os.environ["WAYMARK_ADMIN_TOKEN"], "Content-Type": "application/json"}
def req(path, body=None):
    with urllib.request.urlopen(urllib.request.Request(URL + path, data=body, headers=H), timeout=300) as r: return r.read()
N = 20000
t0 = time.time()
for b in range(N // 500):
    evs = [{"eventTime": "2025-01-01T00:00:00Z", "eventType": "COMPLETE", "producer": "https://example.com/bench",
            "run": {"runId": str(uuid.uuid4())}, "job": {"namespace": "wb", "name": "job%05d" % j},
            "inputs": [{"namespace": "wb", "name": "t%05d" % ((j * 7 + i) % 30000)} for i in range(K)],
            "outputs": [{"namespace": "wb", "name": "o%05d" % j}]} for j in range(b * 500, b * 500 + 500)]
    req("/api/v1/lineage/batch", json.dumps(evs).encode())
posted = time.time() - t0
while json.loads(req("/health")).get("projectionLag", 1) > 0: time.sleep(0.2)
dt = time.time() - t0
print("K=%d: %d events (%d run edges) posted in %.1f s, projected in %.1f s: %.0f events/s, %.0f run edges/s" % (K, N, N * (K + 1), posted, dt, N / dt, N * (K + 1) / dt))
PY
echo "projector batches: $(grep -c "BatchCommits - batch of" $DIR/server.log)"
kill $S; wait $S 2>/dev/null
