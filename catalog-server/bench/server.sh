# Sourced by the benchmark scripts: starts a fresh Waymark (embedded Neo4j + SQLite) on $PORT with
# $HEAP in $DATA/data, stops it on exit, and waits until it answers /health. With
# SERVER_FUNCTIONS_ONLY=1 it only defines start_waymark/stop_waymark (all.sh starts several).
[[ -f catalog-server/target/waymark.jar ]] || mvn -q -DskipTests package
# The admin token the server is started with; every curl call of a script that sources this file
# sends it, and LoadGen gets it through "${LOADGEN_AUTH[@]}".
export WAYMARK_ADMIN_TOKEN=${WAYMARK_ADMIN_TOKEN:-wm_bench-admin-not-secret}
curl() { command curl -H "Authorization: Bearer $WAYMARK_ADMIN_TOKEN" "$@"; }
LOADGEN_AUTH=(--header "Authorization: Bearer $WAYMARK_ADMIN_TOKEN")
# start_waymark <data dir> [JVM options...]: SERVER_OPTS adds more, e.g.
# -Dlogger.levels.io.waymark.catalog.compliance=DEBUG for the round breakdown.
start_waymark() {
  local data=$1; shift
  java -Xms$HEAP -Xmx$HEAP ${SERVER_OPTS:-} "$@" -jar catalog-server/target/waymark.jar serve --port "$PORT" --data-dir "$data" > "$data.log" 2>&1 &
  SERVER=$!
  until curl -sf "$URL/health" > /dev/null; do sleep 0.5; kill -0 $SERVER || { cat "$data.log"; exit 1; }; done
}
# Also the EXIT trap, under set -e: a server already stopped must not fail the script.
stop_waymark() {
  if [[ -n ${SERVER:-} ]]; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
}
trap stop_waymark EXIT
if [[ -z ${SERVER_FUNCTIONS_ONLY:-} ]]; then
  start_waymark "$DATA/data"
fi
