#!/usr/bin/env bash
# Failover time of Wayfinder's health checks, end to end, on loopback: the time from killing an
# endpoint's server to the first DNS answer without it, and from restarting it to the first answer
# with it again. Runs `wayfinder serve` with a Priority profile (primary 127.0.0.10, secondary
# 127.0.0.11; HTTP probes every 2 s, timeout 1 s, tolerated 1, required successes 1; TTL 0) and
# io.wayfinder.bench.FailoverTimer, which owns both endpoints' HTTP servers and polls DNS every 10 ms.
#
#   bench/failover/run.sh                    # 20 trials (about 2.5 minutes)
#   bench/failover/run.sh 40                 # 40 trials
#   bench/failover/run.sh 20 --mode hang     # the endpoint hangs instead of refusing: probes time out
#   SKIP_BUILD=1 bench/failover/run.sh       # reuse server/target and bench/target
#
# Other harness options (after the trial count): --seed S, --interval S, --timeout S, --tolerated N,
# --required N, --java-opts "..." (for the server's JVM), --pause-server-ms N (a diagnostic: SIGSTOP
# the server for N ms during each failover, as a long GC pause or a starved CPU would). Targets:
#   failover <= (interval + timeout) x (tolerated + 1) + 1 s      (7 s)
#   recovery <= requiredConsecutiveSuccesses x interval + 1 s     (3 s)
# met when every trial is within them. Writes the whole output (every trial, the machine load
# before and after) to bench/results/failover-<date>.txt (git-ignored) and the server's log next
# to it; prints the summary as a Markdown table. Exit status: 0 PASS, 3 a target missed, else error.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

TRIALS=20
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
  TRIALS=$1
  shift
fi
# Tests are not needed for the jars; skipping their compilation also keeps the build independent of
# work in progress under */src/test.
MVN_FLAGS=${MVN_FLAGS:--B -q -Dstyle.color=never -pl bench -am -Dmaven.test.skip=true}
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p bench/results
OUT=bench/results/failover-$STAMP.txt
SERVER_LOG=bench/results/failover-$STAMP.server.log

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "building server and bench (mvn $MVN_FLAGS package)..." >&2
  # shellcheck disable=SC2086
  mvn $MVN_FLAGS package >&2
fi

# Run from copies, so that a build elsewhere in this tree (mvn clean, a new shade) cannot pull the
# jars out from under a run of several minutes.
WORK=$(mktemp -d -t wayfinder-failover-run.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
shopt -s nullglob
server_jars=(server/target/wayfinder-*-all.jar)
[[ ${#server_jars[@]} -eq 1 ]] || { echo "expected one server/target/wayfinder-*-all.jar, found ${#server_jars[@]}" >&2; exit 1; }
[[ -f bench/target/benchmarks.jar ]] || { echo "no bench/target/benchmarks.jar (build first)" >&2; exit 1; }
cp "${server_jars[0]}" "$WORK/wayfinder-all.jar"
cp bench/target/benchmarks.jar "$WORK/benchmarks.jar"

{
  echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($(git status --porcelain 2>/dev/null | wc -l) changed paths)"
  echo "$(java -version 2>&1 | head -1); $(nproc) cpus; $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' || true)"
  echo "uptime before: $(uptime)"
  echo "command: bench/failover/run.sh $TRIALS $*"
} | tee "$OUT" >&2

set +e
java -Xmx256m -cp "$WORK/benchmarks.jar" io.wayfinder.bench.FailoverTimer --trials "$TRIALS" \
  --jar "$WORK/wayfinder-all.jar" --server-log "$SERVER_LOG" "$@" 2>&1 | tee -a "$OUT" >&2
status=${PIPESTATUS[0]}
set -e
echo "uptime after: $(uptime)" | tee -a "$OUT" >&2
# Context for outliers: the server's status changes (with their probe results).
{
  echo
  echo "server status changes:"
  grep -E 'endpoint svc/|WARN|ERROR|Exception' "$SERVER_LOG" || true
} >> "$OUT"

echo
sed -n '/^## Summary/,/^answers that/p' "$OUT"
echo
echo "full output: $OUT (server log: $SERVER_LOG)"
exit "$status"
