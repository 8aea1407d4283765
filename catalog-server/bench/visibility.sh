#!/usr/bin/env bash
# Event to visible (issues 14 and 17): how long after its 201 an event's dataset can be read.
# Starts a fresh Waymark, times the very first event (a cold projector), loads LoadGen's DAG,
# then while LoadGen keeps posting at concurrency $C probes every 100 ms: POST an event writing a
# new dataset, then GET that dataset every 5 ms until it answers 200. Prints p50/p95/p99/max.
#
#   catalog-server/bench/visibility.sh              # JOBS=1000, C=1, 300 probes
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LOADGEN=${LOADGEN:-$ROOT/../shared/bench/LoadGen.java}
JOBS=${JOBS:-1000}
C=${C:-1}
PROBES=${PROBES:-300}
PORT=${PORT:-5077}
HEAP=${HEAP:-2g}
URL=http://127.0.0.1:$PORT
DATA=$(mktemp -d /tmp/waymark-visibility-bench.XXXXXX)
source catalog-server/bench/server.sh

probe() {
  python3 - "$1" <<PY
import json, sys, time, urllib.request, urllib.error, uuid, threading
URL = "$URL"; H = {"Authorization": "Bearer $WAYMARK_ADMIN_TOKEN", "Content-Type": "application/json"}
count = int(sys.argv[1]); lat = []
for i in range(count):
    name = "probe-" + uuid.uuid4().hex[:12]
    ev = {"eventTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()), "eventType": "COMPLETE", "producer": "https://example.com/probe",
          "run": {"runId": str(uuid.uuid4())}, "job": {"namespace": "probe", "name": "probe_job"}, "inputs": [],
          "outputs": [{"namespace": "probe", "name": name}]}
    urllib.request.urlopen(urllib.request.Request(URL + "/api/v1/lineage", data=json.dumps(ev).encode(), headers=H)).read()
    acked = time.time()
    while True:
        try:
            urllib.request.urlopen(urllib.request.Request(URL + "/api/v1/namespaces/probe/datasets/" + name, headers=H)).read()
            break
        except urllib.error.HTTPError as e:
            if e.code != 404: raise
            time.sleep(0.005)
    lat.append(time.time() - acked)
    time.sleep(0.1)
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print("%d probes: event to visible p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms" % (len(lat), q(0.5) * 1000, q(0.95) * 1000, q(0.99) * 1000, lat[-1] * 1000))
PY
}
echo "first event on a fresh server:"; probe 1
java "$LOADGEN" ingest "${LOADGEN_AUTH[@]}" --url "$URL" --jobs "$JOBS" --layers 6 --events $((2 * JOBS)) --warmup-events 0 --concurrency 8 --label load | grep RESULT
until curl -s "$URL/health" | grep -q '"projectionLag":0,'; do sleep 1; done
echo "idle:"; probe 50
java "$LOADGEN" ingest "${LOADGEN_AUTH[@]}" --url "$URL" --jobs "$JOBS" --layers 6 --events 1000000 --warmup-events 0 --concurrency "$C" --label background > "$DATA/background.txt" 2>&1 &
BG=$!
sleep 5
echo "while LoadGen posts at concurrency $C:"; probe "$PROBES"
kill $BG; sleep 1
grep -o '[0-9.]* ev/s (last [0-9.]* ev/s)' "$DATA/background.txt" | tail -1 | sed 's/^/background rate: /'
echo "projection lag then: $(curl -s "$URL/health" | sed -E 's/.*"projectionLag":([0-9]+).*/\1/')"
