package io.wayfinder.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Profiles and endpoints, as the API represents them, for a terminal: one row per profile, a
 * profile's settings and its endpoints' table, one endpoint's fields. Fields the representation
 * leaves out at their default are shown with it (an endpoint's priority is its position).
 */
final class ProfileText {
    private ProfileText() {
    }

    /** {@code profile list}: one row per profile. */
    static String list(JsonNode profiles) {
        Table table = new Table("NAME", "METHOD", "STATUS", "MONITOR", "DNS NAME", "TTL", "ENDPOINTS", "VERSION");
        for (JsonNode p : profiles) {
            table.row(p.path("name").asString(), p.path("trafficRoutingMethod").asString(), profileStatus(p), monitor(p),
                    dnsName(p), p.path("dnsConfig").path("ttl").asString(), p.path("endpoints").size(),
                    p.path("version").asString());
        }
        return table.toString();
    }

    /** {@code profile show}: the settings, then the endpoints. */
    static String show(JsonNode p) {
        StringBuilder out = new StringBuilder();
        Table head = new Table("profile", p.path("name").asString() + " (version " + p.path("version").asString() + ")");
        head.row("dns name", dnsName(p) + " (TTL " + p.path("dnsConfig").path("ttl").asString() + ")");
        head.row("method", p.path("trafficRoutingMethod").asString()
                + (p.has("maxReturn") ? " (maxReturn " + p.path("maxReturn").asString() + ")" : ""));
        head.row("status", profileStatus(p) + ", " + monitor(p));
        head.row("monitor", monitorConfig(p.path("monitorConfig")));
        if (p.has("fallback")) {
            JsonNode f = p.get("fallback");
            head.row("fallback", f.path("name").asString() + " -> " + target(f) + " (" + text(f, "endpointMonitorStatus") + ")");
        }
        out.append(head);
        out.append('\n').append(endpoints(p));
        return out.toString();
    }

    /** The endpoints' table: the columns every method has, and the one its method reads. */
    static String endpoints(JsonNode p) {
        String method = p.path("trafficRoutingMethod").asString();
        String extra = switch (method) {
            case "Performance" -> "LOCATION";
            case "Priority" -> "PRIORITY";
            case "Weighted" -> "WEIGHT";
            case "Geographic" -> "GEO MAPPING";
            case "Subnet" -> "SUBNETS";
            default -> null;
        };
        Table table = extra == null ? new Table("ENDPOINT", "TARGET", "STATUS", "MONITOR")
                : new Table("ENDPOINT", "TARGET", "STATUS", "MONITOR", extra);
        int position = 0;
        for (JsonNode e : p.path("endpoints")) {
            position++;
            String value = extra == null ? null : switch (extra) {
                case "LOCATION" -> text(e, "endpointLocation");
                case "PRIORITY" -> e.has("priority") ? e.get("priority").asString() : Integer.toString(position);
                case "WEIGHT" -> e.has("weight") ? e.get("weight").asString() : "1";
                case "GEO MAPPING" -> joined(e.path("geoMapping"));
                default -> joined(e.path("subnets"));
            };
            if (extra == null) {
                table.row(e.path("name").asString(), target(e), endpointStatus(e), text(e, "endpointMonitorStatus"));
            } else {
                table.row(e.path("name").asString(), target(e), endpointStatus(e), text(e, "endpointMonitorStatus"), value);
            }
        }
        return table.toString();
    }

    /** {@code endpoint show}: every field the endpoint sets, then its monitor status. */
    static String endpoint(String profile, JsonNode e, Long version) {
        Table table = new Table("endpoint", profile + "/" + e.path("name").asString()
                + (version == null ? "" : " (profile version " + version + ")"));
        table.row("target", target(e));
        table.row("endpointStatus", endpointStatus(e));
        table.row("endpointMonitorStatus", text(e, "endpointMonitorStatus"));
        for (String key : e.propertyNames()) {
            if (!List.of("name", "type", "target", "endpointStatus", "endpointMonitorStatus").contains(key)) {
                JsonNode value = e.get(key);
                table.row(key, value.isValueNode() ? value.asString() : value.toString());
            }
        }
        return table.toString();
    }

    private static String profileStatus(JsonNode p) {
        return p.has("profileStatus") ? p.get("profileStatus").asString() : "Enabled";
    }

    private static String endpointStatus(JsonNode e) {
        return e.has("endpointStatus") ? e.get("endpointStatus").asString() : "Enabled";
    }

    /** The profile's monitor status, and loudly when it fails open or answers with its fallback. */
    private static String monitor(JsonNode p) {
        String status = text(p, "profileMonitorStatus");
        if (status == null) {
            return "-"; // stored, not served yet
        }
        if (p.path("failOpen").asBoolean(false)) {
            status += " FAIL-OPEN";
        }
        if (p.path("onFallback").asBoolean(false)) {
            status += " ON-FALLBACK";
        }
        return status;
    }

    private static String dnsName(JsonNode p) {
        JsonNode relative = p.path("dnsConfig").path("relativeName");
        if (!relative.isString()) {
            return "(none: nested only)";
        }
        return relative.asString() + (p.path("zone").isString() ? "." + p.path("zone").asString() : "");
    }

    private static String target(JsonNode e) {
        String type = e.path("type").asString().toLowerCase(Locale.ROOT);
        return (type.equals("nested") ? "profile " : "") + e.path("target").asString();
    }

    private static String monitorConfig(JsonNode m) {
        if (m.isMissingNode() || m.isNull()) {
            return "none: endpoints are not probed (Unmonitored)";
        }
        String protocol = m.path("protocol").asString();
        return protocol + " port " + m.path("port").asString() + (m.has("path") ? " " + m.path("path").asString() : "")
                + ", every " + m.path("intervalInSeconds").asString() + " s, timeout " + m.path("timeoutInSeconds").asString()
                + " s, " + m.path("toleratedNumberOfFailures").asString() + " failure(s) tolerated";
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asString();
    }

    private static String joined(JsonNode list) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : list) {
            items.add(item.isValueNode() ? item.asString()
                    : item.has("last") ? item.path("first").asString() + "-" + item.path("last").asString()
                    : item.toString());
        }
        return String.join(",", items);
    }
}
