#!/usr/bin/env bash
# Ingest over Kafka (issue 18): scripts/cluster.sh's topology (PostgreSQL journal, graph-server, a
# KRaft broker, two replicas consuming the topic `openlineage` (4 partitions) in one group).
# LoadGen's events (dumped as NDJSON) are sent to the topic as OpenLineage's Kafka transport sends
# them, and KafkaLoad times how fast the group commits them all: first with both replicas consuming,
# then with one (the other stopped, its partitions moved to the survivor). Auth and audit on.
#
#   catalog-server/bench/kafka.sh            (JAR=…, EVENTS=6000, JOBS=400, LAYERS=6)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export JAR=${JAR:-$ROOT/catalog-server/target/waymark.jar}
LOADGEN=${LOADGEN:-$ROOT/../shared/bench/LoadGen.java}
EVENTS=${EVENTS:-6000}; JOBS=${JOBS:-400}; LAYERS=${LAYERS:-6}
DIR=$(mktemp -d /tmp/waymark-kafka-bench.XXXXXX)
trap '"$ROOT/scripts/cluster.sh" down "$DIR" > /dev/null' EXIT
"$ROOT/scripts/cluster.sh" up "$DIR"
TOKEN=$(cat "$DIR/admin.token")
CP=$(cat "$DIR/kafka/classpath")
A=http://127.0.0.1:5101
dump() { # events salt file
  java "$LOADGEN" dump --jobs "$JOBS" --layers "$LAYERS" --events "$1" --warmup-events 0 --run-salt "$2" --out "$3" > /dev/null
}
drain() { # file label
  java -cp "$CP" "$ROOT/catalog-server/bench/KafkaLoad.java" 127.0.0.1:9192 openlineage waymark "$1" "$2" | grep RESULT
}
caught_up() { until curl -s "$1/health" | grep -q '"projectionLag":0,'; do sleep 1; done; }
partitions() { curl -s -H "Authorization: Bearer $TOKEN" "$A/api/v1/kafka" | sed -E 's/.*"partitions":([0-9]+).*/\1/'; }
rate() { sed -E 's/.*"events_per_s":([0-9.]+).*/\1/' <<< "$1"; }
dump 2000 1 "$DIR/warm.ndjson"; dump "$EVENTS" 2 "$DIR/two.ndjson"; dump "$EVENTS" 3 "$DIR/one.ndjson"
# A cold JVM mostly measures the JIT: one unmeasured drain first (it also creates the topic).
drain "$DIR/warm.ndjson" warm > /dev/null; caught_up $A
TWO=$(drain "$DIR/two.ndjson" two-replicas); caught_up $A
echo "partitions on 5101 with both replicas consuming: $(partitions)"
kill "$(cat "$DIR/replica-5102.pid")"; rm -f "$DIR/replica-5102.pid"
until [ "$(partitions)" = 4 ]; do sleep 1; done
ONE=$(drain "$DIR/one.ndjson" one-replica); caught_up $A
echo "$TWO"; echo "$ONE"
printf 'over Kafka: two replicas %s events/s, one replica %s events/s (each: %s events sent and committed by the group)\n' \
  "$(rate "$TWO")" "$(rate "$ONE")" "$EVENTS"
