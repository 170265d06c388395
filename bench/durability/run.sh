#!/usr/bin/env bash
# The long version of StoreDurabilityTest: a child JVM writes profiles to the embedded store
# (SQLite, WAL, synchronous=FULL) in a loop, printing each acknowledged write, and is killed with
# SIGKILL (kill -9) at a uniformly random moment; the store is reopened, checked whole
# (quick_check) and compared with what was acknowledged. All rounds share one store, so each
# round also recovers from the previous kill.
#
#   bench/durability/run.sh [ROUNDS] [MAX_MILLIS]     # defaults: 200 rounds, kill within 3000 ms
#
# Exits 1 if any acknowledged write was lost or the store was damaged.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-200}"
MAX_MILLIS="${2:-3000}"
mvn -B -q -Dstyle.color=never -pl server test-compile dependency:build-classpath -Dmdep.outputFile=target/durability.classpath >/dev/null
CP="server/target/test-classes:server/target/classes:$(cat server/target/durability.classpath)"
DIR="$(mktemp -d /tmp/wayfinder-durability.XXXXXX)"
trap 'rm -rf "$DIR"' EXIT
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(df -h --output=fstype,source "$DIR" | tail -1 | tr -s ' ')"
java -cp "$CP" io.wayfinder.store.DurabilityCheck "$ROUNDS" "$DIR" "$MAX_MILLIS"
