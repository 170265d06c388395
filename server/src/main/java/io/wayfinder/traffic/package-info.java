/**
 * Traffic View: which client networks (/24, /48) query each profile, where they are sent, the RTT
 * their routing estimated and where they are, in bounded memory. The query path records into its
 * event loop's {@link io.wayfinder.traffic.TrafficRecorder} (no lock, no allocation); the
 * {@link io.wayfinder.traffic.TrafficView} merges the loops' counts into per-profile heavy-hitter
 * summaries off the query path, keeps them in the data directory, and answers the API's views and
 * the region agents' targets. It uses net, geo and time only: the answer calls it, never the other
 * way round.
 */
package io.wayfinder.traffic;
