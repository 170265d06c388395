#!/usr/bin/env bash
# Slowloris against a real Wayfinder on loopback: 1,100 TCP connections that each send one byte of
# a query every 5 s (and are opened again when the server closes them), then 40 fresh TCP clients,
# one every 50 ms from another address: how many of them are answered within 2 s.
#
#   bench/attack/slowloris.sh                  # the slow connections spread over 100 source addresses
#   SOURCES=1 bench/attack/slowloris.sh        # all from one address
#   WAYFINDER_JAR=/tmp/wayfinder-old.jar bench/attack/slowloris.sh
#
# Other knobs: CONNECTIONS (1100), SETTLE (s between opening them and the fresh clients, 12),
# SERVER_JAVA_OPTS, TCP_SETTINGS, KEEP_TMP (see lib.sh). Loopback only: the slow connections bind
# 127.0.1.1, 127.0.1.2, ..., the fresh clients 127.0.9.9.
set -euo pipefail
# shellcheck source=bench/attack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ "$(ulimit -n)" -gt "$(( ${CONNECTIONS:-1100} + 100 ))" ] || ulimit -n "$(( ${CONNECTIONS:-1100} + 200 ))"
start_server
python3 "$ROOT/bench/attack/attack.py" slowloris --server "127.0.0.1:$DNS_PORT" --pid "$SERVER_PID" \
    --connections "${CONNECTIONS:-1100}" --sources "${SOURCES:-100}" --settle "${SETTLE:-12}"
report_server
