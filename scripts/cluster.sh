#!/usr/bin/env bash
# The scale-out topology on one machine: PostgreSQL for the journal, Neo4j for the graph (Waymark's
# `graph-server`), and two Waymark replicas sharing both (one leads, one follows; see README,
# "Several replicas"). For trying failover by hand; ReplicasTest runs the same topology in the suite.
#
#   scripts/cluster.sh up   [DIR]   start everything under DIR (default /tmp/waymark-cluster) and print where
#   scripts/cluster.sh down [DIR]   stop the replicas, Neo4j and PostgreSQL
#   scripts/cluster.sh status [DIR] each replica's /health
#
# Needs java 17, the built jar (mvn -q -DskipTests package; or JAR=…) and Debian's postgresql
# package (installed with apt-get when missing and running as root). Ports: PG_PORT (55432),
# BOLT_PORT (7688), REPLICA_PORTS ("5101 5102").
set -euo pipefail
ACTION=${1:-}
DIR=$(realpath -m "${2:-/tmp/waymark-cluster}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR:-$ROOT/catalog-server/target/waymark.jar}
PG_PORT=${PG_PORT:-55432}
BOLT_PORT=${BOLT_PORT:-7688}
REPLICA_PORTS=${REPLICA_PORTS:-"5101 5102"}

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
