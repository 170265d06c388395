#!/usr/bin/env bash
# dnsperf on loopback: Wayfinder answering routed ECS queries, side by side with NSD serving a
# static A record and gdnsd serving an A record its geoip plugin chooses per client subnet
# (nets map over the same prefixes, ECS on). Everything listens on 127.0.0.1 only.
#
#   bench/dnsperf/run.sh                       # defaults: 3 measured runs of 20 s per server
#   RUNS=5 DURATION=30 bench/dnsperf/run.sh
#   WAYFINDER_JAVA_OPTS="-Xmx1g -XX:+UseParallelGC" bench/dnsperf/run.sh
#   WAYFINDER_JAVA_OPTS_VARIANTS="|-Xmx1g -XX:+UseParallelGC|-Xmx1g -XX:+UseSerialGC" bench/dnsperf/run.sh
#       (one Wayfinder per variant, '|'-separated, an empty variant = JVM defaults; all measured
#        in the same rounds so they see the same machine load)
#   WAYFINDER_VARIANTS="netty17|netty25|ffm25" bench/dnsperf/run.sh
#       (one Wayfinder per variant: <udpTransport><Java major>, i.e. dns.udpTransport netty, ffm or
#        auto, run by Java 17 (the java on PATH, or JAVA17_HOME) or 25 (JAVA25_HOME, else the JDK 25
#        found under /usr/lib/jvm); each with -Xmx1g --enable-native-access=ALL-UNNAMED and
#        WAYFINDER_JAVA_OPTS; measured in the same rounds)
#
# Pinning (PIN=1, the default, where taskset exists): every server on CPU SERVER_CPUS (default 0),
# dnsperf on DNSPERF_CPUS (default 1), so that the server's CPU time is not shared with the load
# generator's and each server has the same one core; gdnsd then runs 1 UDP thread and Wayfinder sizes
# itself to the 1 CPU it sees. PIN=0: no pinning (the kernel spreads everything over all cores).
#
# Other knobs (environment): WARMUP (s, Wayfinder JVM warm-up before measuring, default 30),
# PREFIXES (latency-table size, default 100000), DNSPERF_SETTINGS / DNSPERF_OPTS (below),
# NSD_SERVER_COUNT (default 1), GDNSD_UDP_THREADS (default 2), WAYFINDER_THREADS (default: cores),
# QUIET_BUSY / QUIET_WAIT (wait before each run until under 0.3 cores are busy, at most 120 s),
# RETRIES (a run during which other jobs used more than QUIET_BUSY cores is taken again, at most
# 2 more times; the disturbed ones stay in the raw outputs but are not counted),
# WAYFINDER_JAR / WAYFINDER_REV (which Wayfinder, see below), WAYFINDER_JARS="A.jar|B.jar" (one jar
# per Wayfinder variant, in the same order, e.g. WAYFINDER_VARIANTS="ffm25|ffm25" to measure two
# builds in the same rounds; the jar's file name is added to its label), START_WAIT (s a server may
# take to answer once the ones before it do, default 180; more for 10M prefixes on a busy machine),
# PORT_BASE (default 15350; free ports
# from there), KEEP_TMP=1 (keep the temp dir), ECS_SPREAD=N (gdnsd and Wayfinder get N queries, each
# with its own ECS /24 from the table, in dnsperf's binary input (-B, bench/dnsperf/ecs_queries.py)
# instead of one ECS subnet for every query: every query then reads another network's row, as real
# clients do; N at most PREFIXES).
#
# The servers are measured in interleaved rounds (NSD, gdnsd, Wayfinder, NSD, ...) so slow drifts in
# machine load hit all of them alike; every run records the 1-min load average and the CPU used by
# the server, by dnsperf and by everything else on the machine while it ran.
# Writes raw outputs to bench/results/dnsperf-<date>/ (git-ignored) and prints a Markdown table.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/bench-profile.sh
source "$ROOT/bench/lib/bench-profile.sh"
# shellcheck source=../lib/servers.sh
source "$ROOT/bench/lib/servers.sh"   # log, die, as_root, find_tool, next_port, median, busy_ticks; REGIONS, TARGET, STATIC_A
RUNS="${RUNS:-3}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-30}"
PREFIXES="${PREFIXES:-100000}"
# dnsperf settings to try ('|'-separated); each server is reported at the one that gives it its best
# median. DNSPERF_OPTS="..." runs a single setting. 2 cores: dnsperf needs most of one of them.
DNSPERF_SETTINGS="${DNSPERF_SETTINGS:--c 8 -T 2 -q 128|-c 16 -T 2 -q 512}"
if [ -n "${DNSPERF_OPTS:-}" ]; then SETTINGS=("$DNSPERF_OPTS"); else IFS='|' read -r -a SETTINGS <<<"$DNSPERF_SETTINGS"; fi
NSD_SERVER_COUNT="${NSD_SERVER_COUNT:-1}"
PIN="${PIN:-1}"
command -v taskset >/dev/null || PIN=0
SERVER_CPUS="${SERVER_CPUS:-0}"
DNSPERF_CPUS="${DNSPERF_CPUS:-1}"
SERVER_PIN=(); DNSPERF_PIN=()
if [ "$PIN" = 1 ]; then
    SERVER_PIN=(taskset -c "$SERVER_CPUS"); DNSPERF_PIN=(taskset -c "$DNSPERF_CPUS")
    GDNSD_UDP_THREADS="${GDNSD_UDP_THREADS:-1}"
fi
GDNSD_UDP_THREADS="${GDNSD_UDP_THREADS:-2}"
WAYFINDER_THREADS="${WAYFINDER_THREADS:-}"
PORT_BASE="${PORT_BASE:-15350}"
if [ -n "${WAYFINDER_JAVA_OPTS_VARIANTS+x}" ]; then
    IFS='|' read -r -a JVM_VARIANTS <<<"$WAYFINDER_JAVA_OPTS_VARIANTS"
    [ "${WAYFINDER_JAVA_OPTS_VARIANTS: -1}" = "|" ] && JVM_VARIANTS+=("")
else
    JVM_VARIANTS=("${WAYFINDER_JAVA_OPTS:-}")
fi
[ "${#JVM_VARIANTS[@]}" -gt 0 ] || JVM_VARIANTS=("")
# Per Wayfinder: the java that runs it, its dns.udpTransport, a label (empty: the java on PATH, auto).
WF_JAVA=(); WF_TRANSPORT=(); WF_LABEL=()
java_home_of() { # major -> a JDK home, from JAVA<major>_HOME or /usr/lib/jvm
    local v="JAVA$1_HOME" d
    if [ -n "${!v:-}" ]; then echo "${!v}"; return; fi
    for d in /usr/lib/jvm/*-"$1"-* /usr/lib/jvm/*-"$1"; do [ -x "$d/bin/java" ] && { echo "$d"; return; }; done
    return 1
}
if [ -n "${WAYFINDER_VARIANTS:-}" ]; then
    IFS='|' read -r -a names <<<"$WAYFINDER_VARIANTS"
    JVM_VARIANTS=()
    for v in "${names[@]}"; do
        [[ $v =~ ^(netty|ffm|auto)([0-9]+)$ ]] || { echo "WAYFINDER_VARIANTS: '$v' is not <netty|ffm|auto><java major>" >&2; exit 2; }
        home=$(java_home_of "${BASH_REMATCH[2]}") || { echo "no JDK ${BASH_REMATCH[2]}: set JAVA${BASH_REMATCH[2]}_HOME" >&2; exit 2; }
        WF_JAVA+=("$home/bin/java"); WF_TRANSPORT+=("${BASH_REMATCH[1]}"); WF_LABEL+=("$v")
        JVM_VARIANTS+=("-Xmx1g --enable-native-access=ALL-UNNAMED ${WAYFINDER_JAVA_OPTS:-}")
    done
else
    for _ in "${JVM_VARIANTS[@]}"; do WF_JAVA+=(java); WF_TRANSPORT+=(""); WF_LABEL+=(""); done
fi


# ---------------------------------------------------------------- tools (Debian packages)
missing=()
[ -n "$(find_tool dnsperf)" ] || missing+=(dnsperf)
[ -n "$(find_tool nsd)" ] || missing+=(nsd)
[ -n "$(find_tool gdnsd)" ] || missing+=(gdnsd)
[ -n "$(find_tool dig)" ] || missing+=(dnsutils)
[ -n "$(find_tool java)" ] || missing+=(openjdk-17-jdk-headless)
[ -n "$(find_tool mvn)" ] || missing+=(maven)
[ -n "$(find_tool ss)" ] || missing+=(iproute2)
[ -n "$(find_tool ps)" ] || missing+=(procps)
if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]} (apt-get)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
DNSPERF="$(find_tool dnsperf)"; NSD="$(find_tool nsd)"; GDNSD="$(find_tool gdnsd)"; DIG="$(find_tool dig)"
for t in DNSPERF NSD GDNSD DIG; do [ -n "${!t}" ] || die "$t not found after installing"; done
# No root needed beyond apt-get: NSD (username "", no chroot) and gdnsd (run and state dirs in the
# temp dir) run as whoever runs this, on unprivileged ports.

# ---------------------------------------------------------------- temp dir, results, cleanup
TMP="$(mktemp -d /tmp/dnsperf-bench.XXXXXX)"
STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="$ROOT/bench/results/dnsperf-$STAMP"
mkdir -p "$OUT"
PIDS=()
cleanup() {
    local rc=$?
    stop_servers   # bench/lib/servers.sh
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    [ $rc -eq 0 ] || log "failed (exit $rc); raw outputs so far in $OUT"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

NSD_PORT=$(next_port "$PORT_BASE")
GDNSD_PORT=$(next_port $((NSD_PORT + 1)))
WF_PORTS=()
p=$GDNSD_PORT
for _ in "${JVM_VARIANTS[@]}"; do p=$(next_port $((p + 1))); WF_PORTS+=("$p"); done

# ---------------------------------------------------------------- data (deterministic)
# PREFIXES distinct random-looking /24s (an odd multiplier permutes the 2^24 /24 space), each with
# an RTT to the four regions: a "home" region near the client plus noise, from a Park-Miller
# generator (exact in awk's doubles, so every awk gives the same table). Also writes gdnsd's nets
# file (each /24 -> its regions fastest first, as its geoip plugin would order datacenters) and
# the fastest region of every prefix (for checking answers).
log "generating a latency table of $PREFIXES /24 prefixes"
latency_data "$TMP" "$PREFIXES"   # bench/lib/servers.sh: TMP/latency.csv, TMP/nets (gdnsd), TMP/fastest.txt
# The benchmark ECS subnet: the first prefix of the table. Checks: the first prefix fastest to each region.
read -r BENCH_PREFIX BENCH_REGION < "$TMP/fastest.txt"
CHECK_PREFIXES=()
for r in "${REGIONS[@]}"; do CHECK_PREFIXES+=("$(awk -v r="$r" '$2 == r { print $1; exit }' "$TMP/fastest.txt")"); done
ecs_hex() { # a.b.c.0/24 -> RFC 7871 option data: family 1, source /24, scope 0, 3 address bytes
    local ip=${1%/*}; IFS=. read -r a b c _ <<<"$ip"; printf '0001%02x00%02x%02x%02x' 24 "$a" "$b" "$c"
}
ECS_OPT="8:$(ecs_hex "$BENCH_PREFIX")"
log "benchmark ECS subnet $BENCH_PREFIX (fastest: $BENCH_REGION -> ${TARGET[$BENCH_REGION]}), dnsperf -E $ECS_OPT"

# ---------------------------------------------------------------- NSD: static A
nsd_config "$TMP/nsd" "$NSD_PORT" "    server-count: $NSD_SERVER_COUNT
    reuseport: yes"   # bench/lib/servers.sh

# ---------------------------------------------------------------- gdnsd: geoip plugin, nets map, ECS
gdnsd_config "$TMP/gdnsd" "$GDNSD_PORT" "$TMP/nets" "    udp_threads => $GDNSD_UDP_THREADS
    tcp_threads => 1"   # bench/lib/servers.sh

# ---------------------------------------------------------------- Wayfinder: Performance profile
wf_config() { # port
    bench_profile_config "$1" "$TMP/latency.csv" "${TARGET[westeurope]}" "${TARGET[northeurope]}" "${TARGET[eastus]}" \
        "${TARGET[southeastasia]}"
}
# The Wayfinder jar(s), each a private copy (other builds may rewrite server/target while we
# measure): wayfinder_jar (bench/lib/servers.sh) takes WAYFINDER_JAR, WAYFINDER_REV or the working
# tree; WAYFINDER_JARS="A.jar|B.jar" gives each Wayfinder its own, the first also as WAYFINDER_JAR.
WF_JARS=()
if [ -n "${WAYFINDER_JARS:-}" ]; then
    IFS='|' read -r -a jars <<<"$WAYFINDER_JARS"
    [ "${#jars[@]}" -eq "${#JVM_VARIANTS[@]}" ] || die "WAYFINDER_JARS: ${#jars[@]} jars for ${#JVM_VARIANTS[@]} Wayfinders"
    WAYFINDER_JAR="${jars[0]}"
fi
wayfinder_jar "$TMP" "$OUT"
if [ -n "${WAYFINDER_JARS:-}" ]; then
    for i in "${!jars[@]}"; do
        cp "${jars[$i]}" "$TMP/wf-$i.jar"; WF_JARS+=("$TMP/wf-$i.jar"); WF_LABEL[$i]="${WF_LABEL[$i]:+${WF_LABEL[$i]} }$(basename "${jars[$i]}")"
        echo "Wayfinder $i: ${jars[$i]}" >> "$OUT/wayfinder-source.txt"
    done
fi
java -jar "$TMP/wf.jar" --version > "$OUT/wayfinder-version.txt" 2>&1 || die "the Wayfinder jar does not run"

# ---------------------------------------------------------------- start, wait, verify
SERVERS=()              # ids in measuring order
declare -A PORT NAME PID ANSWERS SETUP ECS
log "starting NSD on 127.0.0.1:$NSD_PORT, gdnsd on 127.0.0.1:$GDNSD_PORT, Wayfinder on 127.0.0.1:${WF_PORTS[*]}"
start_bg nsd "$OUT/nsd.log" "${SERVER_PIN[@]}" "$NSD" -d -c "$TMP/nsd/nsd.conf"
SERVERS+=(nsd); PORT[nsd]=$NSD_PORT; NAME[nsd]=www.static.test; ECS[nsd]=""
ANSWERS[nsd]="static A"; SETUP[nsd]="NSD $( { "$NSD" -v 2>&1 || true; } | awk 'NR==1{print $3}'), server-count $NSD_SERVER_COUNT"
start_bg gdnsd "$OUT/gdnsd.log" "${SERVER_PIN[@]}" "$GDNSD" -c "$TMP/gdnsd" start
SERVERS+=(gdnsd); PORT[gdnsd]=$GDNSD_PORT; NAME[gdnsd]=www.plugin.test; ECS[gdnsd]=$ECS_OPT
ANSWERS[gdnsd]="geoip plugin (nets map, $PREFIXES /24s), ECS"
SETUP[gdnsd]="gdnsd $( { "$GDNSD" -h 2>&1 || true; } | awk '/version/{print $3; exit}'), udp_threads $GDNSD_UDP_THREADS"
declare -A GCSTART
for i in "${!JVM_VARIANTS[@]}"; do
    id="wf$i"; opts="${JVM_VARIANTS[$i]}"
    wf_config "${WF_PORTS[$i]}" > "$TMP/wf-$i.yaml"
    [ -z "${WF_TRANSPORT[$i]}" ] || sed -i "s/^dns:\$/dns:\n  udpTransport: ${WF_TRANSPORT[$i]}/" "$TMP/wf-$i.yaml"
    cp "$TMP/wf-$i.yaml" "$OUT/"
    threads=(); [ -z "$WAYFINDER_THREADS" ] || threads=(--threads "$WAYFINDER_THREADS")
    GCSTART[$id]=$(date +%s.%N)
    # shellcheck disable=SC2086  # the options are words
    start_bg "$id" "$OUT/wayfinder-$i.log" "${SERVER_PIN[@]}" "${WF_JAVA[$i]}" $opts "-Xlog:gc:file=$OUT/wf-$i-gc.log:uptime" \
        -jar "${WF_JARS[$i]:-$TMP/wf.jar}" serve --config "$TMP/wf-$i.yaml" "${threads[@]}"
    SERVERS+=("$id"); PORT[$id]=${WF_PORTS[$i]}; NAME[$id]=www.routed.test; ECS[$id]=$ECS_OPT
    ANSWERS[$id]="Performance profile, $PREFIXES-prefix latency table, ECS"
    SETUP[$id]="Wayfinder${WF_LABEL[$i]:+ ${WF_LABEL[$i]}}, JVM: ${opts:-defaults}${WAYFINDER_THREADS:+, --threads $WAYFINDER_THREADS}"
done
cp "$TMP/nsd/nsd.conf" "$TMP/nsd/static.test.zone" "$TMP/gdnsd/config" "$TMP/gdnsd/zones/plugin.test" "$OUT/"

q() { "$DIG" +time=1 +tries=1 @127.0.0.1 -p "$1" "$2" A "${@:3}"; }
for id in "${SERVERS[@]}"; do
    deadline=$((SECONDS + ${START_WAIT:-180}))
    until q "${PORT[$id]}" "${NAME[$id]}" +short 2>/dev/null | grep -Eq '^[0-9]+(\.[0-9]+){3}$'; do
        kill -0 "${PID[$id]}" 2>/dev/null || die "$id exited; see $OUT/*.log"
        [ $SECONDS -lt $deadline ] || die "$id does not answer on port ${PORT[$id]}"
        sleep 0.5
    done
    log "$id answers on 127.0.0.1:${PORT[$id]}"
done

verify() { # id expected [ecs-prefix]
    local id=$1 want=$2 ecs=${3:-} got
    local args=(+norec +nocookie); [ -z "$ecs" ] || args+=("+subnet=$ecs")
    q "${PORT[$id]}" "${NAME[$id]}" "${args[@]}" >> "$OUT/verify.txt" 2>&1 || true
    got=$(q "${PORT[$id]}" "${NAME[$id]}" "${args[@]}" +short | tr '\n' ' ' | sed 's/ $//')
    printf '%-6s %-18s %-20s want %-12s got %s\n' "$id" "${NAME[$id]}" "${ecs:-no ECS}" "$want" "$got" | tee -a "$OUT/verify-summary.txt" >&2
    [ "$got" = "$want" ] || die "$id answered '$got' for ${ecs:-no ECS}, expected $want"
}
log "verifying answers with dig"
verify nsd "$STATIC_A"
for id in "${SERVERS[@]}"; do
    [ "$id" = nsd ] && continue
    for k in "${!REGIONS[@]}"; do verify "$id" "${TARGET[${REGIONS[$k]}]}" "${CHECK_PREFIXES[$k]}"; done
    verify "$id" "${TARGET[$BENCH_REGION]}" "$BENCH_PREFIX"
done

# ---------------------------------------------------------------- measuring
declare -A QUERIES   # dnsperf's input options per server
SPREAD_OUTPUTS=()
for id in "${SERVERS[@]}"; do
    if [ "${ECS_SPREAD:-0}" -gt 0 ] && [ -n "${ECS[$id]}" ]; then
        SPREAD_OUTPUTS+=("${NAME[$id]}=$TMP/queries-$id.bin")
        QUERIES[$id]="-B -d $TMP/queries-$id.bin"
        ECS[$id]=""   # each query carries its own
    else
        echo "${NAME[$id]} A" > "$TMP/queries-$id.txt"
        QUERIES[$id]="-d $TMP/queries-$id.txt -e"
    fi
done
if [ "${#SPREAD_OUTPUTS[@]}" -gt 0 ]; then
    log "writing $ECS_SPREAD queries with their own ECS /24s for ${#SPREAD_OUTPUTS[@]} servers"
    python3 bench/dnsperf/ecs_queries.py "$TMP/latency.csv" "$ECS_SPREAD" 1 "${SPREAD_OUTPUTS[@]}"
fi
CLK_TCK=$(getconf CLK_TCK)
tree_ticks() { # CPU ticks (user+system) of a process and its descendants
    local pids
    pids=$(ps -e -o pid=,ppid= | awk -v r="$1" '{ par[$1] = $2 } END {
        in_[r] = 1; changed = 1
        while (changed) { changed = 0; for (p in par) if (!(p in in_) && (par[p] in in_)) { in_[p] = 1; changed = 1 } }
        for (p in in_) print p }')
    local sum=0 t
    for p in $pids; do
        t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null) || t=0
        sum=$((sum + ${t:-0}))
    done
    echo "$sum"
}
irq_ticks() { awk '/^cpu / { print $7 + $8; exit }' /proc/stat; }   # hard+soft interrupts (loopback delivery)

# shellcheck disable=SC2086  # the dnsperf options are words
perf_run() { # id label seconds options -> writes $OUT/<label>.txt
    # prints "qps lat_ms lost server_cores dnsperf_cores irq_cores other_cores load1 start end server_us_per_query"
    local id=$1 label=$2 secs=$3 opts=$4 ecs=() t0 t1 s0 s1 b0 b1 i0 i1 load times
    [ -z "${ECS[$id]}" ] || ecs=(-E "${ECS[$id]}")
    load=$(cut -d' ' -f1 /proc/loadavg)
    { echo "# $(date -Is) uptime: $(uptime)"; echo "# dnsperf -s 127.0.0.1 -p ${PORT[$id]} ${QUERIES[$id]} (${NAME[$id]} A) -l $secs ${ecs[*]} $opts"; } > "$OUT/$label.txt"
    s0=$(tree_ticks "${PID[$id]}"); b0=$(busy_ticks); i0=$(irq_ticks); t0=$(date +%s.%N)
    local TIMEFORMAT='%3U %3S'
    times=$( { time "${DNSPERF_PIN[@]}" "$DNSPERF" -s 127.0.0.1 -p "${PORT[$id]}" ${QUERIES[$id]} -l "$secs" "${ecs[@]}" $opts >> "$OUT/$label.txt" 2>&1 ; } 2>&1 )
    t1=$(date +%s.%N); s1=$(tree_ticks "${PID[$id]}"); b1=$(busy_ticks); i1=$(irq_ticks)
    echo "# after: $(uptime)" >> "$OUT/$label.txt"
    awk -v f="$OUT/$label.txt" -v t0="$t0" -v t1="$t1" -v s="$((s1 - s0))" -v b="$((b1 - b0))" -v irq="$((i1 - i0))" -v hz="$CLK_TCK" \
        -v times="$times" -v load="$load" 'BEGIN {
        while ((getline l < f) > 0) {
            if (l ~ /Queries per second:/) { split(l, a, ":"); qps = a[2] + 0 }
            if (l ~ /Average Latency \(s\):/) { split(l, a, ":"); split(a[2], c, " "); lat = c[1] * 1000 }
            if (l ~ /Queries lost:/) { split(l, a, ":"); split(a[2], c, " "); lost = c[1] }
        }
        split(times, tm, " "); el = t1 - t0
        srv = s / hz / el; perf = (tm[1] + tm[2]) / el; si = irq / hz / el; other = b / hz / el - srv - perf - si
        if (other < 0) other = 0
        printf "%.1f %.3f %d %.2f %.2f %.2f %.2f %s %.3f %.3f %.2f\n", qps, lat, lost, srv, perf, si, other, load, t0, t1, (qps > 0 ? s / hz / qps / el * 1e6 : 0) }'
}

# Waits (at most QUIET_WAIT s, default 120) until the machine is quiet: less than QUIET_BUSY cores
# (default 0.3) busy over 2 s while we are idle. Other jobs share this machine; a run taken while they
# burn CPU measures them, not the servers. Prints the busy figure it saw last.
QUIET_WAIT="${QUIET_WAIT:-120}"; QUIET_BUSY="${QUIET_BUSY:-0.3}"; RETRIES="${RETRIES:-2}"
wait_quiet() {
    local deadline=$((SECONDS + QUIET_WAIT)) b0 b1 busy
    while :; do
        b0=$(busy_ticks); sleep 2; b1=$(busy_ticks)
        busy=$(awk -v d="$((b1 - b0))" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", d / hz / 2 }')
        if awk -v b="$busy" -v m="$QUIET_BUSY" 'BEGIN { exit !(b < m) }' || [ $SECONDS -ge $deadline ]; then
            echo "$busy"; return
        fi
        sleep 3
    done
}


# runs.tsv columns
C_ROUND=1 C_SERVER=2 C_SETTING=3 C_QPS=4 C_LAT=5 C_LOST=6 C_SRV=7 C_PERF=8 C_IRQ=9 C_OTHER=10 C_LOAD=11 C_START=12 C_END=13 C_USQ=14 C_QUIET=15 C_COUNTED=16

log "warm-up: ${WARMUP}s per Wayfinder JVM, 5 s for NSD and gdnsd (not counted)"
for id in "${SERVERS[@]}"; do
    case $id in wf*) s=$WARMUP ;; *) s=5 ;; esac
    [ "$s" -gt 0 ] || continue
    perf_run "$id" "warmup-$id" "$s" "${SETTINGS[0]}" > /dev/null
done

printf 'round\tserver\tsetting\tqps\tavg_latency_ms\tlost\tserver_cpu_cores\tdnsperf_cpu_cores\tirq_cpu_cores\tother_cpu_cores\tload1\tstart\tend\tserver_cpu_us_per_query\tbusy_before\tcounted\n' > "$OUT/runs.tsv"
for k in "${!SETTINGS[@]}"; do echo "setting $k: ${SETTINGS[$k]}"; done > "$OUT/settings.txt"
log "measuring: $RUNS rounds x ${#SERVERS[@]} servers x ${#SETTINGS[@]} dnsperf settings x ${DURATION}s"
for round in $(seq "$RUNS"); do
    for k in "${!SETTINGS[@]}"; do
        for id in "${SERVERS[@]}"; do
            # A run during which other jobs used more than QUIET_BUSY cores is kept in the raw
            # outputs but not counted, and taken again (at most RETRIES more times; the last counts).
            for attempt in $(seq 0 "$RETRIES"); do
                quiet=$(wait_quiet)
                label="run$round-$id-s$k"; [ "$attempt" -eq 0 ] || label+="-retry$attempt"
                line=$(perf_run "$id" "$label" "$DURATION" "${SETTINGS[$k]}")
                kill -0 "${PID[$id]}" 2>/dev/null || die "$id (pid ${PID[$id]}) is gone after round $round; see $OUT/*.log"
                read -r qps lat lost srv perf si other load _ _ <<<"$line"
                counted=1
                if awk -v o="$other" -v m="$QUIET_BUSY" 'BEGIN { exit !(o > m) }' && [ "$attempt" -lt "$RETRIES" ]; then counted=0; fi
                printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$id" "$k" "$(tr ' ' '\t' <<<"$line")" "$quiet" "$counted" >> "$OUT/runs.tsv"
                log "round $round, $id, dnsperf ${SETTINGS[$k]} (busy before: $quiet cores): $qps q/s, avg $lat ms, lost $lost;" \
                    "CPU: server $srv, dnsperf $perf, irq $si, other $other; load $load$([ $counted = 1 ] || echo ' -> disturbed, again')"
                [ "$counted" = 0 ] || break
            done
        done
    done
done

# GC activity of a Wayfinder during its measured runs (the log's timestamps are JVM uptime)
gc_summary() { # id index
    local id=$1 i=$2
    awk -F'\t' -v id="$id" -v a=$C_START -v b=$C_END -v c=$C_COUNTED '$2 == id && $c == 1 { print $a, $b }' "$OUT/runs.tsv" | while read -r s e; do
        awk -v s="$s" -v e="$e" -v base="${GCSTART[$id]}" '
            /Pause/ { t = $1; gsub(/[\[\]s]/, "", t); t += base
                      if (t >= s && t <= e) { n++; ms = $NF; sub(/ms/, "", ms); sum += ms } }
            END { printf "%d %.1f\n", n, sum }' "$OUT/wf-$i-gc.log"
    done | awk -v r="$((RUNS * ${#SETTINGS[@]}))" '{ n += $1; ms += $2 } END { printf "%d pauses, %.0f ms in total over %d runs", n, ms, r }'
}
col() { # id setting column -> median
    awk -F'\t' -v id="$1" -v k="$2" -v c="$3" -v n=$C_COUNTED '$2 == id && $3 == k && $n == 1 { print $c }' "$OUT/runs.tsv" | median
}
best_setting() { # id -> the setting with the highest median qps
    local k best=0 bq=-1 q
    for k in "${!SETTINGS[@]}"; do
        q=$(col "$1" "$k" $C_QPS)
        if awk -v q="$q" -v b="$bq" 'BEGIN { exit !(q > b) }'; then best=$k; bq=$q; fi
    done
    echo "$best"
}
ratio_line() { # label wayfinder-qps gdnsd-qps nsd-qps
    awk -v w="$2" -v g="$3" -v n="$4" -v s="$1" 'BEGIN {
        rg = w / g; rn = w / n
        printf "- %s: Wayfinder/gdnsd = **%.2f** (target >= 1.00: %s), Wayfinder/NSD = **%.2f** (target >= 0.50: %s)\n",
            s, rg, (rg >= 1 ? "met" : "NOT met"), rn, (rn >= 0.5 ? "met" : "NOT met") }'
}
declare -A BEST
for id in "${SERVERS[@]}"; do BEST[$id]=$(best_setting "$id"); done
{
    echo "## dnsperf on loopback, $(date -Is)"
    echo
    echo "Machine: $(nproc) cores, $(awk -F: '/model name/ { print $2; exit }' /proc/cpuinfo | sed 's/^ *//'), kernel $(uname -r)."
    if [ "$PIN" = 1 ]; then echo "Pinned (taskset): every server on CPU $SERVER_CPUS, dnsperf on CPU $DNSPERF_CPUS."; else echo "Not pinned (PIN=0)."; fi
    if [ "${ECS_SPREAD:-0}" -gt 0 ]; then
        echo "dnsperf $("$DNSPERF" -h 2>&1 | awk '/^Version/ { print $2 }'): \`-l $DURATION\` plus the settings below, one name per server;" \
             "ECS runs replay $ECS_SPREAD queries, each with its own ECS /24 of the table (\`-B\`, ECS_SPREAD=$ECS_SPREAD); NSD gets \`-e\`."
    else
        echo "dnsperf $("$DNSPERF" -h 2>&1 | awk '/^Version/ { print $2 }'): \`-l $DURATION -e\` plus the settings below, one name per server;" \
             "ECS runs add \`-E $ECS_OPT\` ($BENCH_PREFIX, fastest region $BENCH_REGION)."
    fi
    echo "Medians of $RUNS interleaved runs ($(awk -F'\t' -v n=$C_COUNTED 'NR > 1 && $n == 0' "$OUT/runs.tsv" | wc -l) more were" \
         "disturbed by other jobs, >$QUIET_BUSY cores, and taken again), each server at the dnsperf setting that gave it its best median. CPU columns in cores" \
         "(of $(nproc)) over each run: the server's processes (also per answered query), dnsperf, kernel interrupt work (loopback delivery), and" \
         "\"other\" = everything else on the machine (other jobs). Load = 1-min load average at the start of the run."
    echo
    echo "| Server | Answers | Setup | dnsperf | Queries/s | Avg latency | Lost | Server CPU | Server CPU µs/query | dnsperf CPU | Kernel irq | Other | Load |"
    echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for id in "${SERVERS[@]}"; do
        k=${BEST[$id]}
        printf '| %s | %s | %s | `%s` | %.0f | %.3f ms | %s | %s | %s | %s | %s | %s | %s |\n' "${NAME[$id]}" "${ANSWERS[$id]}" "${SETUP[$id]}" "${SETTINGS[$k]}" \
            "$(col "$id" "$k" $C_QPS)" "$(col "$id" "$k" $C_LAT)" "$(col "$id" "$k" $C_LOST)" "$(col "$id" "$k" $C_SRV)" "$(col "$id" "$k" $C_USQ)" \
            "$(col "$id" "$k" $C_PERF)" "$(col "$id" "$k" $C_IRQ)" "$(col "$id" "$k" $C_OTHER)" "$(col "$id" "$k" $C_LOAD)"
    done
    echo
    echo "Ratios, each server at its best setting:"
    for i in "${!JVM_VARIANTS[@]}"; do
        id="wf$i"
        ratio_line "${SETUP[$id]}" "$(col "$id" "${BEST[$id]}" $C_QPS)" "$(col gdnsd "${BEST[gdnsd]}" $C_QPS)" "$(col nsd "${BEST[nsd]}" $C_QPS)"
        echo "  GC during the measured runs: $(gc_summary "$id" "$i")"
    done
    if [ "${#SETTINGS[@]}" -gt 1 ]; then
        echo
        echo "Median queries/s at every setting (same settings for all):"
        echo
        printf '| dnsperf |'; for id in "${SERVERS[@]}"; do
            case $id in nsd) printf ' NSD |' ;; gdnsd) printf ' gdnsd |' ;; *) printf ' Wayfinder %s(JVM: %s) |' "${WF_LABEL[${id#wf}]:+${WF_LABEL[${id#wf}]} }" "${JVM_VARIANTS[${id#wf}]:-defaults}" ;; esac
        done; echo
        printf '|---|'; for _ in "${SERVERS[@]}"; do printf -- '---:|'; done; echo
        for k in "${!SETTINGS[@]}"; do
            printf '| `%s` |' "${SETTINGS[$k]}"
            for id in "${SERVERS[@]}"; do printf ' %.0f |' "$(col "$id" "$k" $C_QPS)"; done; echo
        done
    fi
    echo
    echo "Raw outputs: ${OUT#"$ROOT"/}/ (runs.tsv: every run; run<round>-<server>-s<setting>.txt: dnsperf output)"
} > "$OUT/summary.md"
cat "$OUT/summary.md"
