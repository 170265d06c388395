/**
 * IP networks: IPv4 and IPv6 prefixes in one representation, address ranges, the immutable
 * longest-prefix-match map, and connection slots counted per client (an IPv4 address or an IPv6 /64),
 * which the DNS listeners and the API share. The bottom of the stack: it depends on no other Wayfinder package but
 * {@link io.wayfinder.time.CpuYield}, which its long builds call.
 */
package io.wayfinder.net;
