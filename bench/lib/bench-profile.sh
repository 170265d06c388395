# The configuration the dnsperf and reload benchmarks serve: a Performance profile over four
# regions on one latency CSV, answered on 127.0.0.1 only, with response-rate limiting off (one
# client asking one name would be limited). No endpoint has a monitor, so nothing is probed.
#   bench_profile_config PORT LATENCY_CSV WESTEUROPE NORTHEUROPE EASTUS SOUTHEASTASIA [TCP] > wayfinder.yaml
# TCP: dns.tcp as a YAML flow mapping, e.g. "{maxConnectionsPerAddress: 2000}" (default: none).
bench_profile_config() {
    cat <<EOF
dns:
  listen: ["127.0.0.1:$1"]${7:+
  tcp: $7}
  rateLimit: {responsesPerSecond: 0}   # one client asking one name: RRL would drop it
zones:
  - name: routed.test
    nameservers:
      - {name: ns1.routed.test, addresses: [127.0.0.1]}
latency:
  sources: [$2]
profiles:
  - name: bench
    trafficRoutingMethod: Performance
    dnsConfig: {relativeName: www, ttl: 30}
    endpoints:
      - {name: we, type: external, target: $3, endpointLocation: westeurope}
      - {name: ne, type: external, target: $4, endpointLocation: northeurope}
      - {name: us, type: external, target: $5, endpointLocation: eastus}
      - {name: asia, type: external, target: $6, endpointLocation: southeastasia}
EOF
}
