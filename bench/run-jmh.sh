#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar and runs Wayfinder's JMH benchmarks and the latency-table
# footprint, one JVM at a time, with settings sized for a 2-core box. Results and the machine load
# at the time go to bench/results/<timestamp>/ (git-ignored).
#
#   bench/run-jmh.sh                 # everything (about 15 min on 2 quiet cores, 25 with EXPERIMENTS=1)
#   bench/run-jmh.sh QueryPath       # only benchmarks matching a regex; skips the footprint
#   SKIP_BUILD=1 bench/run-jmh.sh    # reuse the jar
#   JMH_OPTS="-f 1 -wi 1 -w 1s -i 1 -r 1s -prof gc" bench/run-jmh.sh   # smoke run
#   EXPERIMENTS=1 bench/run-jmh.sh   # also the PrefixMap layout and IpPrefix hash experiments
#
# On a loaded box, cross-check a JMH figure in thread CPU time (descheduled time excluded):
#   java -Xmx10g -cp bench/target/benchmarks.jar io.wayfinder.bench.CpuTimeRunner route 1000000 mixed
#
# The 10M-prefix table peaks near 5 GB of heap while it is built: the forks run with -Xmx10g
# (@Fork(jvmArgsAppend) in each benchmark) and the footprint with -Xmx12g.
set -euo pipefail
cd "$(dirname "$0")/.."

FILTER=${1:-}
JAR=bench/target/benchmarks.jar
RESULTS=bench/results/$(date +%Y%m%d-%H%M%S)
# Tests are not needed for the jar; skipping their compilation also keeps the build independent of
# work in progress under server/src/test.
MVN_FLAGS=${MVN_FLAGS:--B -q -pl bench -am -Dmaven.test.skip=true}
read -r -a JMH <<< "${JMH_OPTS:--f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc}"
mkdir -p "$RESULTS"

load() { echo "$(date -Is) $1: $(uptime)" | tee -a "$RESULTS/load.txt"; }

{
  echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($(git status --porcelain 2>/dev/null | wc -l) changed paths)"
  java -version 2>&1 | head -1
  echo "cpus $(nproc), $(free -g | awk '/Mem:/ {print $2 " GiB RAM"}')"
  grep -m1 'model name' /proc/cpuinfo || true
} | tee "$RESULTS/machine.txt"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  # shellcheck disable=SC2086
  mvn $MVN_FLAGS package
fi

jmh() { # name, then JMH arguments
  local name=$1; shift
  load "before $name"
  java -Xmx512m -jar "$JAR" "${JMH[@]}" -rf json -rff "$RESULTS/$name.json" -o "$RESULTS/$name.txt" "$@"
  load "after $name"
  sed -n '/^Benchmark /,$p' "$RESULTS/$name.txt"
}

if [[ -n "$FILTER" ]]; then
  jmh custom "$FILTER"
  exit 0
fi

# The whole decision at 1M and 10M prefixes, realistic client mix.
jmh routing 'RoutingDecisionBenchmark' -p clients=mixed
# One evidence path at a time, 1M only: where the time of the mix goes.
jmh routing-paths 'RoutingDecisionBenchmark' -p prefixes=1000000 -p clients=inside,aggregate,distance
# Its parts: one LPM, and the four estimates.
jmh latency-table 'LatencyTableLookupBenchmark'
# Decode, and decode + answer (1M table).
jmh query-path 'QueryPathBenchmark'
# The distance model's haversine, against precomputed unit vectors.
jmh great-circle 'GreatCircleBenchmark'
# The response-rate limit: the table alone (normal, forged flood, limited flood on 1 and 2 threads), and on the query path.
jmh rate-limit 'ResponseRateLimiterBenchmark'

if [[ "${EXPERIMENTS:-0}" == 1 ]]; then
  jmh prefixmap-layout 'PrefixMapLayoutBenchmark'
  load "before hash experiment"
  java -Xmx12g -cp "$JAR" io.wayfinder.bench.PrefixHashExperiment 1000000 10000000 | tee "$RESULTS/prefix-hash.txt"
  load "after hash experiment"
fi

load "before footprint"
java -Xmx12g -cp "$JAR" io.wayfinder.bench.TableFootprint 1000000 10000000 | tee "$RESULTS/footprint.txt"
load "after footprint"
echo "results in $RESULTS"
