/**
 * Wires a running server with constructors, in dependency order: listeners, answerer, control path,
 * health monitoring, reloads and metrics. It may use any package but cli; only cli may use it, so
 * that nothing refers back to the wiring.
 */
package io.wayfinder.runtime;
