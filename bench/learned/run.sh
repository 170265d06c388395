#!/usr/bin/env bash
# The learned table at scale (issue 11): for each size, LearnedScale (server test sources, where the
# generated internet lives) builds a world of N client /24s x 20 regions, adds its samples to a
# LearnedLatency, times a full rebuild, measures the heap the learner retains, writes a checkpoint,
# and posts samples through the HTTP API of a server that restored it; then JMH's
# LearnedRoutingDecisionBenchmark times the routing decision on the restored table. The load
# average is recorded before and after each step: run it when `uptime` shows less than 1.5.
#
#   bench/learned/run.sh                              # 1M, 2M, 5M and 10M networks
#   bench/learned/run.sh 1000000                      # one size
#   HTTP_SAMPLES=2000000 SKIP_BUILD=1 bench/learned/run.sh 1000000
#   JMH_ONLY=bench/results/learned-<time> bench/learned/run.sh 10000000   # JMH again on that run's checkpoint
#   SKIP_JMH=1 bench/learned/run.sh 1000000          # LearnedScale only (JMH later, with JMH_ONLY)
#   HEAP=9g SCALE_ARGS="--http 0" SKIP_JMH=1 bench/learned/run.sh 10000000    # both rebuilds fit in 9 GB since i11-scale
#   HEAP=9g SCALE_ARGS="--http 0 --first-only" SKIP_JMH=1 bench/learned/run.sh 10000000
#                                                    # on a shared machine: 9 GB, no HTTP step, one rebuild
#   LAUNCHER_DEFAULTS=0 bench/learned/run.sh 10000000  # in a JVM with its own defaults, not bin/wayfinder's
#
# Results (and the checkpoints, a few GB at 10M) go to bench/results/learned-<time>/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000000 2000000 5000000 10000000)
OUT=${JMH_ONLY:-bench/results/learned-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
[[ -z "${JMH_ONLY:-}" ]] || SKIP_BUILD=1
load() { echo "$(date -Is) $1: $(uptime)" | tee -a "$OUT/load.txt"; }
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -Dstyle.color=never -pl server test-compile
  mvn -B -q -Dstyle.color=never -pl bench -am -Dmaven.test.skip=true package
fi
mvn -B -q -Dstyle.color=never -pl server dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/classpath.txt" >/dev/null
CP="server/target/test-classes:server/target/classes:$(cat "$OUT/classpath.txt")"
# LearnedScale runs in the JVM a server runs in: bin/wayfinder's options (LAUNCHER_DEFAULTS=0: the
# JVM's own). With the JVM's defaults, G1's adaptive marking threshold (45% of the heap at first)
# lies below what the learner keeps at 10 M networks, and every large array the rebuild allocates
# starts another marking cycle on the two cores the rebuild runs on (bench/README.md, "Issue 11: the
# 10 M rebuild in the server's JVM").
source bench/lib/launcher-opts.sh
JVM_OPTS="$(launcher_opts)"
{
  echo "commit $(git rev-parse --short HEAD) ($(git status --porcelain | wc -l) changed paths)"
  java -version 2>&1 | head -1
  echo "JVM options: ${JVM_OPTS:-none, the JVM defaults}"
  echo "cpus $(nproc), $(free -g | awk '/Mem:/ {print $2 " GiB RAM"}')"
} | tee -a "$OUT/machine.txt"
for n in "${SIZES[@]}"; do
  if [[ -z "${JMH_ONLY:-}" ]]; then
    load "before LearnedScale $n"
    # shellcheck disable=SC2086
    java $JVM_OPTS -Xmx"${HEAP:-14g}" -cp "$CP" io.wayfinder.quality.LearnedScale --out "$OUT" --http "${HTTP_SAMPLES:-5000000}" \
      ${SCALE_ARGS:-} "$n" \
      2> "$OUT/scale-$n.log" | tee "$OUT/scale-$n.txt"
    load "after LearnedScale $n"
  fi
  [[ "${SKIP_JMH:-0}" != 1 ]] || continue
  # JMH runs one benchmark at a time per machine (/tmp/jmh.lock): wait while another holds it.
  while :; do
    load "before JMH $n"
    if java -Xmx512m -jar bench/target/benchmarks.jar LearnedRoutingDecisionBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc \
        -p dir="$OUT" -p networks="$n" -rf json -rff "$OUT/jmh-$n.json" -o "$OUT/jmh-$n.txt" 2> "$OUT/jmh-$n.err"; then
      break
    fi
    grep -q "Unable to acquire the JMH lock" "$OUT/jmh-$n.err" || { cat "$OUT/jmh-$n.err" >&2; exit 1; }
    echo "another JMH run holds /tmp/jmh.lock; waiting" >&2
    sleep 15
  done
  load "after JMH $n"
  sed -n '/^Benchmark /,$p' "$OUT/jmh-$n.txt"
  rm -rf "$OUT/$n/server"
done
echo "results in $OUT"
