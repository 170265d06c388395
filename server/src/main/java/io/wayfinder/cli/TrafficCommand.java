package io.wayfinder.cli;

import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "traffic", mixinStandardHelpOptions = true,
        description = {"Print Traffic View: the client networks (/24, /48) and places that query",
            "each profile most (or, --by latency, with the worst estimated RTT), where",
            "they are sent and where they are. Counts are decayed: a query counts 1",
            "when made and half as much a day later. -o json: the API's answer."})
final class TrafficCommand extends ClientCommand {

    @Option(names = {"-p", "--profile"}, paramLabel = "NAME", description = "Only this profile (default: every profile with a DNS name).")
    String profile;

    @Option(names = "--by", paramLabel = "ORDER", description = "queries (default) or latency.")
    String by;

    @Option(names = "--limit", paramLabel = "N", description = "At most N networks and N places a profile (1-1000; default 20).")
    Integer limit;

    @Mixin
    OutputOption output;

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        JsonNode body = api.get(ApiClient.path("traffic") + ApiClient.query("profile", profile,
                "limit", limit == null ? null : limit.toString(), "by", by)).body();
        output.print(body, render(body));
        return WayfinderCommand.EXIT_OK;
    }

    /** Per profile: a line with its total, then its networks and its places, each a table. */
    static String render(JsonNode body) {
        StringBuilder out = new StringBuilder();
        String updated = body.path("updated").isString() ? "updated " + body.path("updated").asString() : "no traffic merged yet";
        for (JsonNode p : body.path("profiles")) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append("profile ").append(p.path("profile").asString()).append(": ")
                    .append(number(p.path("queries").asDouble())).append(" queries (half-life ")
                    .append(number(body.path("halfLifeHours").asDouble())).append(" h; ").append(updated).append(")\n");
            if (p.path("networks").isEmpty()) {
                out.append("  no networks\n");
                continue;
            }
            Table networks = new Table("NETWORK", "QUERIES", "SHARE", "ENDPOINT", "REGION", "RTT", "LOCATION").alignRight(1, 2, 5);
            for (JsonNode n : p.path("networks")) {
                networks.row(n.path("network").asString(), number(n.path("queries").asDouble()),
                        String.format(Locale.ROOT, "%.1f%%", n.path("share").asDouble() * 100), text(n, "endpoint"),
                        text(n, "region"), ms(n), location(n.path("location")));
            }
            out.append(networks.render("  "));
            Table places = new Table("PLACE", "QUERIES", "NETWORKS", "RTT").alignRight(1, 2, 3);
            for (JsonNode l : p.path("places")) {
                places.row(l.path("place").asString(), number(l.path("queries").asDouble()), l.path("networks").asString(), ms(l));
            }
            out.append(places.render("  "));
        }
        return out.toString();
    }

    private static String location(JsonNode l) {
        if (l.isMissingNode()) {
            return null;
        }
        String where = l.path("subdivision").isString() ? l.path("subdivision").asString()
                : l.path("country").isString() ? l.path("country").asString() : "";
        if (l.has("latitude")) {
            where = (where.isEmpty() ? "" : where + " ") + "(" + number(l.path("latitude").asDouble()) + ", "
                    + number(l.path("longitude").asDouble()) + ")";
        }
        return where;
    }

    private static String ms(JsonNode n) {
        return n.has("rttMs") ? number(n.path("rttMs").asDouble()) + " ms" : null;
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).isString() ? n.path(field).asString() : null;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
