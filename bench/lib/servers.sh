# Shared by the loopback benchmarks that run NSD, gdnsd and Wayfinder side by side (sourced):
# Debian tools, the synthetic latency data, the three servers' configurations, the Wayfinder jar,
# starting and stopping them, and the CPU accounting read from /proc.
#
# Setup, in this order:
#   source bench/lib/servers.sh         (after ROOT is set; defines functions only, plus PIDS=())
#   install_tools dnsperf:dnsperf nsd:nsd ...      TOOL:DEBIAN_PACKAGE; installs the missing ones
#   latency_data DIR N                  DIR/latency.csv, DIR/nets (gdnsd), DIR/fastest.txt
#   nsd_config DIR PORT [EXTRA]         DIR/nsd.conf + DIR/static.test.zone (www.static.test A)
#   gdnsd_config DIR PORT [EXTRA]       DIR/config + DIR/zones/plugin.test (www.plugin.test, geoip)
#   wayfinder_jar TMP OUT               TMP/wf.jar (WAYFINDER_JAR, WAYFINDER_REV or the working tree)
#   start_bg ID LOG CMD...              PID[ID], and the pid in PIDS for stop_servers
#   wait_answers ID PORT NAME           until dig gets an address back (over UDP), at most 180 s
#   trap stop_at_exit EXIT; trap 'exit 130' INT TERM
# shellcheck shell=bash

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root or sudo to run: $*"; fi; }
find_tool() { command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || true; }

install_tools() { # TOOL:PACKAGE ...
    local missing=() t
    for t in "$@"; do [ -n "$(find_tool "${t%%:*}")" ] || missing+=("${t#*:}"); done
    [ "${#missing[@]}" -gt 0 ] || return 0
    log "installing ${missing[*]} (apt-get)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    for t in "$@"; do [ -n "$(find_tool "${t%%:*}")" ] || die "${t%%:*} not found after installing ${t#*:}"; done
}

port_free() { ! ss -Hlntu "( sport = :$1 )" | grep -q .; }
next_port() { local p=$1; while ! port_free "$p"; do p=$((p + 1)); done; echo "$p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The four regions, their answers, and NSD's static answer.
REGIONS=(westeurope northeurope eastus southeastasia)
declare -A TARGET=([westeurope]=192.0.2.11 [northeurope]=192.0.2.12 [eastus]=192.0.2.13 [southeastasia]=192.0.2.14)
STATIC_A=192.0.2.53

# latency_data DIR N: N distinct random-looking /24s (an odd multiplier permutes the 2^24 /24
# space), each with an RTT to the four regions: a "home" region near the client plus noise, from
# a Park-Miller generator (exact in awk's doubles, so every awk gives the same table). Writes the
# Wayfinder CSV, gdnsd's nets file (each /24 -> its regions fastest first) and the fastest region
# of every prefix (for checking answers). bench/dnsperf/run.sh and bench/tcp/run.sh both use it.
latency_data() {
    awk -v n="$2" -v csv="$1/latency.csv" -v nets="$1/nets" -v best="$1/fastest.txt" 'BEGIN {
        split("westeurope northeurope eastus southeastasia", reg, " ")
        d[1,1]=6;   d[1,2]=16;  d[1,3]=85;  d[1,4]=160
        d[2,1]=16;  d[2,2]=6;   d[2,3]=75;  d[2,4]=175
        d[3,1]=85;  d[3,2]=75;  d[3,3]=6;   d[3,4]=230
        d[4,1]=160; d[4,2]=175; d[4,3]=230; d[4,4]=6
        x = 20240917
        print "# synthetic, deterministic (bench/lib/servers.sh)" > csv
        print "prefix,region,rtt_ms,samples" > csv
        for (i = 0; count < n; i++) {
            p = (i * 11400713 + 5023) % 16777216
            a = int(p / 65536); b = int(p / 256) % 256; c = p % 256
            if (a == 0 || a == 10 || a == 127 || a >= 224) continue
            count++
            x = (16807 * x) % 2147483647; h = 1 + int(x / 2147483647 * 4)
            lo = 1e9
            for (j = 1; j <= 4; j++) {
                x = (16807 * x) % 2147483647
                r[j] = int((d[h,j] + x / 2147483647 * 40) * 10 + 0.5) / 10
                if (r[j] < lo) lo = r[j]
            }
            first = 0
            for (j = 1; j <= 4; j++) if (r[j] == lo) { if (first) r[j] += 0.1; else first = j }
            for (j = 1; j <= 4; j++) o[j] = j
            for (j = 2; j <= 4; j++) for (k = j; k > 1 && r[o[k]] < r[o[k-1]]; k--) { t = o[k]; o[k] = o[k-1]; o[k-1] = t }
            pre = a "." b "." c ".0/24"
            for (j = 1; j <= 4; j++) printf "%s,%s,%.1f,100\n", pre, reg[j], r[j] > csv
            printf "%s => [ %s, %s, %s, %s ]\n", pre, reg[o[1]], reg[o[2]], reg[o[3]], reg[o[4]] > nets
            print pre, reg[o[1]] > best
        }
    }'
}

ecs_hex() { # a.b.c.0/24 -> RFC 7871 option data: family 1, source /24, scope 0, 3 address bytes
    local ip=${1%/*} a b c
    IFS=. read -r a b c _ <<<"$ip"
    printf '0001%02x00%02x%02x%02x' 24 "$a" "$b" "$c"
}

# nsd_config DIR PORT [EXTRA]: NSD serving www.static.test A (no root: no user switch, no chroot);
# EXTRA: more "server:" lines (each indented by 4 spaces).
nsd_config() {
    local dir=$1 port=$2 extra=${3:-}
    mkdir -p "$dir"
    cat > "$dir/static.test.zone" <<EOF
\$ORIGIN static.test.
\$TTL 30
@    IN SOA ns1.static.test. hostmaster.static.test. 1 3600 900 604800 30
@    IN NS  ns1.static.test.
ns1  IN A   127.0.0.1
www  IN A   $STATIC_A
EOF
    cat > "$dir/nsd.conf" <<EOF
server:
    ip-address: 127.0.0.1@$port
    port: $port
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$dir"
    database: ""
    zonelistfile: "$dir/zone.list"
    xfrdfile: "$dir/xfrd.state"
    xfrdir: "$dir"
    pidfile: "$dir/nsd.pid"
    logfile: "$dir/nsd.log"
    verbosity: 0
    hide-version: yes
    hide-identity: yes
    # Debian's NSD is built with response-rate limiting (200 q/s per source and name): off here.
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
$extra
remote-control:
    control-enable: no
zone:
    name: static.test
    zonefile: static.test.zone
EOF
}

# gdnsd_config DIR PORT NETS [EXTRA]: gdnsd's geoip plugin choosing www.plugin.test's A per client
# subnet from the nets map NETS (ECS on); EXTRA: more "options" lines.
gdnsd_config() {
    local dir=$1 port=$2 nets=$3 extra=${4:-}
    mkdir -p "$dir/zones" "$dir/geoip" "$dir/run" "$dir/state"
    cp "$nets" "$dir/geoip/nets"
    cat > "$dir/config" <<EOF
options => {
    listen => [ 127.0.0.1:$port ]
    edns_client_subnet => true
    run_dir => $dir/run
    state_dir => $dir/state
$extra
}
plugins => {
    geoip => {
        maps => {
            bench => {
                datacenters => [ ${REGIONS[*]} ]
                nets => nets
            }
        }
        resources => {
            www => {
                map => bench
                dcmap => {
$(for r in "${REGIONS[@]}"; do echo "                    $r => ${TARGET[$r]}"; done)
                }
            }
        }
    }
}
EOF
    cat > "$dir/zones/plugin.test" <<EOF
\$TTL 30
@    SOA ns1.plugin.test. hostmaster.plugin.test. 1 3600 900 604800 30
@    NS  ns1.plugin.test.
ns1  A   127.0.0.1
www  30  DYNA geoip!www
EOF
}

# wayfinder_jar TMP OUT: copies the Wayfinder jar to TMP/wf.jar (a private copy: other builds may
# rewrite server/target while we measure) and notes its source in OUT/wayfinder-source.txt.
# WAYFINDER_JAR=FILE: that jar. WAYFINDER_REV=REV: built from that git revision. Otherwise the
# working tree: server/target's jar when it is newer than every source, else a private build of a
# snapshot of the sources (tests skipped).
wayfinder_jar() {
    local tmp=$1 out=$2 name=wayfinder-0.1.0-SNAPSHOT-all.jar src=""
    { echo "HEAD: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo '?')"; echo "source: ${WAYFINDER_JAR:-${WAYFINDER_REV:-working tree}}"
      echo "uncommitted in server/ and poms:"; git -C "$ROOT" status --short -- server/src/main server/pom.xml pom.xml 2>/dev/null || true; } > "$out/wayfinder-source.txt"
    if [ -n "${WAYFINDER_JAR:-}" ]; then
        cp "$WAYFINDER_JAR" "$tmp/wf.jar"
        return
    elif [ -n "${WAYFINDER_REV:-}" ]; then
        src="$tmp/build"; mkdir -p "$src"
        git -C "$ROOT" archive "$WAYFINDER_REV" | tar -x -C "$src"
    elif [ -f "$ROOT/server/target/$name" ] && [ -z "$(find "$ROOT/server/src/main" "$ROOT/server/pom.xml" "$ROOT/pom.xml" -newer "$ROOT/server/target/$name" -print -quit 2>/dev/null)" ]; then
        cp "$ROOT/server/target/$name" "$tmp/wf.jar"
        return
    else
        src="$tmp/build"; mkdir -p "$src/server/src" "$src/bench"
        cp "$ROOT/pom.xml" "$src/"; cp "$ROOT/bench/pom.xml" "$src/bench/"
        cp "$ROOT/server/pom.xml" "$src/server/"; cp -r "$ROOT/server/src/main" "$src/server/src/"
    fi
    log "building Wayfinder in $src (mvn package, tests skipped)"
    (cd "$src" && mvn -B -q -pl server -am -Dmaven.test.skip=true package) > "$out/wayfinder-build.log" 2>&1 \
        || { tail -30 "$out/wayfinder-build.log" >&2; die "Wayfinder build failed (see $out/wayfinder-build.log)"; }
    cp "$src/server/target/$name" "$tmp/wf.jar"
}

PIDS=()
declare -A PID
start_bg() { # id logfile cmd...
    local id=$1 logf=$2
    shift 2
    "$@" > "$logf" 2>&1 &
    PID[$id]=$!
    PIDS+=("$!")
}

stop_servers() { # TERM, then KILL after 5 s
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}

stop_at_exit() { # the EXIT trap: stops the servers, removes TMP (unless KEEP_TMP=1), says where OUT is on failure
    local rc=$?
    stop_servers
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    [ $rc -eq 0 ] || log "failed (exit $rc); raw outputs so far in $OUT"
    exit $rc
}

wait_answers() { # id port name [dig options]: until dig gets an address, while the server lives
    local id=$1 port=$2 name=$3 deadline=$((SECONDS + 180))
    shift 3
    until dig +time=1 +tries=1 @127.0.0.1 -p "$port" "$name" A +short "$@" 2>/dev/null | grep -Eq '^[0-9]+(\.[0-9]+){3}$'; do
        kill -0 "${PID[$id]}" 2>/dev/null || die "$id exited before answering"
        [ $SECONDS -lt $deadline ] || die "$id does not answer on port $port"
        sleep 0.5
    done
}

# CPU ticks (user + system, of every thread) of a process and its descendants
tree_ticks() {
    local pids p t sum=0
    pids=$(ps -e -o pid=,ppid= | awk -v r="$1" '{ par[$1] = $2 } END {
        in_[r] = 1; changed = 1
        while (changed) { changed = 0; for (p in par) if (!(p in in_) && (par[p] in in_)) { in_[p] = 1; changed = 1 } }
        for (p in in_) print p }')
    for p in $pids; do
        t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null) || t=0
        sum=$((sum + ${t:-0}))
    done
    echo "$sum"
}
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
