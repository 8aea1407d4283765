# Lineage latency with and without the schema fields in dataset nodes (issue 17, fields=false): against a
# running Waymark (URL, WAYMARK_TOKEN), 50 datasets a third of the way into its dataset list, 400 requests
# per setting at concurrency 4 after 40 to warm up.
#   URL=http://127.0.0.1:5000 WAYMARK_TOKEN=... python3 catalog-server/bench/lineage_fields.py
import json, time, urllib.request, urllib.parse, concurrent.futures, sys
import os
URL = os.environ.get("URL", "http://127.0.0.1:5000"); T = os.environ["WAYMARK_TOKEN"]; H = {"Authorization": "Bearer " + T}
def get(path):
    return urllib.request.urlopen(urllib.request.Request(URL + path, headers=H)).read()
ns = json.loads(get("/api/v1/namespaces"))["namespaces"]
ds = []
for n in ns:
    page = json.loads(get("/api/v1/namespaces/%s/datasets?limit=200" % urllib.parse.quote(n["name"], safe="")))
    ds += ["dataset:%s:%s" % (d["namespace"], d["name"]) for d in page["datasets"]]
ds = ds[len(ds)//3: len(ds)//3 + 50]
def one(args):
    node, depth, fields = args
    t = time.perf_counter(); body = get("/api/v1/lineage?depth=%d&fields=%s&nodeId=%s" % (depth, fields, urllib.parse.quote(node, safe="")))
    return (time.perf_counter() - t) * 1000, len(body), len(json.loads(body)["graph"])
for depth in (5, 20):
    for fields in ("true", "false"):
        work = [(ds[i % len(ds)], depth, fields) for i in range(400)]
        with concurrent.futures.ThreadPoolExecutor(4) as ex:
            list(ex.map(one, work[:40]))
            res = sorted(ex.map(one, work))
        ms = sorted(r[0] for r in res)
        print("depth %2d fields=%-5s p50 %6.1f ms  p99 %6.1f ms  mean answer %7d bytes, %4d nodes" % (depth, fields, ms[len(ms)//2], ms[int(len(ms)*0.99)], sum(r[1] for r in res)//len(res), sum(r[2] for r in res)//len(res)))
