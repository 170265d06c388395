package io.wayfinder.routing;

/**
 * Profiles that tell apart when routing may read the client's latency row
 * ({@link RoutingTable#readsRow}), and so when a prefetch must touch it: shared by
 * {@link RoutingTableTouchTest}, which asks the routing table, and the answer package's
 * {@code PrefetchTestWorld}, which asks the prefetch of whole queries.
 *
 * <ul>
 *   <li>{@code www} (profile {@code web}): Performance over three regions (an IPv6 endpoint in
 *       one, for AAAA answers): reads the row;</li>
 *   <li>{@code one}: Performance with one endpoint: nothing to compare;</li>
 *   <li>{@code left-one}: Performance with two, one of them left by {@link #HEALTH};</li>
 *   <li>{@code off}: Performance, disabled: NXDOMAIN before any method runs;</li>
 *   <li>{@code split}: Weighted;</li>
 *   <li>{@code outer}: Weighted over an endpoint and the nested {@code web}: reads the row through it;</li>
 *   <li>{@code outer-one}: Priority over the nested {@code one};</li>
 *   <li>{@code alias}: a CNAME to {@code www}.</li>
 * </ul>
 */
public final class RowReadingProfiles {
    /** The profiles as YAML list items, at the left margin (indent them to put them under {@code profiles:}). */
    public static final String YAML = """
            - name: web
              trafficRoutingMethod: Performance
              dnsConfig: {relativeName: www}
              endpoints:
                - {name: eu, target: 192.0.2.10, endpointLocation: westeurope}
                - {name: us, target: 192.0.2.11, endpointLocation: eastus}
                - {name: asia, target: "2001:db8::12", endpointLocation: southeastasia}
            - name: one
              trafficRoutingMethod: Performance
              dnsConfig: {relativeName: one}
              endpoints:
                - {name: only, target: 192.0.2.20, endpointLocation: westeurope}
            - name: left-one
              trafficRoutingMethod: Performance
              dnsConfig: {relativeName: left-one}
              endpoints:
                - {name: eu, target: 192.0.2.21, endpointLocation: westeurope}
                - {name: us, target: 192.0.2.22, endpointLocation: eastus}
            - name: off
              trafficRoutingMethod: Performance
              profileStatus: Disabled
              dnsConfig: {relativeName: off}
              endpoints:
                - {name: eu, target: 192.0.2.23, endpointLocation: westeurope}
                - {name: us, target: 192.0.2.24, endpointLocation: eastus}
            - name: split
              trafficRoutingMethod: Weighted
              dnsConfig: {relativeName: split}
              endpoints:
                - {name: a, target: 192.0.2.30, weight: 1}
                - {name: b, target: 192.0.2.31, weight: 3}
            - name: outer
              trafficRoutingMethod: Weighted
              dnsConfig: {relativeName: outer}
              endpoints:
                - {name: a, target: 192.0.2.32, weight: 1}
                - {name: web, type: nested, target: web, weight: 1}
            - name: outer-one
              trafficRoutingMethod: Priority
              dnsConfig: {relativeName: outer-one}
              endpoints:
                - {name: one, type: nested, target: one, priority: 1}
            - name: alias
              trafficRoutingMethod: Priority
              dnsConfig: {relativeName: alias}
              endpoints:
                - {name: to-www, target: www.app.test}
            """;

    /** What the probes say, as {@link TestRoutingTables#statuses} reads it: {@code left-one} keeps one endpoint. */
    public static final String HEALTH = "left-one/us=Stopped";

    private RowReadingProfiles() {
    }
}
