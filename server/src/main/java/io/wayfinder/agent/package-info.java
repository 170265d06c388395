/**
 * The region agent ({@code wayfinder agent}): a process deployed in a region that asks the server
 * which client networks matter, measures the round trip to each by TCP connection set-up, and posts
 * the samples back as measurements. It is a client of the management API over HTTP and nothing
 * else: it uses {@code net} for prefixes and no other Wayfinder package, so that it runs where no
 * server runs and the API stays its only contract.
 */
package io.wayfinder.agent;
