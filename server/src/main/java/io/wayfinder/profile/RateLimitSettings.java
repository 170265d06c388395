package io.wayfinder.profile;

/**
 * {@code dns.rateLimit}: response-rate limiting, as NSD and Knot do it, against reflection attacks
 * with forged source addresses. Responses are counted per client network and kind of response.
 *
 * @param responsesPerSecond allowed per client network and response kind; 0 turns limiting off
 * @param slip               of the responses over the limit, one in this many is answered with TC
 *                           (so that a real client retries over TCP), the rest dropped; 0 drops all
 * @param ipv4PrefixLength   IPv4 clients are counted by network of this length
 * @param ipv6PrefixLength   IPv6 clients are counted by network of this length
 */
public record RateLimitSettings(int responsesPerSecond, int slip, int ipv4PrefixLength, int ipv6PrefixLength) {

    /** NSD's defaults: 200 responses a second per /24 (IPv6 /64), every second one over it answered with TC. */
    public static final RateLimitSettings DEFAULTS = new RateLimitSettings(200, 2, 24, 64);

    public boolean enabled() {
        return responsesPerSecond > 0;
    }
}
