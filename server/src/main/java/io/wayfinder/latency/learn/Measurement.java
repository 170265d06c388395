package io.wayfinder.latency.learn;

import io.wayfinder.net.IpPrefix;

/**
 * One validated round-trip measurement: from a client network to a region, at a time.
 *
 * @param network    the client's network: a /24 (IPv6 /48) for a client address, or the network a
 *                   measurement names (a longer one is cut to /24 or /48 by the learner)
 * @param region     a region name of the catalogue, lower case
 * @param rttMs      greater than 0 and less than 10,000
 * @param timeMillis when it was measured, Unix epoch milliseconds, not in the future
 * @param source     where it came from (api, import, rum, agent:REGION, ...), for visibility
 */
public record Measurement(IpPrefix network, String region, double rttMs, long timeMillis, String source) {
}
