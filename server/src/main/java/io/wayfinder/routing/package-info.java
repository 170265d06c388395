/**
 * Routing: one {@link io.wayfinder.routing.RoutingMethod} per method (Performance, Priority,
 * Weighted, Geographic, Subnet, MultiValue), each with its checks, its plan and its chooser, and
 * {@link io.wayfinder.routing.Router}, which follows nested profiles. It decides from the compiled
 * model, health statuses, latency estimates, geo and net; it must not know configuration files,
 * the DNS packages, the answer that calls it, or the control path and the edge.
 */
package io.wayfinder.routing;
