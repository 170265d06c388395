package io.wayfinder.dns.ratelimit;

/**
 * What the limiter enforces; immutable, swapped whole when the configuration changes.
 *
 * @param responsesPerSecond responses a second allowed per client network and response kind; 0 turns limiting off
 * @param slip               of the responses over the limit, one in this many is answered with an empty TC
 *                           response (a real client then retries over TCP) and the rest dropped; 0 drops all
 * @param ipv4PrefixLength   IPv4 sources are counted by network of this length (1-32)
 * @param ipv6PrefixLength   IPv6 sources are counted by network of this length (1-128)
 */
public record ResponseRateSettings(int responsesPerSecond, int slip, int ipv4PrefixLength, int ipv6PrefixLength) {
    /** Nothing limited. */
    public static final ResponseRateSettings OFF = new ResponseRateSettings(0, 2, 24, 64);

    public ResponseRateSettings {
        if (responsesPerSecond < 0 || responsesPerSecond > ResponseRateLimiter.MAX_RESPONSES_PER_SECOND) {
            throw new IllegalArgumentException("responsesPerSecond must be 0-" + ResponseRateLimiter.MAX_RESPONSES_PER_SECOND
                    + ", not " + responsesPerSecond);
        }
        if (slip < 0) {
            throw new IllegalArgumentException("slip must be 0 or more, not " + slip);
        }
        if (ipv4PrefixLength < 1 || ipv4PrefixLength > 32) {
            throw new IllegalArgumentException("ipv4PrefixLength must be 1-32, not " + ipv4PrefixLength);
        }
        if (ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
            throw new IllegalArgumentException("ipv6PrefixLength must be 1-128, not " + ipv6PrefixLength);
        }
    }

    public boolean enabled() {
        return responsesPerSecond > 0;
    }
}
