# The configurations the dnsperf, reload and tcp benchmarks serve, answered on 127.0.0.1 only, with
# response-rate limiting off (one client asking one name would be limited): a Performance profile
# `bench` (www.routed.test) whose endpoints have no monitor, so nothing is probed.
#   bench_profile_config PORT LATENCY_CSV WESTEUROPE NORTHEUROPE EASTUS SOUTHEASTASIA [TCP] > wayfinder.yaml
#   bench_learned_config PORT API_PORT TOKEN GEO_CSV STORAGE_DIR REGION... > wayfinder.yaml
# TCP: dns.tcp as a YAML flow mapping, e.g. "{maxConnectionsPerAddress: 2000}" (default: none).

# Four regions on one latency CSV.
bench_profile_config() {
    bench_dns_yaml "$1" "${7:-}"
    printf 'latency:\n  sources: [%s]\n' "$2"
    bench_profile_yaml we:westeurope:"$3" ne:northeurope:"$4" us:eastus:"$5" asia:southeastasia:"$6"
}

# The latency learner (latency.learn), its state in STORAGE_DIR (restored from the checkpoint found
# there), its API on 127.0.0.1:API_PORT with one writer token, so that the benchmark can ask for
# rebuilds (the interval, a day, never comes during a run); one endpoint per REGION, the i-th at
# 192.0.2.i (a documentation address, never probed).
bench_learned_config() {
    local port=$1 api=$2 token=$3 geo=$4 storage=$5 i=0 region endpoints=()
    shift 5
    for region in "$@"; do
        i=$((i + 1))
        endpoints+=("$region:$region:192.0.2.$i")
    done
    bench_dns_yaml "$port"
    cat <<EOT
api:
  listen: "127.0.0.1:$api"
  tokens:
    - {name: bench, token: $token, role: writer}
storage:
  dir: $storage
geolocation:
  csv: $geo
latency:
  learn: true
  rebuildInterval: 24h
EOT
    bench_profile_yaml "${endpoints[@]}"
}

# dns: and the zone, routed.test. PORT [TCP]
bench_dns_yaml() {
    cat <<EOT
dns:
  listen: ["127.0.0.1:$1"]${2:+
  tcp: $2}
  rateLimit: {responsesPerSecond: 0}   # one client asking one name: RRL would drop it
zones:
  - name: routed.test
    nameservers:
      - {name: ns1.routed.test, addresses: [127.0.0.1]}
EOT
}

# The profile; each argument is an endpoint, NAME:REGION:TARGET.
bench_profile_yaml() {
    local e name region target
    cat <<EOT
profiles:
  - name: bench
    trafficRoutingMethod: Performance
    dnsConfig: {relativeName: www, ttl: 30}
    endpoints:
EOT
    for e in "$@"; do
        IFS=: read -r name region target <<<"$e"
        echo "      - {name: $name, type: external, target: $target, endpointLocation: $region}"
    done
}
