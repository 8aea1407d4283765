# Sourced by the benchmark scripts: starts a fresh Waymark (embedded Neo4j + SQLite) on $PORT with
# $HEAP in $DATA/data, stops it on exit, and waits until it answers /health.
[[ -f catalog-server/target/waymark.jar ]] || mvn -q -DskipTests package
# The admin token the server is started with; every curl call of a script that sources this file
# sends it, and LoadGen gets it through "${LOADGEN_AUTH[@]}".
export WAYMARK_ADMIN_TOKEN=${WAYMARK_ADMIN_TOKEN:-wm_bench-admin-not-secret}
curl() { command curl -H "Authorization: Bearer $WAYMARK_ADMIN_TOKEN" "$@"; }
LOADGEN_AUTH=(--header "Authorization: Bearer $WAYMARK_ADMIN_TOKEN")
# SERVER_OPTS: extra JVM options, e.g. -Dlogger.levels.io.waymark.catalog.compliance=DEBUG for the round breakdown.
java -Xms$HEAP -Xmx$HEAP ${SERVER_OPTS:-} -jar catalog-server/target/waymark.jar serve --port "$PORT" --data-dir "$DATA/data" > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
until curl -sf "$URL/health" > /dev/null; do sleep 0.5; kill -0 $SERVER || { cat "$DATA/server.log"; exit 1; }; done
