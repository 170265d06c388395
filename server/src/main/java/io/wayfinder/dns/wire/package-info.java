/**
 * The DNS wire codec: a strict, allocation-free decoder of queries from untrusted packets, and a
 * writer of responses, both reused per thread. It depends on no other Wayfinder package, not even
 * the listeners that call it, so that it can be fuzzed and reasoned about on its own.
 */
package io.wayfinder.dns.wire;
