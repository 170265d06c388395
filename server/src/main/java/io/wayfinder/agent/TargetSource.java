package io.wayfinder.agent;

import io.wayfinder.net.IpPrefix;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Where the targets come from: {@code GET /api/v1/agent/targets?region=R&limit=N}, the networks that
 * send the server the most queries, each with the address to measure it by. An entry the agent
 * cannot read (a future field's shape, a bad address) is skipped and counted, not fatal.
 */
public final class TargetSource {
    private final AgentHttp http;
    private final String region;
    private final int limit;

    TargetSource(AgentHttp http, String region, int limit) {
        this.http = http;
        this.region = region;
        this.limit = limit;
    }

    /**
     * @param region  the region's name as the server spells it (the samples are posted with it)
     * @param skipped entries that could not be read
     */
    public record Targets(String region, List<Target> targets, int skipped) {
    }

    /** Asks the server. */
    Targets fetch() throws AgentHttp.Failure, InterruptedException {
        JsonNode body = http.get("/api/v1/agent/targets?region=" + URLEncoder.encode(region, StandardCharsets.UTF_8)
                + "&limit=" + limit);
        return read(body, region);
    }

    /** The answer's targets. */
    static Targets read(JsonNode body, String asked) {
        List<Target> out = new ArrayList<>();
        int skipped = 0;
        for (JsonNode t : body.path("targets")) {
            try {
                out.add(new Target(IpPrefix.parse(t.path("network").asString()),
                        IpPrefix.parseAddress(t.path("address").asString()), t.path("addressFrom").asString()));
            } catch (IllegalArgumentException e) {
                skipped++;
            }
        }
        String region = body.path("region").isString() ? body.path("region").asString() : asked;
        return new Targets(region, out, skipped);
    }
}
