#!/usr/bin/env bash
# DNS over TCP on loopback: queries per second and server CPU per answered query for 1, 100 and
# 1,000 concurrent TCP clients, against NSD (a static A record), gdnsd (an A record its geoip
# plugin picks per ECS subnet) and Wayfinder (a Performance profile over a latency table, ECS),
# all on 127.0.0.1. The load is dnsperf -m tcp: N persistent connections (dnsperf opens at most
# 256 per thread, so 1,000 clients take 4 threads), queries pipelined on each.
#
#   bench/tcp/run.sh                          # defaults: 3 interleaved rounds of 10 s per point, ~6 min
#   RUNS=5 DURATION=15 bench/tcp/run.sh
#   CLIENTS="100 1000" PIPELINE=1 MIN_IN_FLIGHT=1 bench/tcp/run.sh   # one query at a time per connection
#   PIN=0 bench/tcp/run.sh                    # no taskset: servers and dnsperf share both cores
#
# Knobs (environment): CLIENTS (default "1 100 1000"), PIPELINE (queries in flight per connection,
# default 4) and MIN_IN_FLIGHT (default 64): dnsperf -q = max(clients x PIPELINE, MIN_IN_FLIGHT), so
# one client keeps 64 queries under way on its connection, 1,000 clients 4 each; RUNS (3), DURATION
# (s per run, 10), WARMUP (s of load before measuring: Wayfinder's JIT; default 20, NSD and gdnsd
# 3), PREFIXES (latency table and
# nets map, 100000), MAX_CLIENTS (what every server is configured to let in, default 2000),
# PIN (1: servers on CPU SERVER_CPU, default 0, dnsperf on LOAD_CPU, default 1), WAYFINDER_JAVA_OPTS
# (default -Xmx1g), WAYFINDER_JAR / WAYFINDER_REV (which Wayfinder: see bench/lib/servers.sh),
# PORT_BASE (15450: free ports from there), KEEP_TMP=1.
#
# Each run records the 1-min load average at its start, the established connections to the server
# half-way through (ss), dnsperf's counts (completed, lost, reconnections) and the CPU ticks of the
# server's processes (/proc/<pid>/stat utime + stime, all threads and children). Raw outputs go to
# bench/results/tcp-<date>/ (git-ignored); a Markdown table is printed at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/bench-profile.sh
source "$ROOT/bench/lib/bench-profile.sh"
# shellcheck source=../lib/servers.sh
source "$ROOT/bench/lib/servers.sh"
CLIENTS="${CLIENTS:-1 100 1000}"
PIPELINE="${PIPELINE:-4}"
MIN_IN_FLIGHT="${MIN_IN_FLIGHT:-64}"
RUNS="${RUNS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-20}"
PREFIXES="${PREFIXES:-100000}"
MAX_CLIENTS="${MAX_CLIENTS:-2000}"
PIN="${PIN:-1}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
WAYFINDER_JAVA_OPTS="${WAYFINDER_JAVA_OPTS:--Xmx1g}"
PORT_BASE="${PORT_BASE:-15450}"

install_tools dnsperf:dnsperf nsd:nsd gdnsd:gdnsd dig:dnsutils java:openjdk-17-jdk-headless mvn:maven \
    ss:iproute2 ps:procps taskset:util-linux
NSD="$(find_tool nsd)"; GDNSD="$(find_tool gdnsd)"; DNSPERF="$(find_tool dnsperf)"

# 1,000 connections are 1,000 descriptors in the server and 1,000 in dnsperf; children inherit this.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((MAX_CLIENTS + 1024)) ] \
    || die "ulimit -n is $(ulimit -n): raise the hard limit to at least $((MAX_CLIENTS + 1024))"
if [ "$PIN" = 1 ]; then
    [ "$(nproc --all)" -ge 2 ] || die "PIN=1 needs 2 CPUs (PIN=0 to share one)"
    ON_SERVER_CPU=(taskset -c "$SERVER_CPU"); ON_LOAD_CPU=(taskset -c "$LOAD_CPU")
else
    ON_SERVER_CPU=(); ON_LOAD_CPU=()
fi

TMP="$(mktemp -d /tmp/tcp-bench.XXXXXX)"
OUT="$ROOT/bench/results/tcp-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
trap stop_at_exit EXIT
trap 'exit 130' INT TERM

NSD_PORT=$(next_port "$PORT_BASE")
GDNSD_PORT=$(next_port $((NSD_PORT + 1)))
WF_PORT=$(next_port $((GDNSD_PORT + 1)))

log "generating a latency table of $PREFIXES /24 prefixes"
latency_data "$TMP" "$PREFIXES"
read -r BENCH_PREFIX BENCH_REGION < "$TMP/fastest.txt"
ECS_OPT="8:$(ecs_hex "$BENCH_PREFIX")"

# ---------------------------------------------------------------- the servers, each letting MAX_CLIENTS in
# NSD: tcp-count is per server process (one here); queries per connection and timeouts unlimited
# or longer than a run.
nsd_config "$TMP/nsd" "$NSD_PORT" "    server-count: 1
    tcp-count: $MAX_CLIENTS
    tcp-query-count: 0
    tcp-timeout: 120"
# gdnsd: one TCP thread (one core for the server), its client cap raised from the default 256.
gdnsd_config "$TMP/gdnsd" "$GDNSD_PORT" "$TMP/nets" "    udp_threads => 1
    tcp_threads => 1
    tcp_clients_per_thread => $MAX_CLIENTS"
# Wayfinder: every client comes from 127.0.0.1, so the per-address cap (default 16) is raised too.
WF_TCP="{maxConnections: $MAX_CLIENTS, maxConnectionsPerAddress: $MAX_CLIENTS}"
bench_profile_config "$WF_PORT" "$TMP/latency.csv" "${TARGET[westeurope]}" "${TARGET[northeurope]}" \
    "${TARGET[eastus]}" "${TARGET[southeastasia]}" "$WF_TCP" > "$TMP/wayfinder.yaml"
wayfinder_jar "$TMP" "$OUT"
cp "$TMP/nsd/nsd.conf" "$TMP/gdnsd/config" "$TMP/wayfinder.yaml" "$OUT/"

SERVERS=(nsd gdnsd wf)
declare -A PORT NAME ECS SETUP
PORT=([nsd]=$NSD_PORT [gdnsd]=$GDNSD_PORT [wf]=$WF_PORT)
NAME=([nsd]=www.static.test [gdnsd]=www.plugin.test [wf]=www.routed.test)
ECS=([nsd]="" [gdnsd]=$ECS_OPT [wf]=$ECS_OPT)
SETUP=([nsd]="NSD $( { "$NSD" -v 2>&1 || true; } | awk 'NR==1{print $3}'), static A, server-count 1, tcp-count $MAX_CLIENTS"
       [gdnsd]="gdnsd $( { "$GDNSD" -h 2>&1 || true; } | awk '/version/{print $3; exit}'), geoip ($PREFIXES /24s), ECS, tcp_threads 1, tcp_clients_per_thread $MAX_CLIENTS"
       [wf]="Wayfinder, Performance ($PREFIXES prefixes), ECS, dns.tcp $WF_TCP, JVM $WAYFINDER_JAVA_OPTS")
log "starting NSD :$NSD_PORT, gdnsd :$GDNSD_PORT, Wayfinder :$WF_PORT on 127.0.0.1$([ "$PIN" = 1 ] && echo ", on CPU $SERVER_CPU")"
start_bg nsd "$OUT/nsd.log" "${ON_SERVER_CPU[@]}" "$NSD" -d -c "$TMP/nsd/nsd.conf"
start_bg gdnsd "$OUT/gdnsd.log" "${ON_SERVER_CPU[@]}" "$GDNSD" -c "$TMP/gdnsd" start
# shellcheck disable=SC2086  # the options are words
start_bg wf "$OUT/wayfinder.log" "${ON_SERVER_CPU[@]}" java $WAYFINDER_JAVA_OPTS -jar "$TMP/wf.jar" serve --config "$TMP/wayfinder.yaml"
for id in "${SERVERS[@]}"; do wait_answers "$id" "${PORT[$id]}" "${NAME[$id]}" +tcp; done

log "verifying answers over TCP with dig"
for id in "${SERVERS[@]}"; do
    args=(+tcp +norec +short); want=$STATIC_A
    [ -z "${ECS[$id]}" ] || { args+=("+subnet=$BENCH_PREFIX"); want=${TARGET[$BENCH_REGION]}; }
    got=$(dig +time=2 +tries=1 @127.0.0.1 -p "${PORT[$id]}" "${NAME[$id]}" A "${args[@]}" | tr '\n' ' ' | sed 's/ $//')
    echo "$id ${NAME[$id]} ${args[*]}: want $want got $got" | tee -a "$OUT/verify.txt" >&2
    [ "$got" = "$want" ] || die "$id answered '$got', expected $want"
done

# ---------------------------------------------------------------- measuring
for id in "${SERVERS[@]}"; do echo "${NAME[$id]} A" > "$TMP/queries-$id.txt"; done
HZ=$(getconf CLK_TCK)
dnsperf_opts() { # clients -> dnsperf's threads and queries in flight (all connections together)
    local q=$(( $1 * PIPELINE ))
    echo "-c $1 -T $(( ($1 + 255) / 256 )) -q $(( q > MIN_IN_FLIGHT ? q : MIN_IN_FLIGHT ))"
}

# shellcheck disable=SC2086  # the dnsperf options are words
run_point() { # id clients seconds label -> "qps completed lost reconnects conns server_cores perf_cores other_cores load1 us_per_query noerror%"
    local id=$1 c=$2 secs=$3 label=$4 ecs=() opts s0 s1 b0 b1 t0 t1 load conns times pid
    [ -z "${ECS[$id]}" ] || ecs=(-E "${ECS[$id]}")
    opts=$(dnsperf_opts "$c")
    load=$(cut -d' ' -f1 /proc/loadavg)
    { echo "# $(date -Is) uptime: $(uptime)"
      echo "# ${ON_LOAD_CPU[*]} dnsperf -m tcp -s 127.0.0.1 -p ${PORT[$id]} -d queries(${NAME[$id]} A) -l $secs -e ${ecs[*]} $opts"; } > "$OUT/$label.txt"
    s0=$(tree_ticks "${PID[$id]}"); b0=$(busy_ticks); t0=$(date +%s.%N)
    ( TIMEFORMAT='%3U %3S'; { time "${ON_LOAD_CPU[@]}" "$DNSPERF" -m tcp -s 127.0.0.1 -p "${PORT[$id]}" -d "$TMP/queries-$id.txt" \
        -l "$secs" -e "${ecs[@]}" $opts >> "$OUT/$label.txt" 2>&1; } 2> "$TMP/time" ) &
    pid=$!
    sleep "$(awk -v s="$secs" 'BEGIN { print s / 2 }')"
    conns=$(ss -Htn state established "( dport = :${PORT[$id]} )" | wc -l)
    wait "$pid" || true
    t1=$(date +%s.%N); s1=$(tree_ticks "${PID[$id]}"); b1=$(busy_ticks)
    times=$(tail -1 "$TMP/time")
    echo "# after: $(uptime); established connections half-way: $conns" >> "$OUT/$label.txt"
    awk -v f="$OUT/$label.txt" -v t0="$t0" -v t1="$t1" -v s="$((s1 - s0))" -v b="$((b1 - b0))" -v hz="$HZ" \
        -v times="$times" -v load="$load" -v conns="$conns" 'BEGIN {
        while ((getline l < f) > 0) {
            if (l ~ /Queries per second:/) { split(l, a, ":"); qps = a[2] + 0 }
            if (l ~ /Queries completed:/) { split(l, a, ":"); split(a[2], c, " "); done = c[1] + 0 }
            if (l ~ /Queries lost:/) { split(l, a, ":"); split(a[2], c, " "); lost = c[1] + 0 }
            if (l ~ /Reconnections:/) { split(l, a, ":"); rec = a[2] + 0 }
            if (l ~ /Response codes:/) { noerr = 0; if (match(l, /NOERROR [0-9]+ \([0-9.]+%\)/)) { x = substr(l, RSTART, RLENGTH); sub(/.*\(/, "", x); noerr = x + 0 } }
        }
        split(times, tm, " "); el = t1 - t0
        srv = s / hz / el; perf = (tm[1] + tm[2]) / el; other = b / hz / el - srv - perf
        if (other < 0) other = 0
        printf "%.0f %d %d %d %d %.2f %.2f %.2f %s %.2f %s\n", qps, done, lost, rec, conns, srv, perf, other, load,
            (done > 0 ? s / hz / done * 1e6 : 0), noerr }'
}

log "warm-up: ${WARMUP} s for Wayfinder, 3 s for NSD and gdnsd, at 100 clients (not counted)"
for id in "${SERVERS[@]}"; do
    run_point "$id" 100 "$([ "$id" = wf ] && echo "$WARMUP" || echo 3)" "warmup-$id" > /dev/null
done

printf 'round\tserver\tclients\tqps\tcompleted\tlost\treconnections\tconnections\tserver_cores\tdnsperf_cores\tother_cores\tload1\tserver_cpu_us_per_query\tnoerror_pct\n' > "$OUT/runs.tsv"
log "measuring: $RUNS rounds x clients ($CLIENTS) x ${#SERVERS[@]} servers x ${DURATION} s"
for round in $(seq "$RUNS"); do
    for c in $CLIENTS; do
        for id in "${SERVERS[@]}"; do
            line=$(run_point "$id" "$c" "$DURATION" "run$round-$id-c$c")
            kill -0 "${PID[$id]}" 2>/dev/null || die "$id (pid ${PID[$id]}) is gone after round $round; see $OUT/*.log"
            printf '%s\t%s\t%s\t%s\n' "$round" "$id" "$c" "$(tr ' ' '\t' <<<"$line")" >> "$OUT/runs.tsv"
            read -r qps done lost rec conns srv perf other load usq noerr <<<"$line"
            log "round $round, $id, $c clients: $qps q/s, $conns connections, lost $lost, reconnections $rec, NOERROR $noerr%;" \
                "CPU: server $srv ($usq µs/query), dnsperf $perf, other $other; load $load"
        done
    done
done

col() { # id clients column-name -> median
    awk -F'\t' -v id="$1" -v c="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) k = i; next }
        $2 == id && $3 == c { print $k }' "$OUT/runs.tsv" | median
}
range() { # id clients column-name -> min-max
    awk -F'\t' -v id="$1" -v c="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) k = i; next }
        $2 == id && $3 == c { v = $k + 0; if (n++ == 0 || v < lo) lo = v; if (n == 1 || v > hi) hi = v }
        END { printf (lo == hi ? "%s" : "%s-%s"), lo, hi }' "$OUT/runs.tsv"
}
{
    echo "## DNS over TCP on loopback, $(date -Is)"
    echo
    echo "Machine: $(nproc --all) cores, $(awk -F: '/model name/ { print $2; exit }' /proc/cpuinfo | sed 's/^ *//'), kernel $(uname -r)." \
         "$([ "$PIN" = 1 ] && echo "Servers pinned to CPU $SERVER_CPU, dnsperf to CPU $LOAD_CPU (taskset)." || echo "Not pinned.")"
    echo "dnsperf $("$DNSPERF" -h 2>&1 | awk '/^Version/ { print $2 }') \`-m tcp -l $DURATION -e\`, \`-c N -T ceil(N/256) -q max(N*$PIPELINE, $MIN_IN_FLIGHT)\`" \
         "(queries in flight: $PIPELINE per connection, at least $MIN_IN_FLIGHT in all); ECS runs add \`-E $ECS_OPT\` ($BENCH_PREFIX)."
    echo "Medians of $RUNS interleaved runs (the dnsperf options of each point are in its raw output); CPU µs/query = the server's CPU time (user + system) over the answers dnsperf counted."
    echo
    for id in "${SERVERS[@]}"; do echo "- $id: ${SETUP[$id]}"; done
    echo
    echo "| Server | Clients | Queries/s | Server CPU µs/query | Server CPU (cores) | Connections seen | Lost | Reconnections | Load (1 min) | Runs |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"
    for c in $CLIENTS; do
        for id in "${SERVERS[@]}"; do
            printf '| %s | %s | %.0f | %.2f | %s | %s | %s | %s | %s | %s |\n' "$id" "$c" "$(col "$id" "$c" qps)" \
                "$(col "$id" "$c" server_cpu_us_per_query)" "$(col "$id" "$c" server_cores)" "$(range "$id" "$c" connections)" \
                "$(range "$id" "$c" lost)" "$(range "$id" "$c" reconnections)" "$(range "$id" "$c" load1)" "$RUNS"
        done
    done
    echo
    echo "Raw outputs: ${OUT#"$ROOT"/}/ (runs.tsv: every run; run<round>-<server>-c<clients>.txt: dnsperf's output)"
} > "$OUT/summary.md"
cat "$OUT/summary.md"
