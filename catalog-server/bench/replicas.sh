#!/usr/bin/env bash
# Ingest over HTTP with the journal on PostgreSQL (issue 18): scripts/cluster.sh's topology
# (PostgreSQL, graph-server, two replicas), LoadGen at concurrency C against one replica, then
# split across both (C/2 each, at the same time). Durable acknowledgements; auth and audit on.
#
#   catalog-server/bench/replicas.sh            (JAR=…, EVENTS=6000, C=16, JOBS=400, LAYERS=6)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export JAR=${JAR:-$ROOT/catalog-server/target/waymark.jar}
LOADGEN=${LOADGEN:-$ROOT/../shared/bench/LoadGen.java}
EVENTS=${EVENTS:-6000}; C=${C:-16}; JOBS=${JOBS:-400}; LAYERS=${LAYERS:-6}
DIR=$(mktemp -d /tmp/waymark-replicas-bench.XXXXXX)
trap '"$ROOT/scripts/cluster.sh" down "$DIR" > /dev/null' EXIT
"$ROOT/scripts/cluster.sh" up "$DIR"
AUTH=(--header "Authorization: Bearer $(cat "$DIR/admin.token")")
load() { # url events concurrency label salt
  java "$LOADGEN" ingest --url "$1" "${AUTH[@]}" --jobs "$JOBS" --layers "$LAYERS" --concurrency "$3" --events "$2" \
    --warmup-events 0 --label "$4" --run-salt "$5" | grep RESULT
}
caught_up() { until curl -s "$1/health" | grep -q '"projectionLag":0,'; do sleep 1; done; }
rate() { sed -E 's/.*"events_per_s":([0-9.]+).*/\1/' <<< "$1"; }
wall() { sed -E 's/.*"wall_s":([0-9.]+).*/\1/' <<< "$1"; }
p99() { sed -E 's/.*"p99_ms":([0-9.]+).*/\1/' <<< "$1"; }
A=http://127.0.0.1:5101; B=http://127.0.0.1:5102
# A cold JVM mostly measures the JIT: one unmeasured load on each replica first.
load $A 2000 "$C" warm-a 1 > /dev/null; load $B 2000 "$C" warm-b 2 > /dev/null; caught_up $A
ONE=$(load $A "$EVENTS" "$C" one-replica 3); caught_up $A
load $A $((EVENTS / 2)) $((C / 2)) two-replicas-a 4 > "$DIR/a.result" &
load $B $((EVENTS / 2)) $((C / 2)) two-replicas-b 5 > "$DIR/b.result"
wait
TWO_A=$(cat "$DIR/a.result"); TWO_B=$(cat "$DIR/b.result"); caught_up $A
echo "$ONE"; echo "$TWO_A"; echo "$TWO_B"
# Both halves ran at once: together they sent EVENTS in the longer of the two walls.
LONGER=$(printf '%s\n%s\n' "$(wall "$TWO_A")" "$(wall "$TWO_B")" | sort -g | tail -1)
printf 'one replica: %s events/s (p99 %s ms); two replicas: %s events/s together (p99 %s / %s ms)\n' \
  "$(rate "$ONE")" "$(p99 "$ONE")" "$(echo "scale=1; $EVENTS / $LONGER" | bc)" "$(p99 "$TWO_A")" "$(p99 "$TWO_B")"
