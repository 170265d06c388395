package io.wayfinder.agent;

import io.wayfinder.net.IpPrefix;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One measurement for the server: a network's best round trip from this region, and when.
 *
 * @param rttNanos more than 0
 */
public record Sample(IpPrefix network, long rttNanos, long timeMillis) {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public Sample {
        if (network == null) {
            throw new IllegalArgumentException("network is required");
        }
        if (rttNanos <= 0) {
            throw new IllegalArgumentException("rttNanos must be more than 0, not " + rttNanos);
        }
    }

    /**
     * The API's JSON line: {@code {"clientNetwork", "region", "rttMs", "time"}}. Milliseconds to the
     * microsecond, at least 0.001 (the API takes only more than 0; loopback is tens of microseconds).
     */
    String jsonLine(String region) {
        double ms = Math.max(0.001, Math.round(rttNanos / 1_000.0) / 1_000.0);
        ObjectNode o = NODES.objectNode();
        o.put("clientNetwork", network.toString());
        o.put("region", region);
        o.put("rttMs", ms);
        o.put("time", timeMillis);
        return MAPPER.writeValueAsString(o);
    }
}
