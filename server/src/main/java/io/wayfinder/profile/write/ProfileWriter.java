package io.wayfinder.profile.write;

import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.EndpointType;
import io.wayfinder.profile.MonitorConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.SubnetConfig;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The inverse of {@code profile.read}: a profile of the model as the same JSON (or YAML) tree a
 * configuration file or an API body holds, property names and spellings included, so that what
 * is written reads back into an equal profile. This is how the store keeps a profile, what the API
 * returns (with the live status added) and what {@code export} prints.
 *
 * <p>The form is canonical: keys always in the same order, and a field left out when it has its
 * fixed default ({@code endpointStatus: Enabled}, {@code weight: 1}, empty lists...), so that two
 * equal profiles are written as the same text. Defaults that depend on something else are written
 * out: the zone, the monitor's port and timeout, and {@code priority} whenever it is not the
 * endpoint's position in the list (the reader's default).
 */
public final class ProfileWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonMapper PRETTY_JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .build();

    private ProfileWriter() {
    }

    /** A document of profiles, as the {@code profiles:} section of a configuration file. */
    public static ObjectNode document(List<ProfileConfig> profiles) {
        ObjectNode doc = NODES.objectNode();
        ArrayNode list = doc.putArray("profiles");
        profiles.forEach(p -> list.add(profile(p)));
        return doc;
    }

    public static ObjectNode profile(ProfileConfig p) {
        ObjectNode out = NODES.objectNode();
        out.put("name", p.name());
        if (p.zone() != null) {
            out.put("zone", p.zone());
        }
        out.put("trafficRoutingMethod", p.trafficRoutingMethod());
        if (!p.enabled()) {
            out.put("profileStatus", "Disabled");
        }
        ObjectNode dns = out.putObject("dnsConfig");
        if (p.relativeName() != null) {
            dns.put("relativeName", p.relativeName());
        }
        dns.put("ttl", p.ttl());
        if (p.maxReturn() != null) {
            out.put("maxReturn", p.maxReturn());
        }
        if (p.monitor() != null) {
            out.set("monitorConfig", monitor(p.monitor()));
        }
        if (p.fallback() != null) {
            out.set("fallback", endpoint(p.fallback(), 0));
        }
        ArrayNode endpoints = out.putArray("endpoints");
        for (int i = 0; i < p.endpoints().size(); i++) {
            endpoints.add(endpoint(p.endpoints().get(i), i));
        }
        return out;
    }

    /** @param position the endpoint's place in its list: its priority is written only when it differs */
    public static ObjectNode endpoint(EndpointConfig e, int position) {
        ObjectNode out = NODES.objectNode();
        out.put("name", e.name());
        if (e.type() == EndpointType.nested) {
            out.put("type", "nested");
        }
        out.put("target", e.target());
        if (!e.enabled()) {
            out.put("endpointStatus", "Disabled");
        }
        if (e.location() != null) {
            out.put("endpointLocation", e.location());
        }
        if (!e.geoMapping().isEmpty()) {
            ArrayNode codes = out.putArray("geoMapping");
            e.geoMapping().forEach(codes::add);
        }
        if (!e.subnets().isEmpty()) {
            ArrayNode subnets = out.putArray("subnets");
            e.subnets().forEach(s -> subnets.add(subnet(s)));
        }
        if (e.priority() != position + 1) {
            out.put("priority", e.priority());
        }
        if (e.weight() != 1) {
            out.put("weight", e.weight());
        }
        if (e.minChildEndpoints() != 1) {
            out.put("minChildEndpoints", e.minChildEndpoints());
        }
        if (e.minChildEndpointsIPv4() != 0) {
            out.put("minChildEndpointsIPv4", e.minChildEndpointsIPv4());
        }
        if (e.minChildEndpointsIPv6() != 0) {
            out.put("minChildEndpointsIPv6", e.minChildEndpointsIPv6());
        }
        if (e.alwaysServe()) {
            out.put("alwaysServe", "Enabled");
        }
        if (!e.customHeaders().isEmpty()) {
            out.set("customHeaders", headers(e.customHeaders()));
        }
        return out;
    }

    private static ObjectNode monitor(MonitorConfig m) {
        ObjectNode out = NODES.objectNode();
        out.put("protocol", m.protocol().name());
        out.put("port", m.port());
        if (m.path() != null) {
            out.put("path", m.path());
        }
        out.put("intervalInSeconds", m.intervalInSeconds());
        if (m.timeoutMillis() % 1000 == 0) {
            out.put("timeoutInSeconds", m.timeoutMillis() / 1000);
        } else {
            out.put("timeoutInSeconds", m.timeoutMillis() / 1000.0);
        }
        out.put("toleratedNumberOfFailures", m.toleratedNumberOfFailures());
        if (m.requiredConsecutiveSuccesses() != 1) {
            out.put("requiredConsecutiveSuccesses", m.requiredConsecutiveSuccesses());
        }
        if (!m.customHeaders().isEmpty()) {
            out.set("customHeaders", headers(m.customHeaders()));
        }
        if (!m.expectedStatusCodeRanges().isEmpty()) {
            ArrayNode ranges = out.putArray("expectedStatusCodeRanges");
            for (MonitorConfig.StatusCodeRange r : m.expectedStatusCodeRanges()) {
                ranges.addObject().put("min", r.min()).put("max", r.max());
            }
        }
        if (m.verifyCertificate()) {
            out.put("verifyCertificate", true);
        }
        return out;
    }

    private static ArrayNode headers(List<MonitorConfig.Header> headers) {
        ArrayNode out = NODES.arrayNode();
        for (MonitorConfig.Header h : headers) {
            out.addObject().put("name", h.name()).put("value", h.value());
        }
        return out;
    }

    /** A network as {@code 10.1.0.0/16}, one address as itself, any other range as Azure's {@code {first, last}}. */
    private static JsonNode subnet(SubnetConfig s) {
        if (s.scope() != null) {
            return NODES.stringNode(s.range().first().addressText() + "/" + s.scope());
        }
        if (s.range().first().equals(s.range().last())) {
            return NODES.stringNode(s.range().first().addressText());
        }
        ObjectNode range = NODES.objectNode();
        range.put("first", s.range().first().addressText());
        range.put("last", s.range().last().addressText());
        return range;
    }

    /** Compact JSON: how the store keeps a profile. */
    public static String json(JsonNode node) {
        return JSON.writeValueAsString(node);
    }

    /** Indented JSON, for people. */
    public static String prettyJson(JsonNode node) {
        return PRETTY_JSON.writeValueAsString(node);
    }

    /** YAML, as a configuration file holds it (what {@code export} prints by default). */
    public static String yaml(JsonNode node) {
        return YAML.writeValueAsString(node);
    }
}
