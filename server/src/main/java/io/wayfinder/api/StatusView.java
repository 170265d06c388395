package io.wayfinder.api;

import io.wayfinder.answer.Snapshot;
import io.wayfinder.health.HealthReport;
import io.wayfinder.health.MonitorStatus;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.Profile;
import io.wayfinder.routing.ProfileMonitorStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The status document: every profile and endpoint of a snapshot with its monitor status, and a
 * summary that says whether all is well. {@code GET /api/v1/status} answers it from the running
 * server; {@code wayfinder status} builds the same document from a configuration it probed, so that
 * both print (and {@code -o json} writes) one shape.
 */
public final class StatusView {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StatusView() {
    }

    /**
     * Where the profiles shown come from.
     *
     * @param file     the configuration file
     * @param profiles {@code store} (API mode) or {@code file}
     * @param revision the store's revision the snapshot holds, or null for the file's profiles
     */
    public record Source(String file, String profiles, Long revision) {
    }

    /** The document for {@code snapshot}, with the probe counts of {@code reports} where an endpoint has one. */
    public static ObjectNode of(Snapshot snapshot, Collection<HealthReport> reports, Source source, Instant time) {
        Map<String, HealthReport> byEndpoint = new HashMap<>();
        for (HealthReport r : reports) {
            byEndpoint.put(key(r.profile(), r.endpoint()), r);
        }
        ObjectNode out = NODES.objectNode();
        out.put("time", time.toString());
        ObjectNode configuration = out.putObject("configuration");
        configuration.put("file", source.file());
        configuration.put("profiles", source.profiles());
        if (source.revision() != null) {
            configuration.put("revision", source.revision());
        }
        configuration.put("snapshotBuiltAt", snapshot.builtAt().toString());
        int degraded = 0;
        int failingOpen = 0;
        ArrayNode profiles = out.putArray("profiles");
        for (Profile p : snapshot.routing().profiles()) {
            ObjectNode po = profiles.addObject();
            po.put("name", p.name());
            if (p.fqdn() != null) {
                po.put("fqdn", p.fqdn());
            }
            po.put("trafficRoutingMethod", p.method().name());
            po.put("profileStatus", p.enabled() ? "Enabled" : "Disabled");
            po.put("profileMonitorStatus", ProfileMonitorStatus.of(p).name());
            po.put("failOpen", p.failOpen());
            po.put("onFallback", p.onFallback());
            failingOpen += p.failOpen() || p.onFallback() ? 1 : 0;
            ArrayNode endpoints = po.putArray("endpoints");
            for (Endpoint e : p.endpoints()) {
                ObjectNode eo = endpoints.addObject();
                eo.put("name", e.name());
                eo.put("target", e.target().toString());
                if (e.fallback()) {
                    eo.put("fallback", true);
                }
                MonitorStatus status = p.status(e.index());
                degraded += status == MonitorStatus.Degraded ? 1 : 0;
                eo.put("endpointMonitorStatus", status.name());
                HealthReport r = byEndpoint.get(key(p.name(), e.name()));
                if (r != null) {
                    eo.put("since", r.since().toString());
                    eo.put("consecutiveFailures", r.consecutiveFailures());
                    eo.put("consecutiveSuccesses", r.consecutiveSuccesses());
                    if (r.lastResult() != null) {
                        ObjectNode last = eo.putObject("lastProbe");
                        last.put("success", r.lastResult().success());
                        last.put("result", r.lastResult().reason());
                        last.put("at", r.lastResult().at().toString());
                        last.put("elapsedMillis", r.lastResult().elapsedMillis());
                    }
                }
            }
        }
        ObjectNode summary = out.putObject("summary");
        summary.put("profiles", snapshot.routing().profiles().size());
        summary.put("endpointsDegraded", degraded);
        summary.put("profilesFailingOpen", failingOpen);
        summary.put("healthy", degraded == 0 && failingOpen == 0);
        return out;
    }

    private static String key(String profile, String endpoint) {
        return profile.toLowerCase(Locale.ROOT) + "/" + endpoint.toLowerCase(Locale.ROOT);
    }
}
