#!/usr/bin/env bash
# A fuzz run against a running Wayfinder, loopback only: io.wayfinder.bench.PacketFuzzer sends
# generated packets (valid queries, mutated ones and random bytes, in equal shares; 5% over TCP,
# several per connection, some with lying length prefixes) and checks that every answer parses,
# that the server keeps answering a canary query (every 20,000 packets and at the end), and that
# wayfinder_dns_internal_errors_total stays 0. The server runs from the built jar with a test
# configuration (a routed profile, CNAMEs in and out of the zone, in-zone name servers with glue,
# a zone whose NS set needs TCP; response-rate limiting off, so that every packet is answered) on
# free loopback ports.
#
#   bench/fuzz/run.sh                        # 1,000,000 packets, seed 1
#   bench/fuzz/run.sh 200000 --seed 7        # fewer packets, another seed
#   SKIP_BUILD=1 THREADS=2 bench/fuzz/run.sh # reuse the jars; server event loops (default 2)
#
# Writes the fuzzer's output, the server log and the answers that failed a check (hex) to
# bench/results/fuzz-<date>.* (git-ignored). Exit status: 0 PASS, 3 a check failed, else error.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PACKETS=1000000
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
  PACKETS=$1
  shift
fi
THREADS=${THREADS:-2}
MVN_FLAGS=${MVN_FLAGS:--B -q -Dstyle.color=never -pl bench -am -Dmaven.test.skip=true}
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p bench/results
OUT=bench/results/fuzz-$STAMP.txt
SERVER_LOG=bench/results/fuzz-$STAMP.server.log
FAILURES=bench/results/fuzz-$STAMP.failures.txt

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "building server and bench (mvn $MVN_FLAGS package)..." >&2
  # shellcheck disable=SC2086
  mvn $MVN_FLAGS package >&2
fi

WORK=$(mktemp -d -t wayfinder-fuzz-run.XXXXXX)
SERVER_PID=
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
shopt -s nullglob
server_jars=(server/target/wayfinder-*-all.jar)
[[ ${#server_jars[@]} -eq 1 ]] || { echo "expected one server/target/wayfinder-*-all.jar, found ${#server_jars[@]}" >&2; exit 1; }
[[ -f bench/target/benchmarks.jar ]] || { echo "no bench/target/benchmarks.jar (build first)" >&2; exit 1; }
cp "${server_jars[0]}" "$WORK/wayfinder-all.jar"
cp bench/target/benchmarks.jar "$WORK/benchmarks.jar"

# Free loopback ports (UDP and TCP alike) for DNS and metrics.
free_port() {
  python3 -c 'import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: u.close(); t.close()'
}
DNS_PORT=$(free_port)
METRICS_PORT=$(free_port)

NS=""
for i in $(seq 0 23); do NS="$NS${NS:+, }a-rather-long-name-server-label-number-$i.example.net"; done
cat > "$WORK/fuzz.yaml" <<YAML
dns:
  listen: ["127.0.0.1:$DNS_PORT"]
  rateLimit: {responsesPerSecond: 0}   # off: every packet reaches the answering path
metrics:
  listen: "127.0.0.1:$METRICS_PORT"
zones:
  - name: fuzz.test
    nameservers:
      - {name: ns1.fuzz.test, addresses: [127.0.0.1, "::1"]}
      - {name: ns2.fuzz.test, addresses: [127.0.0.2]}
      - ns3.elsewhere.example
    hostmaster: hostmaster.fuzz.test
  - name: big.test
    nameservers: [$NS]
profiles:
  - name: www
    zone: fuzz.test
    trafficRoutingMethod: Weighted
    dnsConfig: {relativeName: www, ttl: 30}
    endpoints:
      - {name: a, target: 192.0.2.1, weight: 1}
      - {name: b, target: "2001:db8::1", weight: 1}
      - {name: c, target: cdn.example.net, weight: 1}
  - name: eu
    zone: fuzz.test
    trafficRoutingMethod: MultiValue
    maxReturn: 4
    dnsConfig: {relativeName: eu}
    endpoints:
      - {name: a, target: 192.0.2.11}
      - {name: b, target: 192.0.2.12}
      - {name: c, target: 192.0.2.13}
  - name: alias
    zone: fuzz.test
    trafficRoutingMethod: Priority
    dnsConfig: {relativeName: alias}
    endpoints:
      - {name: in-zone, target: eu.fuzz.test}
  - name: deep
    zone: fuzz.test
    trafficRoutingMethod: Priority
    dnsConfig: {relativeName: x.deep}
    endpoints:
      - {name: only, target: 192.0.2.20}
YAML

{
  echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($(git status --porcelain 2>/dev/null | wc -l) changed paths)"
  echo "$(java -version 2>&1 | head -1); $(nproc) cpus; server threads $THREADS"
  echo "uptime before: $(uptime)"
  echo "command: bench/fuzz/run.sh $PACKETS $*"
} | tee "$OUT" >&2

java -Xmx512m -jar "$WORK/wayfinder-all.jar" serve --config "$WORK/fuzz.yaml" --threads "$THREADS" > "$SERVER_LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  grep -q "metrics on" "$SERVER_LOG" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; exit 1; }
  sleep 0.2
done

set +e
java -Xmx512m -cp "$WORK/benchmarks.jar" io.wayfinder.bench.PacketFuzzer --server "127.0.0.1:$DNS_PORT" \
  --metrics "127.0.0.1:$METRICS_PORT" --packets "$PACKETS" --failures "$FAILURES" "$@" 2>&1 | tee -a "$OUT" >&2
status=${PIPESTATUS[0]}
set -e
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "the server is not running any more" | tee -a "$OUT" >&2
  status=3
fi
{
  echo "uptime after: $(uptime)"
  echo "server log lines at WARN or above: $(grep -cE ' (WARN|ERROR) |Exception' "$SERVER_LOG" || true)"
  curl -s "http://127.0.0.1:$METRICS_PORT/metrics" | grep -E '^wayfinder_dns_(responses|dropped|internal_errors)' || true
} | tee -a "$OUT" >&2
echo
sed -n '/^## Summary/,/^\(PASS\|FAIL\)$/p' "$OUT"
echo
echo "full output: $OUT (server log: $SERVER_LOG; failed answers: $FAILURES)"
exit "$status"
