/**
 * Endpoint health: HTTP, HTTPS and TCP probes, the per-endpoint state machine, and the monitor that
 * runs them on one scheduler and reports each status change to a listener. It reads its settings from
 * the profile model and uses net and time. It must not know routing, answer, control or runtime:
 * the control path turns its status changes into new routing tables.
 */
package io.wayfinder.health;
