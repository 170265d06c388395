#!/usr/bin/env bash
# Ingestion rate of POST /api/v1/measurements on loopback: builds the server and bench jars, then
# io.wayfinder.bench.MeasurementLoad starts `wayfinder serve` with latency.learn (Wayfinder's own
# learner) and posts pre-generated batches of 100,000 samples from 2 connections for 30 s after a
# 10 s warm-up, and prints samples posted, kept by the learner (per second), dropped at its pending
# cap and rejected, and the server's own pending and dropped counts at the end.
#
#   bench/ingest/run.sh                              # JSON arrays, 2 connections, 30 s
#   bench/ingest/run.sh --seconds 60                 # the sustained run the README quotes
#   bench/ingest/run.sh --format ndjson --connections 4 --seconds 60
#   SKIP_BUILD=1 bench/ingest/run.sh                 # reuse server/target and bench/target
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
MVN_FLAGS=${MVN_FLAGS:--B -q -Dstyle.color=never -pl bench -am -Dmaven.test.skip=true}
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "building server and bench (mvn $MVN_FLAGS package)..." >&2
  # shellcheck disable=SC2086
  mvn $MVN_FLAGS package >&2
fi
shopt -s nullglob
server_jars=(server/target/wayfinder-*-all.jar)
[[ ${#server_jars[@]} -eq 1 ]] || { echo "expected one server/target/wayfinder-*-all.jar, found ${#server_jars[@]}" >&2; exit 1; }
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(nproc) cpus; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx3g -cp bench/target/benchmarks.jar io.wayfinder.bench.MeasurementLoad --jar "${server_jars[0]}" --seconds 30 "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
