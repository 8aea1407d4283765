#!/usr/bin/env bash
# Overhead of the lineage agent on a JDBC job: the end-to-end tests' ETL job on SQLite plus 10,000
# single-row INSERT statements with literal values, run ROUNDS times without and with the agent
# (alternating, against a running Waymark), in two shapes: every statement its own transaction
# (autocommit, each one an fsync) and all in one transaction. Appends medians to BENCHMARKS.md.
#
#   lineage-agent/bench/agent.sh
#   ROUNDS=3 STATEMENTS=2000 lineage-agent/bench/agent.sh     # quick run
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-7}
STATEMENTS=${STATEMENTS:-10000}
PORT=${PORT:-5081}
HEAP=${HEAP:-1g}
URL=http://127.0.0.1:$PORT
DATA=$(mktemp -d /tmp/waymark-agent-bench.XXXXXX)
[[ -f lineage-agent/target/waymark-agent.jar && -d lineage-agent/target/test-classes ]] || mvn -q -DskipTests package
[[ -d lineage-agent/target/host-libs ]] || mvn -q -pl lineage-agent dependency:copy-dependencies \
  -DincludeArtifactIds=sqlite-jdbc -DoutputDirectory=target/host-libs
source catalog-server/bench/server.sh

CP=lineage-agent/target/test-classes:$(ls lineage-agent/target/host-libs/sqlite-jdbc-*.jar)
AGENT=lineage-agent/target/waymark-agent.jar
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
one() {  # mode label agent? -> prints ms
  local db="$DATA/$2-$RANDOM.db" t0 t1
  t0=$(date +%s%N)
  if [[ $3 == yes ]]; then
    java -javaagent:$AGENT=url=$URL,token=$WAYMARK_ADMIN_TOKEN,namespace=bench_agent,job=etl_$2,spool=$DATA/spool -cp "$CP" io.waymark.agent.it.EtlJob "$db" statements=$STATEMENTS $1 > /dev/null
  else
    java -cp "$CP" io.waymark.agent.it.EtlJob "$db" statements=$STATEMENTS $1 > /dev/null
  fi
  t1=$(date +%s%N)
  rm -f "$db"
  ms "$t0" "$t1"
}
declare -A RESULTS
for shape in autocommit transaction; do
  mode=$([[ $shape == autocommit ]] && echo autocommit || echo "")
  one "$mode" warm yes > /dev/null; one "$mode" warm no > /dev/null   # warm the page cache and the server
  plain=(); agent=()
  for ((i = 0; i < ROUNDS; i++)); do
    plain+=("$(one "$mode" "$shape" no)")
    agent+=("$(one "$mode" "$shape" yes)")
  done
  p=$(median "${plain[@]}"); a=$(median "${agent[@]}")
  RESULTS[$shape]="| $shape | $(printf '%s ' "${plain[@]}")| $(printf '%s ' "${agent[@]}")| $p | $a | $(echo "scale=1; ($a - $p) * 100 / $p" | bc)% |"
done
DEBUG=$(java -javaagent:$AGENT=url=$URL,token=$WAYMARK_ADMIN_TOKEN,namespace=bench_agent,job=etl_debug,spool=$DATA/spool,debug=true -cp "$CP" \
  io.waymark.agent.it.EtlJob "$DATA/debug.db" 2>&1 >/dev/null | sed 's/\[waymark-agent\] //' | tr '\n' ';' | sed 's/;$//')
{
  echo
  echo "### Lineage agent overhead — $(date -u +%Y-%m-%dT%H:%MZ) — $(nproc) cores, $(java -version 2>&1 | head -1)"
  echo
  echo "Command: \`lineage-agent/bench/agent.sh\` (ROUNDS=$ROUNDS). The end-to-end tests' ETL job on SQLite (three CREATE TABLE,"
  echo "250 prepared inserts, INSERT … SELECT with a join and aggregates, CTAS) plus $STATEMENTS single-row INSERTs with literal"
  echo "values through \`Statement.executeUpdate\`; without and with \`-javaagent\` posting to a running Waymark. Wall time of the whole JVM, ms."
  echo
  echo "| shape | without agent, each run | with agent, each run | median without | median with | overhead |"
  echo "|---|---|---|---|---|---|"
  echo "${RESULTS[autocommit]}"
  echo "${RESULTS[transaction]}"
  echo
  echo "Agent's own timings on one run (debug=true): $DEBUG."
} | tee -a BENCHMARKS.md
