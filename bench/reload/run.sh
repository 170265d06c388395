#!/usr/bin/env bash
# Start-up and reload of a large latency table, on loopback: how long `wayfinder serve` takes from
# exec to its first answer with a PREFIXES-prefix table (default 1,000,000 /24s x 4 regions), its RSS
# peak, and what a reload of the table (the CSV replaced by a rename) does to query latency under a
# steady, moderate load (io.wayfinder.bench.ReloadLoad: RATE q/s of ECS queries across the table).
# LEARN=N (below): the same around the latency learner's rebuilds of N networks x 20 regions.
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
# CLIENT_RT (1: the load generator's sender and receiver threads at real-time priority, chrt -f 10; root):
# the answers' latency without the load generator's own waits for a core.
# PREHEAT (1: read the next table once at the start of each idle window, so that the reload finds it
# in the page cache: on a machine that pages out files left alone for a minute, as this VM's DAMON
# does, a long WARMUP leaves the tables partly on disk; it made no difference: bench/README "Twelfth look").
# The tables are generated once per size into bench/results/reload-data-<PREFIXES>/ (two tables with
# the same prefixes and other figures, as bench/dnsperf/run.sh generates them). The server runs with
# -Xlog:gc into the results, so the pauses during the reload can be read next to the latencies, and
# -Xlog:safepoint with wall-clock times (safepoints.log), which bench/reload/attribute.py matches to
# answers.txt: how many of the slow answers were in flight while the JVM was stopped.
# Writes bench/results/reload-<date>/ (git-ignored): load.txt (one line a second: wall ms, second,
# sent, received, p50/p99/max ms), answers.txt, server.log, gc.log, safepoints.log, summary.md; prints the summary.
#
# LEARN=N: the same load and windows around the latency learner's rebuilds instead of reloads.
#   LEARN=1000000 SKIP_BUILD=1 bench/reload/run.sh
#   LEARN=10000000 WAYFINDER_JAVA_OPTS="-Xmx10g" SCALE_HEAP=9g bench/reload/run.sh   # quiet machine only
# The learned state is LearnedScale's (server test sources; bench/learned/run.sh): the generated
# internet of N client /24s x 20 regions, one sample per measured pair, rebuilt once and checkpointed,
# made once per size into bench/results/learn-data/<N>/ (again when older than two days: the samples'
# half-life is a week; SCALE_HEAP, 9g, is that JVM's heap). The server restores that checkpoint
# (latency.learn, a Performance profile with an endpoint per region at 192.0.2.x, never probed;
# geolocation: the world's CSV), rebuilds once at its start (not measured: the load starts after it
# and its checkpoint), and the script asks for each measured rebuild through the API
# (POST /api/v1/latency/rebuild; the rebuild interval, a day, never comes), so that each has its IDLE
# seconds before it however long the rebuilds take. A rebuild has nothing new to fold in: the work of
# the README's "rebuild with nothing new". The queries' ECS /24s are drawn from the world's networks
# (the first 262,144 of LearnedScale's shuffled clients.bin). Per rebuild, the windows are the IDLE s
# before it, the rebuild (its start and end from the server's "latency learning: rebuilt in N ms"
# line, + 1 s) and the checkpoint written after it (to the checkpoint's rename, + 1 s). The server's
# heap: the launcher's default (a quarter of the RAM) or WAYFINDER_JAVA_OPTS; at 10 M, -Xmx10g.
# Writes bench/results/learn-<date>/, the same files.
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
LEARN="${LEARN:-0}"
if [ "$LEARN" = 0 ]; then
    MODE=reload; EVENT=reload; DONE=': applied'; FAILED='rejected\|could not be'; DONE_WAIT=120; LOAD_SECONDS=600
else
    MODE=learn; EVENT=rebuild; DONE='latency learning: rebuilt in'; FAILED='the rebuild failed'; DONE_WAIT=900; LOAD_SECONDS=1800
fi

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }

STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="bench/results/$MODE-$STAMP"
mkdir -p "$OUT"
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

# ---------------------------------------------------------------- data, reload (deterministic, cached)
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
reload_data() {
    DATA="bench/results/reload-data-$PREFIXES"
    mkdir -p "$DATA"
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
    LOAD_CSV="$TMP/latency.csv"
    SIZE="$PREFIXES prefixes x 4 regions"
    bench_profile_config "$PORT" "$TMP/latency.csv" 192.0.2.11 192.0.2.12 192.0.2.13 192.0.2.14 > "$TMP/wayfinder.yaml"
}

# ---------------------------------------------------------------- data, learn (LearnedScale, cached)
learn_data() {
    local dir="bench/results/learn-data/$LEARN" regions
    if [ ! -s "$dir/regions.txt" ] || [ -n "$(find "$dir/regions.txt" -mmin +2880)" ]; then
        log "generating the learned state: $LEARN networks x 20 regions (LearnedScale, -Xmx${SCALE_HEAP:-9g})"
        rm -f "$dir/regions.txt" # written before the checkpoint: present and fresh only once a run got that far
        mvn -B -q -o -Dstyle.color=never -pl server test-compile > "$OUT/scale-build.log" 2>&1 \
            || { tail -30 "$OUT/scale-build.log" >&2; die "test-compile failed"; }
        mvn -B -q -o -Dstyle.color=never -pl server dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/classpath.txt" \
            >> "$OUT/scale-build.log" 2>&1 || die "no class path; see $OUT/scale-build.log"
        java -Xmx"${SCALE_HEAP:-9g}" -cp "server/target/test-classes:server/target/classes:$(cat "$OUT/classpath.txt")" \
            io.wayfinder.quality.LearnedScale --out bench/results/learn-data --http 0 --first-only "$LEARN" \
            > "$OUT/scale.txt" 2> "$OUT/scale.log" || { tail -20 "$OUT/scale.log" >&2; die "LearnedScale failed"; }
        touch "$dir/regions.txt" # its age is the checkpoint's
    fi
    mkdir -p "$TMP/data"
    cp "$dir/latency-learning.checkpoint" "$TMP/data/"
    cp "$dir/geo.csv" "$TMP/geo.csv"
    # The queries' networks: the first 2^18 of the shuffled world, as prefixes (ReloadLoad's CSV).
    python3 - "$dir/clients.bin" "$TMP/clients.csv" <<'PY'
import struct
import sys
with open(sys.argv[1], "rb") as f, open(sys.argv[2], "w") as out:
    for (a,) in struct.iter_unpack(">I", f.read(4 << 18)):
        out.write(f"{a >> 24}.{a >> 16 & 255}.{a >> 8 & 255}.0/24,\n")
PY
    LOAD_CSV="$TMP/clients.csv"
    mapfile -t regions < "$dir/regions.txt"
    SIZE="$LEARN networks x ${#regions[@]} regions, learned"
    API_PORT=$((PORT + 1000))
    while ss -Hlnt "( sport = :$API_PORT )" | grep -q .; do API_PORT=$((API_PORT + 1)); done
    TOKEN="bench-learn-$STAMP-$RANDOM$RANDOM"
    bench_learned_config "$PORT" "$API_PORT" "$TOKEN" "$TMP/geo.csv" "$TMP/data" "${regions[@]}" > "$TMP/wayfinder.yaml"
}

# The JVM options bin/wayfinder adds on this machine (LAUNCHER_DEFAULTS=0: none, as the launcher had
# none before them).
source bench/lib/launcher-opts.sh
LAUNCHER_OPTS="$(launcher_opts)"

port_free() { ! ss -Hlnu "( sport = :$1 )" | grep -q .; }
while ! port_free "$PORT"; do PORT=$((PORT + 1)); done
if [ "$LEARN" = 0 ]; then reload_data; else learn_data; fi

{
    echo "commit $(git rev-parse --short HEAD) ($(git status --porcelain -- server/src/main | wc -l) changed paths in server/src/main)"
    echo "jar: ${WAYFINDER_JAR:-server/target}; launcher defaults: ${LAUNCHER_OPTS:-none}; WAYFINDER_JAVA_OPTS=${WAYFINDER_JAVA_OPTS:-}; PIN=${PIN:-0}; CLIENT_RT=${CLIENT_RT:-0}; LEARN=$LEARN"
    echo "$(java -version 2>&1 | head -1); $(nproc) cpus; $(free -g | awk '/Mem:/ { print $2 " GiB RAM" }')"
} > "$OUT/setup.txt"

# ---------------------------------------------------------------- start-up
LOAD_UPTIME_START="$(uptime)"
log "starting wayfinder serve with $SIZE on 127.0.0.1:$PORT ($LOAD_UPTIME_START)"
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
    --port "$PORT" --wait-ready-ms $((DONE_WAIT * 2500))) || die "no answer within $((DONE_WAIT * 5 / 2)) s; see $OUT/server.log"
STARTUP_MS=$((ready - t0))
STARTUP_HWM_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")
log "first answer after $STARTUP_MS ms; RSS peak so far $((STARTUP_HWM_KB / 1024)) MiB"

# ---------------------------------------------------------------- events: a reload, or a rebuild
# An event's end: one more DONE line in the server's log than before it (its time, that line's stamp).
# Polled every half second: the times come from the log, and a tighter loop's grep and bash took turns
# on a core from the query threads (perf sched, SCHED=1).
done_count() { grep -c "$DONE" "$OUT/server.log" || true; }
await_done() { # count_before
    for _ in $(seq $((DONE_WAIT * 2))); do
        [ "$(done_count)" -gt "$1" ] && return 0
        grep -q "$FAILED" "$OUT/server.log" && die "the $EVENT failed; see $OUT/server.log"
        sleep 0.5
    done
    die "nothing logged \"$DONE\" within $DONE_WAIT s"
}
line_ms() { date -d "$(awk '{ print $1 }' <<<"$1")" +%s%3N; }
# The checkpoint a rebuild writes after it: done when the file renamed over it is newer than the rebuild.
CHECKPOINT="$TMP/data/latency-learning.checkpoint"
await_checkpoint() { # after_ms; prints the rename's ms
    local at
    for _ in $(seq $((DONE_WAIT * 2))); do
        at=$(stat -c %.3Z "$CHECKPOINT" | tr -d .)
        [ "$at" -ge "$1" ] && [ ! -e "$CHECKPOINT.tmp" ] && { echo "$at"; return 0; }
        sleep 0.5
    done
    die "no checkpoint within $DONE_WAIT s of the rebuild"
}
# Asks the API for a rebuild (bash's /dev/tcp: no process starts beside the server); its answer, sent
# once the rebuilt table is served, goes to the file.
post_rebuild() { # answer_file
    exec 3<>"/dev/tcp/127.0.0.1/$API_PORT"
    printf 'POST /api/v1/latency/rebuild HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' \
        "$TOKEN" >&3
    cat <&3 > "$1" &
    exec 3<&-
}
if [ "$LEARN" != 0 ]; then
    # The rebuild every start asks for (the restored state's first table, not measured), and its checkpoint.
    await_done 0
    first=$(line_ms "$(grep "$DONE" "$OUT/server.log" | tail -1)")
    log "the start's rebuild done $((first - t0)) ms after exec; $(grep -o 'rebuilt in .*' "$OUT/server.log" | tail -1)"
    await_checkpoint "$first" > /dev/null
fi

# ---------------------------------------------------------------- load, idle, reload, after
"${LOAD_PIN[@]}" java -Xmx256m -XX:+UseSerialGC -cp "$TMP/bench.jar" io.wayfinder.bench.ReloadLoad --port "$PORT" \
    --csv "$LOAD_CSV" --rate "$RATE" --seconds "$LOAD_SECONDS" --stop-file "$TMP/stop" --raw "$OUT/answers.txt" > "$OUT/load.txt" 2>&1 &
LOAD_PID=$!
if [ "${CLIENT_RT:-0}" = 1 ]; then
    # The load generator's sender (its main thread, "java") and receiver at real-time priority: on these
    # two cores they otherwise wait for a core behind the build, the compiler and the collector, and
    # every answer they time then carries their own wait, which a client on another machine would not.
    sleep 1
    for task in /proc/"$LOAD_PID"/task/*; do
        case "$(cat "$task/comm" 2>/dev/null)" in
            java | receiver) chrt -f -p 10 "${task##*/}" > /dev/null || die "CLIENT_RT=1: chrt failed (needs root)" ;;
        esac
    done
fi
sleep "$WARMUP"
T_RELOAD=(); T_DONE=(); T_QUIET=(); UPTIME_RELOAD=()
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
    if [ "${PREHEAT:-0}" = 1 ] && [ "$LEARN" = 0 ]; then
        # the next table read once, so that the reload finds it in the page cache (see "Twelfth look")
        cat "$TMP/table-$((k % 2 + 1)).csv" > /dev/null
    fi
    if [ "${SCHED:-0}" = 1 ]; then
        sleep $((IDLE - 4))
        sched_start "$OUT/sched-idle-$k.data"
        sleep 3
        sched_stop "$OUT/sched-idle-$k.data" "$EVENT $k, 3 s idle before it"
        sleep 0.5
        sched_start "$OUT/sched-$EVENT-$k.data"
    else
        sleep "$IDLE"
    fi
    UPTIME_RELOAD+=("$(uptime)")
    before=$(done_count)
    if [ "$LEARN" = 0 ]; then
        log "reload $k: renaming table $((k % 2 + 1)) over latency.csv (${UPTIME_RELOAD[-1]})"
        ln -f "$TMP/table-$((k % 2 + 1)).csv" "$TMP/latency.next"
        t_reload=$(now_ms)
        mv "$TMP/latency.next" "$TMP/latency.csv"
    else
        log "rebuild $k: POST /api/v1/latency/rebuild (${UPTIME_RELOAD[-1]})"
        post_rebuild "$OUT/rebuild-$k.http"
    fi
    await_done "$before"
    line=$(grep "$DONE" "$OUT/server.log" | tail -1)
    t_done=$(line_ms "$line")
    t_quiet=$t_done
    if [ "$LEARN" != 0 ]; then # the rebuild's start, from its duration
        t_reload=$((t_done - $(sed 's/.*rebuilt in \([0-9]*\) ms.*/\1/' <<<"$line")))
        t_quiet=$(await_checkpoint "$t_done")
    fi
    T_RELOAD+=("$t_reload"); T_DONE+=("$t_done"); T_QUIET+=("$t_quiet")
    if [ "${SCHED:-0}" = 1 ]; then
        sleep 1
        sched_stop "$OUT/sched-$EVENT-$k.data" "$EVENT $k, from the $([ "$LEARN" = 0 ] && echo rename || echo request) to 1 s after $([ "$LEARN" = 0 ] && echo applied || echo 'its checkpoint')"
    fi
    if [ "$LEARN" = 0 ]; then
        log "reload $k applied after $((t_done - t_reload)) ms; server: $(grep -o 'reloaded in .*' "$OUT/server.log" | tail -1)"
    else
        log "rebuild $k: $((t_done - t_reload)) ms, checkpoint $((t_quiet - t_done)) ms; server: $(grep -o 'rebuilt in .*' "$OUT/server.log" | tail -1)"
    fi
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
# in the second after); "idle" is the IDLE seconds before the rename; "after", the rest. LEARN: the
# rebuild's [start, end + 1 s], then the checkpoint's [end + 1 s, rename + 1 s].
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
    if [ "$LEARN" = 0 ]; then
        echo "## Start-up and reload, $SIZE, $(date -Is)"
    else
        echo "## Rebuilds of the learned table, $SIZE, $(date -Is)"
    fi
    echo
    sed 's/^/    /' "$OUT/setup.txt"
    echo
    echo "- Start-up (exec to first answer): **$STARTUP_MS ms**; RSS peak until then: **$((STARTUP_HWM_KB / 1024)) MiB** (VmHWM); load: \`$LOAD_UPTIME_START\`"
    echo "- RSS peak by the end (after $RELOADS ${EVENT}s): $((END_HWM_KB / 1024)) MiB; load at the end: \`$LOAD_UPTIME_END\`"
    echo
    if [ "$LEARN" = 0 ]; then
        echo "Query latency at $RATE q/s, per reload: the $IDLE s before it (idle) and the reload itself (rename to the"
        echo "log line \`configuration ...: applied\`, + 1 s for late answers). Percentiles over every answer received in"
    else
        echo "Query latency at $RATE q/s, per rebuild (asked for through the API): the $IDLE s before it (idle), the rebuild"
        echo "itself (from the log line \`latency learning: rebuilt in N ms\`: its stamp - N to its stamp, + 1 s for late"
        echo "answers) and the checkpoint written after it (to its rename, + 1 s). Percentiles over every answer received in"
    fi
    echo "the window; the worst second's p99 beside them. GC: G1 pauses in the window (count, sum, longest)."
    echo
    echo "| ${EVENT^} | Window | load (1 min) | ms | p50 | p99 | p99.9 | max | answers | p99, worst second | GC pauses |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    for i in "${!T_RELOAD[@]}"; do
        tr=${T_RELOAD[$i]}; td=${T_DONE[$i]}; tq=${T_QUIET[$i]}
        load=$(awk -F'load average: ' '{ split($2, a, ","); print a[1] }' <<<"${UPTIME_RELOAD[$i]}")
        echo "| $((i + 1)) | idle | $load | | $(window $((tr - IDLE * 1000)) $((tr - 1000))) $(gc_pauses "$(uptime_s $((tr - IDLE * 1000)))" "$(uptime_s "$tr")") |"
        echo "| $((i + 1)) | $EVENT | $load | $((td - tr)) | $(window "$tr" $((td + 1000))) $(gc_pauses "$(uptime_s "$tr")" "$(uptime_s $((td + 1000)))") |"
        [ "$LEARN" = 0 ] || echo "| $((i + 1)) | checkpoint | | $((tq - td)) | $(window $((td + 1000)) $((tq + 1000))) $(gc_pauses "$(uptime_s $((td + 1000)))" "$(uptime_s $((tq + 1000)))") |"
    done
    td=${T_QUIET[-1]}
    echo "| | after the last | | | $(window $((td + 2000)) $((td + AFTER * 1000))) $(gc_pauses "$(uptime_s $((td + 2000)))" "$(uptime_s $((td + AFTER * 1000)))") |"
    echo
    if [ "$LEARN" = 0 ]; then
        echo "The server's own figures (load + apply, from its log; not in builds before this line was added):"
        grep -o 'reloaded in .*' "$OUT/server.log" | sed 's/^/    /' || echo "    (none)"
    else
        echo "The server's own figures (the first is the start's rebuild, not measured):"
        grep -o 'latency learning: rebuil.*' "$OUT/server.log" | sed 's/^/    /' || echo "    (none)"
    fi
    if [ -s "$OUT/sched.md" ]; then
        echo
        echo "Scheduling delays of the query threads (perf sched; bench/reload/sched_waits.py):"
        sed 's/^/    /' "$OUT/sched.md"
    fi
} > "$OUT/summary.md"
cat "$OUT/summary.md"
echo
echo "outputs: $OUT"
