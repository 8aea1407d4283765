#!/usr/bin/env bash
# Huge entities (issue 19, item 4): starts a fresh Waymark, posts jobs whose single run reads
# 1,000 … 64,000 datasets, and for each prints how long projection took and how long a GET of the
# job takes (/health is probed every 50 ms from another process meanwhile) (its answer lists 1,000 inputs and says inputsTruncated); then a second run of the
# 64,000-input job reads another 50,000 datasets (114,000 in all); then 96 viewers ask for that job
# at once (five rounds), then 96 ask for its lineage at depth 1, while /health is probed every 50 ms
# from another process. Then the server is restarted on the same data directory and, once /health no
# longer says warming, 96 viewers ask for the job again (five rounds), /health probed the same way: a
# restarted server's first crowd meets a JVM that has compiled little (RESTART=0 leaves this out).
#
#   catalog-server/bench/huge-job.sh catalog-server/target/waymark.jar
#   SERVER_OPTS=-XX:MaxGCPauseMillis=50 catalog-server/bench/huge-job.sh …   # JVM options for the server
#   SERVER_OPTS=-Xlog:gc:file=gc-%p.log:utctime catalog-server/bench/huge-job.sh …  # slow probes line up with GC pauses
#   (%p, the process id: the restarted server writes a log of its own)
set -euo pipefail
JAR=$(realpath "$1"); PORT=${PORT:-5077}; export URL=http://127.0.0.1:$PORT
export WAYMARK_ADMIN_TOKEN=${WAYMARK_ADMIN_TOKEN:-wm_bench-admin-not-secret}
DIR=$(mktemp -d /tmp/waymark-huge-bench.XXXXXX)
java ${SERVER_OPTS:-} -jar "$JAR" serve --port $PORT --data-dir "$DIR/data" > "$DIR/server.log" 2>&1 &
S=$!; trap 'kill $S; wait $S 2>/dev/null || true' EXIT
until curl -sf $URL/health > /dev/null; do sleep 0.5; done
cat > "$DIR/bench.py" <<'PY'
import json, os, threading, time, urllib.request, uuid
URL = os.environ["URL"]; H = {"Authorization": "Bearer " + os.environ["WAYMARK_ADMIN_TOKEN"], "Content-Type": "application/json"}
def req(path, body=None):
    t = time.time()
    with urllib.request.urlopen(urllib.request.Request(URL + path, data=body, headers=H), timeout=300) as r:
        return time.time() - t, r.read()
def utc(t):  # to line up with a GC log (-Xlog:gc:file=…:utctime) and the server log
    return "%s.%03dZ" % (time.strftime("%H:%M:%S", time.gmtime(t)), int(t * 1000) % 1000)
def run(job, inputs, label):
    ev = {"eventTime": "2025-01-01T00:00:00Z", "eventType": "COMPLETE", "producer": "https://example.com/bench",
          "run": {"runId": str(uuid.uuid4())}, "job": {"namespace": "huge", "name": job},
          "inputs": [{"namespace": "huge", "name": i} for i in inputs], "outputs": [{"namespace": "huge", "name": "out-" + job}]}
    t0 = time.time(); req("/api/v1/lineage", json.dumps(ev).encode())
    while json.loads(req("/health")[1]).get("projectionLag", 1) > 0:
        time.sleep(0.2)
    projected = time.time() - t0; caught_up = utc(time.time())
    dt, data = req("/api/v1/namespaces/huge/jobs/" + job)
    lt, lineage = req("/api/v1/lineage?depth=1&nodeId=job:huge:" + job)
    print("%s: projected in %.1f s (caught up %s); GET job %.3f s, %d bytes; lineage depth 1 %.3f s, %d bytes" % (label, projected, caught_up, dt, len(data), lt, len(lineage)), flush=True)
import subprocess, sys
RESTARTED = sys.argv[1:] == ["restarted"]
# /health is probed from a process of its own until its stdin closes: probed from a thread beside the
# 96 viewer threads it measured this interpreter's lock as much as the server.
PROBER = """
import sys, threading, time, urllib.request
out, stop, slow = [], [], []
threading.Thread(target=lambda: (sys.stdin.read(), stop.append(1)), daemon=True).start()
while not stop:
    t = time.time(); urllib.request.urlopen(sys.argv[1] + "/health", timeout=30).read(); d = time.time() - t; out.append(d)
    if d > 0.1:  # when, in UTC to the millisecond, to line up with a GC log (-Xlog:gc:file=…:utctime)
        slow.append("%s.%03dZ %.0f ms" % (time.strftime("%H:%M:%S", time.gmtime(t)), int(t * 1000) % 1000, d * 1000))
    time.sleep(0.05)
out.sort(); n = len(out)
print("/health meanwhile (another process): %d probes, p50 %.3f s, p90 %.3f s, p99 %.3f s, max %.3f s" % (n, out[n // 2], out[n * 9 // 10], out[n * 99 // 100], out[-1]), flush=True)
print("  over 100 ms: " + (", ".join(slow) or "none"), flush=True)
"""
if not RESTARTED:
    # /health during the huge batches' projection too: a batch's own rows live until its commit.
    projecting = subprocess.Popen([sys.executable, "-c", PROBER, URL], stdin=subprocess.PIPE)
    for n in (1000, 2000, 4000, 8000, 16000, 32000, 64000):
        run("wide%d" % n, ["in%d_%06d" % (n, i) for i in range(n)], "inputs %6d" % n)
    run("wide64000", ["again_%06d" % i for i in range(50000)], "second run, 50,000 more inputs (114,000)")
    projecting.stdin.close(); projecting.wait()
def viewers(path, label):
    prober = subprocess.Popen([sys.executable, "-c", PROBER, URL], stdin=subprocess.PIPE)
    times = []
    def viewer():
        times.append(req(path)[0])
    time.sleep(1); t0 = time.time(); started = utc(t0)
    ROUNDS = 5  # one round of 96 viewers lasts about 2 s: too few /health probes for a p99
    for _ in range(ROUNDS):
        ts = [threading.Thread(target=viewer) for _ in range(96)]; [t.start() for t in ts]; [t.join() for t in ts]
    wall = (time.time() - t0) / ROUNDS; times.sort()
    print("96 concurrent GETs of %s, %d rounds from %s: wall per round %.2f s, p50 %.3f s, max %.3f s" % (label, ROUNDS, started, wall, times[len(times) // 2], times[-1]), flush=True)
    prober.stdin.close(); prober.wait()
if RESTARTED:
    viewers("/api/v1/namespaces/huge/jobs/wide64000", "the wide64000 job on the restarted server")
    sys.exit(0)
viewers("/api/v1/namespaces/huge/jobs/wide64000", "the wide64000 job (114,000 inputs after its second run)")
viewers("/api/v1/lineage?depth=1&nodeId=job:huge:wide64000", "its lineage at depth 1")
# The server's own time for /health (request filter to response filter, last 2 minutes): what a probe
# waited beyond it was spent before the server read the request or after it wrote the answer.
own = [l for l in req("/metrics")[1].decode().splitlines() if 'route="/health"' in l and ("quantile" in l or "_max" in l)]
def said(line):  # quantile="0.99" … 0.004 -> "p99 4 ms"; …_max … 0.03 -> "max 30 ms"
    what = "p%g" % (float(line.split('quantile="')[1].split('"')[0]) * 100) if "quantile" in line else "max"
    return "%s %.0f ms" % (what, float(line.split()[-1]) * 1000)
print("server's own /health time (last 2 minutes): " + ", ".join(said(l) for l in own), flush=True)
PY
python3 "$DIR/bench.py"
if [[ ${RESTART:-1} == 1 ]]; then
  kill $S; wait $S 2>/dev/null || true
  started=$(date +%s)
  java ${SERVER_OPTS:-} -jar "$JAR" serve --port $PORT --data-dir "$DIR/data" > "$DIR/server-restarted.log" 2>&1 &
  S=$!
  until curl -sf $URL/health 2>/dev/null | python3 -c "import json, sys; sys.exit(1 if json.load(sys.stdin).get('warming') else 0)" 2>/dev/null; do sleep 0.5; done
  echo "restarted: up and no longer warming after $(( $(date +%s) - started )) s"
  python3 "$DIR/bench.py" restarted
fi
