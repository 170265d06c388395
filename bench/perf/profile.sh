#!/usr/bin/env bash
# perf profile of one Wayfinder variant under dnsperf load on loopback, by component
# (bench/perf/categorize.py). Same data, pinning and query as bench/dnsperf/run.sh.
#   bench/perf/profile.sh ffm25            # or netty17, netty25 (<udpTransport><Java major>)
#   SECONDS_RECORDED=20 bench/perf/profile.sh netty17
# Needs perf (Debian's linux-perf) and perf_event_paranoid <= 2 for one's own processes.
# Writes bench/results/perf-<variant>-<time>/ (git-ignored): perf.data, perf-script.txt.gz, components.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VARIANT="${1:?usage: bench/perf/profile.sh <netty17|netty25|ffm25>}"
WARM="${WARM:-20}"; SECONDS_RECORDED="${SECONDS_RECORDED:-10}"; PORT="${PORT:-15399}"
DNSPERF_OPTS="${DNSPERF_OPTS:--c 8 -T 2 -q 128}"
command -v perf >/dev/null || { echo "perf not found (apt-get install linux-perf)" >&2; exit 1; }
OUT="$ROOT/bench/results/perf-$VARIANT-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
# The data, configuration and jar of the dnsperf benchmark: one start of it without measuring, kept.
kept=$(RUNS=0 WARMUP=0 KEEP_TMP=1 QUIET_WAIT=1 WAYFINDER_VARIANTS="$VARIANT" PORT_BASE="$PORT" "$ROOT/bench/dnsperf/run.sh" 2>&1 \
    | sed -n 's/.*kept \(.*\)$/\1/p')
[ -d "$kept" ] || { echo "bench/dnsperf/run.sh did not leave its temp dir" >&2; exit 1; }
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$kept"' EXIT
# the benchmark's ECS subnet: the table's first /24 (as run.sh's ecs_hex)
IFS=./ read -r a b c _ < "$kept/fastest.txt"
ecs=$(printf '8:0001%02x00%02x%02x%02x' 24 "$a" "$b" "$c")
[[ $VARIANT =~ ^(netty|ffm|auto)([0-9]+)$ ]]
home_var="JAVA${BASH_REMATCH[2]}_HOME"; java=java
if [ -n "${!home_var:-}" ]; then java="${!home_var}/bin/java"
else for d in /usr/lib/jvm/*-"${BASH_REMATCH[2]}"-*; do [ -x "$d/bin/java" ] && { java="$d/bin/java"; break; }; done; fi
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$kept/wf-0.yaml" | head -1)
# -XX:+PreserveFramePointer: whole Java stacks in perf's call graphs
taskset -c 0 "$java" -Xmx1g --enable-native-access=ALL-UNNAMED -XX:+PreserveFramePointer -jar "$kept/wf.jar" serve \
    --config "$kept/wf-0.yaml" > "$OUT/wayfinder.log" 2>&1 &
pid=$!
for _ in $(seq 120); do dig +short +time=1 +tries=1 @127.0.0.1 -p "$port" www.routed.test A 2>/dev/null | grep -q . && break; sleep 0.5; done
load() { taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" -d "$kept/queries-wf0.txt" -l "$1" -e -E "$ecs" $DNSPERF_OPTS; }
load "$WARM" > "$OUT/dnsperf-warmup.txt" 2>&1
load $((SECONDS_RECORDED + 8)) > "$OUT/dnsperf.txt" 2>&1 &
sleep 1
perf record -F 999 -g -p "$pid" -o "$OUT/perf.data" -- sleep "$SECONDS_RECORDED" 2> "$OUT/perf-record.txt"
# System calls in 5 s of the same load, and how many datagrams each batch call moved (tracepoints;
# skipped where they cannot be read). Answers in those 5 s: the server's answer counter is not
# exposed here, so dnsperf's rate stands in for it.
perf stat -x, -e 'syscalls:sys_enter_recvmmsg,syscalls:sys_enter_sendmmsg,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_recvmsg,syscalls:sys_enter_sendmsg' \
    -p "$pid" -- sleep 5 2> "$OUT/syscalls.csv" || true
"$(dirname "$java")/jcmd" "$pid" Compiler.perfmap > /dev/null   # JIT symbols for perf (/tmp/perf-<pid>.map)
wait %2 2>/dev/null || true
perf script -i "$OUT/perf.data" 2>/dev/null | tee >(gzip > "$OUT/perf-script.txt.gz") | python3 "$ROOT/bench/perf/categorize.py" > "$OUT/components.md"
qps=$(awk -F: '/Queries per second/ { print $2 + 0 }' "$OUT/dnsperf.txt")
{ echo "# $VARIANT, $(date -Is), load: $(uptime)"; grep -h "Queries per second" "$OUT/dnsperf.txt"; cat "$OUT/components.md"
  echo; echo "System calls a second (5 s), and queries per call at dnsperf's rate:"
  awk -F, -v q="$qps" '$3 ~ /syscalls/ && $1 + 0 > 0 { sub(/syscalls:sys_enter_/, "", $3); printf "- %s: %.0f/s, %.1f queries per call\n", $3, $1 / 5, q * 5 / $1 }' "$OUT/syscalls.csv"
} | tee "$OUT/summary.md"
