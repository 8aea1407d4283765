#!/usr/bin/env bash
# The monitor's check on a loaded graph (issue 16): starts a fresh Waymark, loads JOBS jobs with
# RUNS runs each through LoadGen (5 % of runs fail), gives 500 datasets a freshnessSla, then times
# five POST /api/v1/monitor/checks (every job's last 50 runs judged, freshness, quality, breaking
# schema changes, compliance FAILs, incidents reconciled) and prints what each found.
#
#   catalog-server/bench/monitor.sh                      # 4,000 jobs × 4 runs
#   JOBS=1000 RUNS=2 catalog-server/bench/monitor.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LOADGEN=${LOADGEN:-$ROOT/../shared/bench/LoadGen.java}
JOBS=${JOBS:-4000}
RUNS=${RUNS:-4}
LAYERS=${LAYERS:-6}
PORT=${PORT:-5077}
HEAP=${HEAP:-2g}
URL=http://127.0.0.1:$PORT
DATA=$(mktemp -d /tmp/waymark-monitor-bench.XXXXXX)
source catalog-server/bench/server.sh

java "$LOADGEN" ingest "${LOADGEN_AUTH[@]}" --url "$URL" --jobs "$JOBS" --layers "$LAYERS" --events $((JOBS * RUNS)) --warmup-events 0 \
  --concurrency 8 --fail-rate 0.05 --label monitor-load | tail -2
until curl -s "$URL/health" | grep -q '"projectionLag":0,'; do sleep 1; done
# 500 datasets get a freshness SLA (the board and the stale walk have work to do).
curl -s "$URL/api/v1/search?q=&filter=DATASET&limit=500" > /dev/null || true
python3 - <<PY
import json, urllib.request
URL = "$URL"; H = {"Authorization": "Bearer $WAYMARK_ADMIN_TOKEN", "Content-Type": "application/merge-patch+json"}
ns = json.load(urllib.request.urlopen(urllib.request.Request(URL + "/api/v1/namespaces", headers=H)))["namespaces"]
done = 0
for n in ns:
    page = json.load(urllib.request.urlopen(urllib.request.Request(URL + "/api/v1/namespaces/%s/datasets?limit=500" % urllib.parse.quote(n["name"], safe=""), headers=H)))
    for d in page["datasets"]:
        if done >= 500:
            break
        urllib.request.urlopen(urllib.request.Request(URL + "/api/v1/namespaces/%s/datasets/%s/annotations" % (urllib.parse.quote(n["name"], safe=""), urllib.parse.quote(d["name"], safe="")),
                               data=b'{"freshnessSla": "PT1H"}', headers=H, method="PUT")).read()
        done += 1
print("annotated %d datasets with freshnessSla PT1H" % done)
PY
until curl -s "$URL/health" | grep -q '"projectionLag":0,'; do sleep 1; done
for i in 1 2 3 4 5; do
  start=$(date +%s.%N)
  answer=$(curl -s -X POST "$URL/api/v1/monitor/checks")
  echo "check $i: $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s  $answer"
done
