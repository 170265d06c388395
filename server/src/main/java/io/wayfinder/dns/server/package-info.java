/**
 * The DNS listeners: UDP and TCP on Netty, framing, the failure contract (FORMERR, NOTIMP,
 * SERVFAIL; the event loop never dies) and the server's counters. What to answer comes in through
 * the {@link io.wayfinder.dns.server.Responder} interface, so this package uses only the wire codec
 * and knows nothing of zones, routing, configuration or the control path.
 */
package io.wayfinder.dns.server;
