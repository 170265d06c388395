/**
 * IP networks: IPv4 and IPv6 prefixes in one representation, address ranges, and the immutable
 * longest-prefix-match map. The bottom of the stack: it depends on no other Wayfinder package but
 * {@link io.wayfinder.time.CpuYield}, which its long builds call.
 */
package io.wayfinder.net;
