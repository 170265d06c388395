/**
 * The management API (Javalin): profiles and endpoints, status, explain, events and the audit log,
 * over JSON and bearer tokens. It sits at the edge like the command line: it calls control (whose
 * publisher applies its writes as events) and reads the store; only runtime and cli use it.
 */
package io.wayfinder.api;
