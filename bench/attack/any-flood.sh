#!/usr/bin/env bash
# Reflection under a flood of ANY queries, on loopback: bytes in, bytes out (the amplification
# factor) and the reflected rate, for the server before response-rate limiting and minimal ANY
# (BEFORE_REV, the commit branch i9-rrl started from) and after (this working tree), under the same
# flood. The flood is io.wayfinder.bench.AnyFlood (bench module): ANY for the zone apex with EDNS
# (4,096-byte buffer), at RATE queries a second for SECONDS, in two shapes:
#   - one victim: every query from 127.0.0.2, as when an attacker forges one victim's address;
#   - spread: round-robin over SOURCES addresses in SOURCES different /24s (127.a.b.1), as a flood
#     reflected at many networks at once, each below the per-network limit.
# Loopback cannot forge source addresses without raw sockets; every 127/8 address is a real local
# address on Linux, so each source is a socket bound to its own address. Everything stays on 127/8.
#
#   bench/attack/any-flood.sh                 # before and after, 40,000 q/s for 10 s each
#   RATE=20000 SECONDS_EACH=5 bench/attack/any-flood.sh
#   ONLY=after bench/attack/any-flood.sh      # just this tree
#   RATE_LIMIT="{responsesPerSecond: 0}" ONLY=after bench/attack/any-flood.sh   # minimal ANY alone
#
# Environment: BEFORE_REV (default cc6690d), RATE (40000), SECONDS_EACH (10), SOURCES (1000),
# PORT (15453), SERVER_JAVA_OPTS (-Xmx512m), THREADS (server event loops, default: cores),
# RATE_LIMIT (YAML flow mapping for dns.rateLimit; default: none, the server's defaults),
# KEEP_TMP=1 (keep the temp dir with configurations and server logs).
# Writes the raw lines to bench/results/any-flood-<date>/ (git-ignored) and prints a Markdown table.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BEFORE_REV="${BEFORE_REV:-cc6690d}"
RATE="${RATE:-40000}"
SECONDS_EACH="${SECONDS_EACH:-10}"
SOURCES="${SOURCES:-1000}"
PORT="${PORT:-15453}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xmx512m}"
THREADS="${THREADS:-$(nproc)}"
RATE_LIMIT="${RATE_LIMIT:-}"
ONLY="${ONLY:-}"
JAR_NAME=wayfinder-0.1.0-SNAPSHOT-all.jar

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

TMP="$(mktemp -d /tmp/any-flood.XXXXXX)"
OUT="$ROOT/bench/results/any-flood-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- jars
log "building this tree (server and bench jars, tests skipped)"
(cd "$ROOT" && mvn -B -q -pl bench -am -Dmaven.test.skip=true package) > "$OUT/build-after.log" 2>&1 \
    || { tail -30 "$OUT/build-after.log" >&2; die "build failed"; }
cp "$ROOT/server/target/$JAR_NAME" "$TMP/after.jar"
cp "$ROOT/bench/target/benchmarks.jar" "$TMP/flood.jar"
if [ "$ONLY" != after ]; then
    log "building $BEFORE_REV (git archive into a temp dir)"
    mkdir -p "$TMP/before-src"
    git -C "$ROOT" archive "$BEFORE_REV" | tar -x -C "$TMP/before-src"
    (cd "$TMP/before-src" && mvn -B -q -pl server -am -Dmaven.test.skip=true package) > "$OUT/build-before.log" 2>&1 \
        || { tail -30 "$OUT/build-before.log" >&2; die "build of $BEFORE_REV failed"; }
    cp "$TMP/before-src/server/target/$JAR_NAME" "$TMP/before.jar"
fi
{ echo "HEAD $(git -C "$ROOT" rev-parse --short HEAD) ($(git -C "$ROOT" status --porcelain -- server/src/main | wc -l) changed paths in server/src/main)";
  echo "before $BEFORE_REV"; echo "rate $RATE seconds $SECONDS_EACH sources $SOURCES threads $THREADS"; uptime; } > "$OUT/setup.txt"

# ---------------------------------------------------------------- the zone under attack
config() {
    cat <<YAML
dns:
  listen: ["127.0.0.1:$PORT"]
$( [ -n "$RATE_LIMIT" ] && echo "  rateLimit: $RATE_LIMIT" )
zones:
  - name: flood.test
    nameservers:
      - {name: ns1.flood.test, addresses: [127.0.0.1, "::1"]}
      - {name: ns2.flood.test, addresses: [127.0.0.1, "::1"]}
      - ns1.dns-provider.example.net
      - ns2.dns-provider.example.net
    hostmaster: hostmaster.flood.test
profiles:
  - name: web
    trafficRoutingMethod: Priority
    dnsConfig: {relativeName: www, ttl: 30}
    endpoints:
      - {name: primary, target: 192.0.2.10}
      - {name: secondary, target: 192.0.2.11}
YAML
}

run_server() { # label
    config > "$TMP/$1.yaml"
    java $SERVER_JAVA_OPTS -jar "$TMP/$1.jar" serve --config "$TMP/$1.yaml" --threads "$THREADS" > "$TMP/$1-server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        if java -cp "$TMP/flood.jar" io.wayfinder.bench.AnyFlood --server "127.0.0.1:$PORT" --name flood.test --probe 2>/dev/null; then
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/$1-server.log" >&2; die "server $1 exited"; }
        sleep 0.3
    done
    die "server $1 does not answer"
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

flood() { # label sources
    echo "$1 sources=$2 $(uptime)" >> "$OUT/load.txt"
    java -cp "$TMP/flood.jar" io.wayfinder.bench.AnyFlood --server "127.0.0.1:$PORT" --name flood.test \
        --rate "$RATE" --seconds "$SECONDS_EACH" --sources "$2" | tee -a "$OUT/$1.txt"
}

labels=(before after)
[ "$ONLY" = after ] && labels=(after)
for label in "${labels[@]}"; do
    log "$label: starting the server"
    run_server "$label"
    dig_line=$(java -cp "$TMP/flood.jar" io.wayfinder.bench.AnyFlood --server "127.0.0.1:$PORT" --name flood.test \
        --rate 1 --seconds 1 --sources 1 | sed 's/.*largest=\([0-9]*\).*/\1/')
    log "$label: one ANY answer is $dig_line bytes"
    log "$label: one victim, $RATE q/s for $SECONDS_EACH s"
    flood "$label" 1 >&2
    log "$label: spread over $SOURCES networks"
    flood "$label" "$SOURCES" >&2
    cp "$TMP/$label-server.log" "$OUT/"
    stop_server
done

# ---------------------------------------------------------------- table
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }
echo
echo "| server | flood | sent q/s | in Mbit/s | reflected answers/s | of which TC | reflected Mbit/s | amplification (payload) | with IP+UDP headers |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for label in "${labels[@]}"; do
    while read -r line; do
        shape="one victim"; [ "$(field "$line" sources)" != 1 ] && shape="$(field "$line" sources) networks"
        seconds=$(field "$line" seconds)
        tc=$(field "$line" truncated)
        printf '| %s | %s | %s | %s | %s | %s | %s | %sx | %sx |\n' "$label" "$shape" "$(field "$line" sent_per_s)" \
            "$(field "$line" in_mbit_s)" "$(field "$line" reflected_per_s)" "$(awk -v t="$tc" -v s="$seconds" 'BEGIN { printf "%.0f", t / s }')" \
            "$(field "$line" reflected_mbit_s)" "$(field "$line" amplification)" "$(field "$line" amplification_with_headers)"
    done < "$OUT/$label.txt"
done
log "raw lines in $OUT; load averages before each flood:"
cat "$OUT/load.txt" >&2
