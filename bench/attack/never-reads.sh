#!/usr/bin/env bash
# A TCP client that writes pipelined queries as fast as it can and never reads the answers, against
# a real Wayfinder on loopback: the server's RSS before, during and after, and whether UDP and
# fresh TCP clients are answered meanwhile (one UDP and one TCP query every 100 ms, 1 s timeout).
#
#   bench/attack/never-reads.sh                         # 4 connections, 20 s of attack, 20 s after
#   CONNECTIONS=1 ATTACK=60 bench/attack/never-reads.sh
#   WAYFINDER_JAR=/tmp/wayfinder-old.jar bench/attack/never-reads.sh   # another build
#
# Other knobs: BEFORE / AFTER (seconds), SERVER_JAVA_OPTS, TCP_SETTINGS, KEEP_TMP (see lib.sh).
# Loopback only: the server listens on 127.0.0.1, the attacker binds 127.0.0.2, the prober 127.0.0.3.
set -euo pipefail
# shellcheck source=bench/attack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

start_server
python3 "$ROOT/bench/attack/attack.py" never-reads --server "127.0.0.1:$DNS_PORT" --pid "$SERVER_PID" \
    --connections "${CONNECTIONS:-4}" --before "${BEFORE:-5}" --attack "${ATTACK:-20}" --after "${AFTER:-20}"
report_server
