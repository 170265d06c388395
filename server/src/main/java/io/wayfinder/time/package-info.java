/**
 * The scheduler abstraction: one thread of work with timers, which the control path, health
 * monitoring and the file watcher run on, and which tests replace with a manual clock; the yield
 * points by which long builds give the processor to the query threads; and the throttle that keeps
 * a repeated log line to one every 10 s (the DNS listeners and the API share it). It depends on
 * no other Wayfinder package.
 */
package io.wayfinder.time;
