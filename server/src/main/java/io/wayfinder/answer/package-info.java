/**
 * The authoritative answer: the immutable {@link io.wayfinder.answer.Snapshot} a query reads, the
 * served zones and names pre-encoded, and {@link io.wayfinder.answer.QueryAnswerer}, the query
 * path's entry, which applies the DNS rules around routing. It plugs into the listeners as their
 * {@code Responder} and writes with the wire codec; it uses routing, profile and net. It must not
 * know configuration files ({@code profile.read}), the control path that builds its snapshots, or
 * the edge (runtime, cli, metrics).
 */
package io.wayfinder.answer;
