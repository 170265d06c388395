# Shared by bench/attack/*.sh (sourced): build or pick the server jar, start Wayfinder on free
# loopback ports with a one-profile configuration, wait until it answers, stop it at exit.
#
# Environment: WAYFINDER_JAR (a server jar to run instead of building this tree, e.g. one built
# from an older commit), SERVER_JAVA_OPTS (the server's JVM options; default below), TCP_SETTINGS
# (YAML flow mapping for dns.tcp, e.g. "{maxConnectionsPerAddress: 64}"; default: none, the
# server's defaults), KEEP_TMP=1 (keep the temp dir with the configuration and the server log).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# A heap and a direct-memory cap, as a production deployment sets them: without caps a never-read
# client can take gigabytes of a shared machine before anything else gives.
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xmx1g -XX:MaxDirectMemorySize=256m}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

server_jar() {
    if [ -n "${WAYFINDER_JAR:-}" ]; then
        [ -f "$WAYFINDER_JAR" ] || die "WAYFINDER_JAR=$WAYFINDER_JAR: no such file"
        JAR="$WAYFINDER_JAR"
        return
    fi
    log "building the server jar (mvn package, tests skipped)"
    (cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl server -am -Dmaven.test.skip=true package) >&2
    JAR="$(ls "$ROOT"/server/target/wayfinder-*-all.jar | head -1)"
}

# start_server: sets TMP, DNS_PORT, METRICS_PORT, SERVER_PID, SERVER_LOG
start_server() {
    server_jar
    TMP="$(mktemp -d /tmp/wayfinder-attack.XXXXXX)"
    cp "$JAR" "$TMP/wayfinder.jar" # a rebuild cannot pull the jar from under the run
    DNS_PORT="$(free_port)"
    METRICS_PORT="$(free_port)"
    local tcp=""
    if [ -n "${TCP_SETTINGS:-}" ]; then tcp="  tcp: $TCP_SETTINGS"; fi
    cat >"$TMP/wayfinder.yaml" <<EOF
dns:
  listen: ["127.0.0.1:$DNS_PORT"]
$tcp
metrics:
  listen: "127.0.0.1:$METRICS_PORT"
zones:
  - name: attack.test
    nameservers:
      - {name: ns1.attack.test, addresses: [127.0.0.1]}
profiles:
  - name: www
    trafficRoutingMethod: Priority
    dnsConfig: {relativeName: www, ttl: 30}
    endpoints:
      - {name: only, target: 192.0.2.1}
EOF
    SERVER_LOG="$TMP/server.log"
    # shellcheck disable=SC2086
    java $SERVER_JAVA_OPTS -jar "$TMP/wayfinder.jar" serve --config "$TMP/wayfinder.yaml" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    trap stop_server EXIT
    for _ in $(seq 1 100); do
        if python3 -c "
import sys; sys.path.insert(0, '$ROOT/bench/attack'); import attack
sys.exit(0 if attack.ask_udp(('127.0.0.1', $DNS_PORT), 1, 0.2) else 1)" 2>/dev/null; then
            log "server pid $SERVER_PID answering on 127.0.0.1:$DNS_PORT (java $SERVER_JAVA_OPTS; ${TCP_SETTINGS:+dns.tcp $TCP_SETTINGS; }jar $(basename "$JAR"))"
            return
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "the server exited"; }
        sleep 0.2
    done
    cat "$SERVER_LOG" >&2
    die "the server did not answer within 20 s"
}

stop_server() {
    if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "${TMP:-}" ]; then
        if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    fi
}

# What the server said and counted: its WARN/ERROR lines (at most 10) and its wayfinder_dns_tcp_* metrics.
report_server() {
    echo
    echo "server log, WARN and ERROR lines ($(grep -cE 'WARN|ERROR|SEVERE' "$SERVER_LOG" || true) in all, first 10):"
    grep -E 'WARN|ERROR|SEVERE' "$SERVER_LOG" | head -10 | sed 's/^/    /' || true
    echo "server metrics (wayfinder_dns_tcp_*, NOERROR responses, listener errors):"
    curl -s --max-time 5 "http://127.0.0.1:$METRICS_PORT/metrics" \
        | grep -E '^wayfinder_dns_(tcp|listener_errors)|^wayfinder_dns_responses_total\{rcode="NOERROR"' \
        | sed 's/^/    /' || echo "    (none exported, or the endpoint did not answer within 5 s)"
}
