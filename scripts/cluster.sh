#!/usr/bin/env bash
# The scale-out topology on one machine: PostgreSQL for the journal, Neo4j for the graph (Waymark's
# `graph-server`), an Apache Kafka broker (KRaft) with the topic `openlineage`, and two Waymark
# replicas sharing them all (one leads, one follows; both consume the topic in one group; see README,
# "Several replicas"). For trying failover by hand; ReplicasTest runs the same topology in the suite.
#
#   scripts/cluster.sh up   [DIR]   start everything under DIR (default /tmp/waymark-cluster) and print where
#   scripts/cluster.sh down [DIR]   stop the replicas, Neo4j and PostgreSQL
#   scripts/cluster.sh status [DIR] each replica's /health
#
# Needs java 17, the built jar (mvn -q -DskipTests package; or JAR=…), Maven (the broker runs from the
# kafka_2.13 artifact in catalog-server's test classpath, which Maven resolves) and Debian's postgresql
# package (installed with apt-get when missing and running as root). Ports: PG_PORT (55432),
# BOLT_PORT (7688), KAFKA_PORT (9192, and the next one for its controller), REPLICA_PORTS ("5101 5102").
# KAFKA=0 leaves Kafka out.
set -euo pipefail
ACTION=${1:-}
DIR=$(realpath -m "${2:-/tmp/waymark-cluster}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR:-$ROOT/catalog-server/target/waymark.jar}
PG_PORT=${PG_PORT:-55432}
BOLT_PORT=${BOLT_PORT:-7688}
REPLICA_PORTS=${REPLICA_PORTS:-"5101 5102"}
KAFKA=${KAFKA:-1}
KAFKA_PORT=${KAFKA_PORT:-9192}

pg_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$bin" ] && [ "$(id -u)" = 0 ]; then
        (apt-get install -y -q postgresql || (apt-get update -q && apt-get install -y -q postgresql)) > "$DIR/apt.log" 2>&1
        bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    [ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
    echo "$bin"
}

# PostgreSQL refuses to run as root: as root its commands run as the postgres user.
as_pg() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

wait_port() { # port seconds
    for _ in $(seq 1 "$2"); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 1; done
    echo "nothing listens on port $1 after $2 s" >&2; return 1
}

# A single-node KRaft broker (broker and controller in one process), started as kafka-server-start.sh would.
kafka_up() {
    mkdir -p "$DIR/kafka"
    if [ ! -s "$DIR/kafka/classpath" ]; then
        mvn -q -f "$ROOT/catalog-server/pom.xml" dependency:build-classpath -Dmdep.includeScope=test \
            -Dmdep.outputFile="$DIR/kafka/classpath" > "$DIR/kafka/mvn.log" 2>&1 \
            || { echo "Maven could not resolve the Kafka broker; see $DIR/kafka/mvn.log" >&2; exit 1; }
    fi
    local cp; cp=$(cat "$DIR/kafka/classpath")
    local controller=$((KAFKA_PORT + 1))
    cat > "$DIR/kafka/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DIR/kafka/data
num.partitions=4
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
    if [ ! -f "$DIR/kafka/data/meta.properties" ]; then
        java -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" \
            -c "$DIR/kafka/server.properties" > "$DIR/kafka/format.log" 2>&1 || { echo "Kafka storage format failed; see $DIR/kafka/format.log" >&2; exit 1; }
    fi
    nohup java -Xmx512m -cp "$cp" kafka.Kafka "$DIR/kafka/server.properties" > "$DIR/kafka.log" 2>&1 &
    echo $! > "$DIR/kafka.pid"
    wait_port "$KAFKA_PORT" 120
}

wait_for() { # url seconds
    for _ in $(seq 1 "$2"); do curl -sf -o /dev/null "$1" && return 0; sleep 1; done
    echo "no answer from $1 after $2 s" >&2; return 1
}

up() {
    [ -f "$JAR" ] || { echo "no jar at $JAR: mvn -q -DskipTests package first" >&2; exit 1; }
    mkdir -p "$DIR"
    # The postgres user must reach DIR/pg (a mktemp -d directory is the owner's alone); secrets in DIR are 0600.
    [ "$(id -u)" = 0 ] && chmod 755 "$DIR"
    local bin; bin=$(pg_bin)
    if [ ! -f "$DIR/pg/data/PG_VERSION" ]; then
        mkdir -p "$DIR/pg"
        head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$DIR/pg/password"
        [ "$(id -u)" = 0 ] && chown -R postgres "$DIR/pg"
        as_pg "'$bin/initdb' -D '$DIR/pg/data' -A md5 -U postgres --pwfile='$DIR/pg/password' > '$DIR/pg/initdb.log' 2>&1"
    fi
    as_pg "'$bin/pg_ctl' -D '$DIR/pg/data' -w -l '$DIR/pg/log' -o '-p $PG_PORT -k $DIR/pg -c listen_addresses=127.0.0.1' start" > /dev/null
    export PGPASSWORD; PGPASSWORD=$(cat "$DIR/pg/password")
    "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'waymark'" | grep -q 1 \
        || "$bin/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE waymark"

    nohup java -jar "$JAR" graph-server --home "$DIR/neo4j" --bolt-port "$BOLT_PORT" > "$DIR/neo4j.log" 2>&1 &
    echo $! > "$DIR/neo4j.pid"
    for _ in $(seq 1 120); do grep -q "graph-server: Neo4j on" "$DIR/neo4j.log" && break; sleep 1; done
    grep -q "graph-server: Neo4j on" "$DIR/neo4j.log" || { echo "Neo4j did not start; see $DIR/neo4j.log" >&2; exit 1; }

    if [ "$KAFKA" = 1 ]; then
        kafka_up
        export WAYMARK_KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
    fi

    [ -f "$DIR/admin.token" ] || (umask 077; echo "wm_$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" > "$DIR/admin.token")
    export WAYMARK_JOURNAL_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/waymark" WAYMARK_JOURNAL_USER=postgres WAYMARK_JOURNAL_PASSWORD="$PGPASSWORD"
    export WAYMARK_NEO4J_URI="bolt://127.0.0.1:$BOLT_PORT" WAYMARK_NEO4J_USER=neo4j WAYMARK_NEO4J_PASSWORD; WAYMARK_NEO4J_PASSWORD=$(cat "$DIR/neo4j/bolt-password")
    export WAYMARK_ADMIN_TOKEN; WAYMARK_ADMIN_TOKEN=$(cat "$DIR/admin.token")
    for port in $REPLICA_PORTS; do
        nohup java -jar "$JAR" serve --port "$port" --data-dir "$DIR/replica-$port" > "$DIR/replica-$port.log" 2>&1 &
        echo $! > "$DIR/replica-$port.pid"
        # One after the other: the first to start leads.
        wait_for "http://127.0.0.1:$port/health" 180
    done
    echo "journal   jdbc:postgresql://127.0.0.1:$PG_PORT/waymark (user postgres, password in $DIR/pg/password)"
    echo "graph     bolt://127.0.0.1:$BOLT_PORT (user neo4j, password in $DIR/neo4j/bolt-password)"
    [ "$KAFKA" = 1 ] && echo "kafka     127.0.0.1:$KAFKA_PORT, topic openlineage (4 partitions), consumer group waymark; classpath in $DIR/kafka/classpath"
    for port in $REPLICA_PORTS; do
        echo "replica   http://127.0.0.1:$port ($(curl -s "http://127.0.0.1:$port/health" | sed -n 's/.*"role":"\([a-z]*\)".*/\1/p'))"
    done
    echo "admin token in $DIR/admin.token"
}

stop_pid() { # pidfile
    [ -f "$1" ] || return 0
    local pid; pid=$(cat "$1")
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$1"
}

down() {
    for port in $REPLICA_PORTS; do stop_pid "$DIR/replica-$port.pid"; done
    stop_pid "$DIR/kafka.pid"
    stop_pid "$DIR/neo4j.pid"
    if [ -f "$DIR/pg/data/postmaster.pid" ]; then
        as_pg "'$(pg_bin)/pg_ctl' -D '$DIR/pg/data' -m fast -w stop" > /dev/null || true
    fi
    echo "stopped (data kept in $DIR; rm -rf it to start afresh)"
}

status() {
    for port in $REPLICA_PORTS; do
        echo "replica $port: $(curl -s "http://127.0.0.1:$port/health" || echo down)"
    done
}

case "$ACTION" in
    up) up ;;
    down) down ;;
    status) status ;;
    *) echo "usage: scripts/cluster.sh up|down|status [DIR]" >&2; exit 64 ;;
esac
