#!/usr/bin/env bash
# Start-up and reload of a large latency table, on loopback: how long `wayfinder serve` takes from
# exec to its first answer with a PREFIXES-prefix table (default 1,000,000 /24s x 4 regions), its RSS
# peak, and what a reload of the table (the CSV replaced by a rename) does to query latency under a
# steady, moderate load (io.wayfinder.bench.ReloadLoad: RATE q/s of ECS queries across the table).
#
#   bench/reload/run.sh                      # build, then one start-up and one reload
#   SKIP_BUILD=1 bench/reload/run.sh         # reuse server/target and bench/target
#   WAYFINDER_JAVA_OPTS="-Xmx2g" bench/reload/run.sh
#   LAUNCHER_DEFAULTS=0 WAYFINDER_JAR=old.jar bench/reload/run.sh   # without bin/wayfinder's JVM defaults
#
# Knobs (environment): PREFIXES (1000000), RATE (5000 q/s), WARMUP (10 s of load, not counted),
# RELOADS (3: the tables alternate), IDLE (20 s measured before each reload), AFTER (20 s measured
# after the last), PORT (15450; the next free
# one from there), WAYFINDER_JAR (measure that jar instead of server/target's), SCHED (1: record
# `perf sched` for 3 s of each idle window and over each reload, then print with
# bench/reload/sched_waits.py how long the query threads waited for a core and behind what; needs
# perf and root), PIN (1: the server on core 1 and the load generator on core 0, with taskset, as
# bench/dnsperf/run.sh pins them: a client on another machine does not wait for the server's cores;
# the server keeps G1, which the JVM would otherwise trade for the serial collector on one core).
# The tables are generated once per size into bench/results/reload-data-<PREFIXES>/ (two tables with
# the same prefixes and other figures, as bench/dnsperf/run.sh generates them). The server runs with
# -Xlog:gc into the results, so the pauses during the reload can be read next to the latencies, and
# -Xlog:safepoint with wall-clock times (safepoints.log), which bench/reload/attribute.py matches to
# answers.txt: how many of the slow answers were in flight while the JVM was stopped.
# Writes bench/results/reload-<date>/ (git-ignored): load.txt (one line a second: wall ms, second,
# sent, received, p50/p99/max ms), answers.txt, server.log, gc.log, safepoints.log, summary.md; prints the summary.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/bench-profile.sh
source "$ROOT/bench/lib/bench-profile.sh"
cd "$ROOT"
PREFIXES="${PREFIXES:-1000000}"
RATE="${RATE:-5000}"
WARMUP="${WARMUP:-10}"
IDLE="${IDLE:-20}"
AFTER="${AFTER:-20}"
RELOADS="${RELOADS:-3}"
PORT="${PORT:-15450}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }

STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="bench/results/reload-$STAMP"
DATA="bench/results/reload-data-$PREFIXES"
mkdir -p "$OUT" "$DATA"
TMP="$(mktemp -d /tmp/wayfinder-reload.XXXXXX)"
SERVER_PID=""; LOAD_PID=""
cleanup() {
    local rc=$?
    for pid in $LOAD_PID $SERVER_PID; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in $LOAD_PID $SERVER_PID; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
    [ $rc -eq 0 ] || log "failed (exit $rc); outputs so far in $OUT"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- jars (private copies)
if [ "${SKIP_BUILD:-0}" != 1 ] && [ -z "${WAYFINDER_JAR:-}" ]; then
    log "building server and bench (mvn package, tests skipped)"
    mvn -B -q -o -Dstyle.color=never -pl bench -am -Dmaven.test.skip=true package > "$OUT/build.log" 2>&1 \
        || { tail -30 "$OUT/build.log" >&2; die "build failed"; }
fi
cp "${WAYFINDER_JAR:-server/target/wayfinder-0.1.0-SNAPSHOT-all.jar}" "$TMP/wf.jar"
cp bench/target/benchmarks.jar "$TMP/bench.jar"

# ---------------------------------------------------------------- data (deterministic, cached)
# The generator of bench/dnsperf/run.sh: PREFIXES distinct /24s, four regions, a home region plus
# noise from a Park-Miller generator. SEED changes the figures only: table 2 is a reload of table 1.
gen() { # seed file
    awk -v n="$PREFIXES" -v seed="$1" -v csv="$2" 'BEGIN {
        split("westeurope northeurope eastus southeastasia", reg, " ")
        d[1,1]=6;   d[1,2]=16;  d[1,3]=85;  d[1,4]=160
        d[2,1]=16;  d[2,2]=6;   d[2,3]=75;  d[2,4]=175
        d[3,1]=85;  d[3,2]=75;  d[3,3]=6;   d[3,4]=230
        d[4,1]=160; d[4,2]=175; d[4,3]=230; d[4,4]=6
        x = seed
        print "# synthetic, deterministic (bench/reload/run.sh)" > csv
        print "prefix,region,rtt_ms,samples" > csv
        count = 0
        for (i = 0; count < n; i++) {
            p = (i * 11400713 + 5023) % 16777216
            a = int(p / 65536); b = int(p / 256) % 256; c = p % 256
            if (a == 0 || a == 10 || a == 127 || a >= 224) continue
            count++
            pre = a "." b "." c ".0/24"
            x = (16807 * x) % 2147483647; h = 1 + int(x / 2147483647 * 4)
            for (j = 1; j <= 4; j++) {
                x = (16807 * x) % 2147483647
                printf "%s,%s,%.1f,100\n", pre, reg[j], int((d[h,j] + x / 2147483647 * 40) * 10 + 0.5) / 10 > csv
            }
        }
    }'
}
for s in 1 2; do
    if [ ! -s "$DATA/latency-$s.csv" ]; then
        log "generating table $s: $PREFIXES /24 prefixes x 4 regions"
        gen $((20240917 + s)) "$DATA/latency-$s.csv.tmp" && mv "$DATA/latency-$s.csv.tmp" "$DATA/latency-$s.csv"
    fi
done
# Two tables in the temp dir; a reload hard-links the other one to latency.next and renames that
# over latency.csv (a rename: the watcher loads it at once, without a quiet period).
cp "$DATA/latency-1.csv" "$TMP/table-1.csv"
cp "$DATA/latency-2.csv" "$TMP/table-2.csv"
ln -f "$TMP/table-1.csv" "$TMP/latency.csv"

# The JVM options bin/wayfinder adds on this machine (LAUNCHER_DEFAULTS=0: none, as the launcher had
# none before them): its lines from default_java_opts= to exec, evaluated, so that the options it
# adds only where the kernel offers them (transparent huge pages) are the ones it would add here.
LAUNCHER_OPTS=""
[ "${LAUNCHER_DEFAULTS:-1}" = 0 ] || LAUNCHER_OPTS="$(sed -n '/^default_java_opts=/,/^exec /{/^exec /d;p}' bin/wayfinder \
    | bash -c 'eval "$(cat)"; printf %s "$default_java_opts"')"

port_free() { ! ss -Hlnu "( sport = :$1 )" | grep -q .; }
while ! port_free "$PORT"; do PORT=$((PORT + 1)); done
bench_profile_config "$PORT" "$TMP/latency.csv" 192.0.2.11 192.0.2.12 192.0.2.13 192.0.2.14 > "$TMP/wayfinder.yaml"

{
    echo "commit $(git rev-parse --short HEAD) ($(git status --porcelain -- server/src/main | wc -l) changed paths in server/src/main)"
    echo "jar: ${WAYFINDER_JAR:-server/target}; launcher defaults: ${LAUNCHER_OPTS:-none}; WAYFINDER_JAVA_OPTS=${WAYFINDER_JAVA_OPTS:-}; PIN=${PIN:-0}"
    echo "$(java -version 2>&1 | head -1); $(nproc) cpus; $(free -g | awk '/Mem:/ { print $2 " GiB RAM" }')"
} > "$OUT/setup.txt"

# ---------------------------------------------------------------- start-up
LOAD_UPTIME_START="$(uptime)"
log "starting wayfinder serve with $PREFIXES prefixes on 127.0.0.1:$PORT ($LOAD_UPTIME_START)"
t0=$(now_ms)
# shellcheck disable=SC2086
SERVER_PIN=(); LOAD_PIN=()
if [ "${PIN:-0}" = 1 ]; then
    SERVER_PIN=(taskset -c 1); LOAD_PIN=(taskset -c 0)
    WAYFINDER_JAVA_OPTS="-XX:+UseG1GC ${WAYFINDER_JAVA_OPTS:-}"
fi
"${SERVER_PIN[@]}" java $LAUNCHER_OPTS ${WAYFINDER_JAVA_OPTS:-} -Xlog:gc*:file="$OUT/gc.log":uptime,level,tags \
    -Xlog:safepoint:file="$OUT/safepoints.log":utctime,level,tags -jar "$TMP/wf.jar" \
    serve --config "$TMP/wayfinder.yaml" > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
ready=$(java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$TMP/bench.jar" io.wayfinder.bench.ReloadLoad \
    --port "$PORT" --wait-ready-ms 300000) || die "no answer within 300 s; see $OUT/server.log"
STARTUP_MS=$((ready - t0))
STARTUP_HWM_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")
log "first answer after $STARTUP_MS ms; RSS peak so far $((STARTUP_HWM_KB / 1024)) MiB"

# ---------------------------------------------------------------- load, idle, reload, after
"${LOAD_PIN[@]}" java -Xmx256m -XX:+UseSerialGC -cp "$TMP/bench.jar" io.wayfinder.bench.ReloadLoad --port "$PORT" \
    --csv "$TMP/latency.csv" --rate "$RATE" --seconds 600 --stop-file "$TMP/stop" --raw "$OUT/answers.txt" > "$OUT/load.txt" 2>&1 &
LOAD_PID=$!
sleep "$WARMUP"
T_RELOAD=(); T_DONE=(); UPTIME_RELOAD=()
SCHED_PID=""
sched_start() { # file
    perf sched record -a -o "$1" > /dev/null 2>&1 &
    SCHED_PID=$!
    sleep 0.5 # perf is recording before anything it should see
}
SCHED_FILES=()
sched_stop() { # file label: read once the load has stopped, so that perf's own work lands in no window
    kill -INT "$SCHED_PID" 2>/dev/null || true
    wait "$SCHED_PID" 2>/dev/null || true
    SCHED_FILES+=("$1|$2")
}
for k in $(seq "$RELOADS"); do
    if [ "${SCHED:-0}" = 1 ]; then
        sleep $((IDLE - 4))
        sched_start "$OUT/sched-idle-$k.data"
        sleep 3
        sched_stop "$OUT/sched-idle-$k.data" "reload $k, 3 s idle before it"
        sleep 0.5
        sched_start "$OUT/sched-reload-$k.data"
    else
        sleep "$IDLE"
    fi
    UPTIME_RELOAD+=("$(uptime)")
    applied_before=$(grep -c ': applied' "$OUT/server.log" || true)
    log "reload $k: renaming table $((k % 2 + 1)) over latency.csv (${UPTIME_RELOAD[-1]})"
    ln -f "$TMP/table-$((k % 2 + 1)).csv" "$TMP/latency.next"
    t_reload=$(now_ms)
    mv "$TMP/latency.next" "$TMP/latency.csv"
    for _ in $(seq 1200); do
        [ "$(grep -c ': applied' "$OUT/server.log" || true)" -gt "$applied_before" ] && break
        grep -q 'rejected\|could not be' "$OUT/server.log" && die "the reload failed; see $OUT/server.log"
        sleep 0.1
    done
    line=$(grep ': applied' "$OUT/server.log" | tail -1)
    [ "$(grep -c ': applied' "$OUT/server.log" || true)" -gt "$applied_before" ] || die "no reload within 120 s"
    t_done=$(date -d "$(awk '{ print $1 }' <<<"$line")" +%s%3N)
    T_RELOAD+=("$t_reload"); T_DONE+=("$t_done")
    if [ "${SCHED:-0}" = 1 ]; then
        sleep 1
        sched_stop "$OUT/sched-reload-$k.data" "reload $k, from the rename to 1 s after applied"
    fi
    log "reload $k applied after $((t_done - t_reload)) ms; server: $(grep -o 'reloaded in .*' "$OUT/server.log" | tail -1)"
done
sleep "$AFTER"
touch "$TMP/stop"
wait "$LOAD_PID" || true
LOAD_PID=""
END_HWM_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")
for f in "${SCHED_FILES[@]}"; do
    perf sched timehist -i "${f%%|*}" > "${f%%|*}.txt" 2>/dev/null && rm -f "${f%%|*}"
    python3 bench/reload/sched_waits.py "${f%%|*}.txt" "$SERVER_PID" "${f#*|}" >> "$OUT/sched.md"
done
LOAD_UPTIME_END="$(uptime)"

# GC pauses (G1 "Pause ..." lines) between two JVM uptimes (s); the JVM started at t0, near enough.
gc_pauses() { # from_uptime_s to_uptime_s
    awk -v a="$1" -v b="$2" '/Pause/ && /ms$/ { t = $1; gsub(/[\[\]s]/, "", t); if (t + 0 >= a && t + 0 <= b) {
        ms = $NF; sub(/ms/, "", ms); n++; sum += ms; if (ms + 0 > mx) mx = ms + 0 } }
        END { printf "%d, %.0f ms, %.1f ms", n, sum, mx }' "$OUT/gc.log"
}
uptime_s() { awk -v t="$1" -v t0="$t0" 'BEGIN { printf "%.3f", (t - t0) / 1000 }'; }

# ---------------------------------------------------------------- summary
# A second counts as "during the reload" when it overlaps [rename, applied + 1 s] (late answers land
# in the second after); "idle" is the IDLE seconds before the rename; "after", the rest.
# Percentiles over every answer received in [from_ms, to_ms) (answers.txt: receive ms, latency us),
# and the worst second's p99 (load.txt) among the seconds that overlap the window.
window() { # from_ms to_ms
    local exact worst
    exact=$(awk -v a="$1" -v b="$2" '$1 >= a && $1 < b { print $2 }' "$OUT/answers.txt" | sort -n | awk '{ v[NR] = $1 }
        function at(q,   i) { i = int(NR * q + 0.999999); if (i < 1) i = 1; return v[i] / 1000 }
        END { if (NR == 0) { print "- | - | - | - | 0"; exit }
              printf "%.3f ms | %.3f ms | %.2f ms | %.1f ms | %d", at(0.5), at(0.99), at(0.999), v[NR] / 1000, NR }')
    worst=$(awk -v a="$1" -v b="$2" '!/^#/ && $1 > a && $1 - 1000 < b { if ($6 > w) w = $6 } END { printf "%.3f ms", w }' "$OUT/load.txt")
    echo "$exact | $worst |"
}
{
    echo "## Start-up and reload, $PREFIXES prefixes x 4 regions, $(date -Is)"
    echo
    sed 's/^/    /' "$OUT/setup.txt"
    echo
    echo "- Start-up (exec to first answer): **$STARTUP_MS ms**; RSS peak until then: **$((STARTUP_HWM_KB / 1024)) MiB** (VmHWM); load: \`$LOAD_UPTIME_START\`"
    echo "- RSS peak by the end (after $RELOADS reloads): $((END_HWM_KB / 1024)) MiB; load at the end: \`$LOAD_UPTIME_END\`"
    echo
    echo "Query latency at $RATE q/s, per reload: the $IDLE s before it (idle) and the reload itself (rename to the"
    echo "log line \`configuration ...: applied\`, + 1 s for late answers). Percentiles over every answer received in"
    echo "the window; the worst second's p99 beside them. GC: G1 pauses in the window (count, sum, longest)."
    echo
    echo "| Reload | Window | load (1 min) | reload ms | p50 | p99 | p99.9 | max | answers | p99, worst second | GC pauses |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    for i in "${!T_RELOAD[@]}"; do
        tr=${T_RELOAD[$i]}; td=${T_DONE[$i]}; load=$(awk -F'load average: ' '{ split($2, a, ","); print a[1] }' <<<"${UPTIME_RELOAD[$i]}")
        echo "| $((i + 1)) | idle | $load | | $(window $((tr - IDLE * 1000)) $((tr - 1000))) $(gc_pauses "$(uptime_s $((tr - IDLE * 1000)))" "$(uptime_s "$tr")") |"
        echo "| $((i + 1)) | reload | $load | $((td - tr)) | $(window "$tr" $((td + 1000))) $(gc_pauses "$(uptime_s "$tr")" "$(uptime_s $((td + 1000)))") |"
    done
    td=${T_DONE[-1]}
    echo "| | after the last | | | $(window $((td + 2000)) $((td + AFTER * 1000))) $(gc_pauses "$(uptime_s $((td + 2000)))" "$(uptime_s $((td + AFTER * 1000)))") |"
    echo
    echo "The server's own figures (load + apply, from its log; not in builds before this line was added):"
    grep -o 'reloaded in .*' "$OUT/server.log" | sed 's/^/    /' || echo "    (none)"
    if [ -s "$OUT/sched.md" ]; then
        echo
        echo "Scheduling delays of the query threads (perf sched; bench/reload/sched_waits.py):"
        sed 's/^/    /' "$OUT/sched.md"
    fi
} > "$OUT/summary.md"
cat "$OUT/summary.md"
echo
echo "outputs: $OUT"
