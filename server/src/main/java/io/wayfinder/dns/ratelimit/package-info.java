/**
 * Response-rate limiting (RRL) for UDP, as NSD and Knot do it, against reflection attacks with
 * forged source addresses: {@link io.wayfinder.dns.ratelimit.ResponseRateLimiter} counts the
 * responses sent to each client network per kind of response ({@link
 * io.wayfinder.dns.ratelimit.ResponseKind}) in a fixed-size table, and over the limit answers one
 * in {@code slip} with an empty truncated response and drops the rest. It reads the response the
 * listeners just wrote, so it knows the codec and nothing of zones or routing; its settings are its
 * own type, converted from the configuration by the runtime.
 */
package io.wayfinder.dns.ratelimit;
