package io.wayfinder.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code latency import FILE}: measurements from a file into the running server's learner, through
 * the API as any other sender: batches of {@value #BATCH} samples posted as JSON lines to
 * {@code /api/v1/measurements}, then one rebuild ({@code POST /api/v1/latency/rebuild}), so that
 * routing uses them when the command returns.
 *
 * <p>The file is CSV ({@code client,region,rtt_ms[,time]}, the header optional, {@code #} starting
 * a comment; the client an address or a network with its length) or JSON lines (one measurement
 * object per line, the API's form), told apart by its first character. The server checks every
 * sample; its rejections are printed with the file's line numbers.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import latency measurements from a file into the running server.",
            "FILE is CSV (client,region,rtt_ms[,time]; the client an address or a",
            "network; time ISO-8601 or epoch milliseconds, default now) or JSON lines",
            "(one {\"clientIp\", \"region\", \"rttMs\", \"time\"} a line). Sent through the API",
            "in batches of 100,000, then the learned table is rebuilt."})
final class LatencyImportCommand extends ClientCommand {
    /** Samples a request may carry (the API's limit). */
    static final int BATCH = 100_000;
    /** Rejections printed; the rest are counted. */
    static final int SHOWN = 20;
    /** A rebuild of a table of millions of networks takes tens of seconds. */
    static final Duration REBUILD_TIMEOUT = Duration.ofMinutes(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Parameters(index = "0", paramLabel = "FILE", description = "The measurements: CSV or JSON lines; - is stdin.")
    String file;

    @Option(names = "--no-rebuild", description = "Do not ask for a rebuild at the end (the next scheduled one takes them).")
    boolean noRebuild;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default: a summary) or json (the totals and the rebuild, for scripts).")
    OutputFormat output;

    /** What the batches added up to. */
    private long sent;
    private long accepted;
    private long dropped;
    private long rejected;
    private final Map<String, Long> byReason = new java.util.TreeMap<>();
    private final List<String> shown = new ArrayList<>();

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        try (BufferedReader in = file.equals("-")
                ? new BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            read(in, api);
        } catch (NoSuchFileException e) {
            throw ApiClient.Failure.usage(file + ": no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw ApiClient.Failure.usage(file + ": cannot be read: " + e.getMessage());
        }
        if (output == OutputFormat.table) {
            printSummary(); // before the rebuild: what was imported is said even if the rebuild is refused
        }
        JsonNode rebuild = null;
        if (!noRebuild && accepted > 0) {
            rebuild = api.send("POST", ApiClient.path("latency", "rebuild"), null, null, Map.of(), REBUILD_TIMEOUT).body();
        }
        print(rebuild);
        return WayfinderCommand.EXIT_OK;
    }

    /** Reads the file a line at a time, posting every {@value #BATCH} samples. */
    private void read(BufferedReader in, ApiClient api) throws IOException, ApiClient.Failure {
        StringBuilder batch = new StringBuilder();
        List<Integer> lines = new ArrayList<>(); // the file's line of each sample in the batch
        Boolean jsonLines = null;
        int lineNumber = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNumber++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (jsonLines == null) {
                jsonLines = text.startsWith("{");
                if (!jsonLines && text.toLowerCase(Locale.ROOT).startsWith("client,")) {
                    continue; // the header
                }
            }
            String sample = jsonLines ? text : csvSample(text, lineNumber);
            if (sample == null) {
                continue; // rejected here, counted
            }
            batch.append(sample).append('\n');
            lines.add(lineNumber);
            if (lines.size() == BATCH) {
                post(api, batch, lines);
            }
        }
        if (!lines.isEmpty()) {
            post(api, batch, lines);
        }
    }

    /** A CSV row as the API's JSON object, or null (counted as rejected) when it has the wrong number of fields. */
    private String csvSample(String text, int line) {
        String[] f = text.split(",", -1);
        if (f.length < 3 || f.length > 4) {
            reject(line, "format", "expected client,region,rtt_ms[,time], got " + f.length + " field(s)");
            return null;
        }
        ObjectNode o = NODES.objectNode();
        String client = f[0].strip();
        o.put(client.contains("/") ? "clientNetwork" : "clientIp", client);
        o.put("region", f[1].strip());
        String rtt = f[2].strip();
        try {
            o.put("rttMs", Double.parseDouble(rtt));
        } catch (NumberFormatException e) {
            o.put("rttMs", rtt); // the server says what is wrong with it, as with every other rule
        }
        if (f.length == 4 && !f[3].isBlank()) {
            String time = f[3].strip();
            if (time.chars().allMatch(Character::isDigit) && time.length() < 19) {
                o.put("time", Long.parseLong(time));
            } else {
                o.put("time", time);
            }
        }
        return JSON.writeValueAsString(o);
    }

    private void post(ApiClient api, StringBuilder batch, List<Integer> lines) throws ApiClient.Failure {
        JsonNode r = api.send("POST", ApiClient.path("measurements") + ApiClient.query("source", "import"), batch.toString(),
                "application/x-ndjson", Map.of(), ApiClient.REQUEST_TIMEOUT).body();
        sent += lines.size();
        accepted += r.path("accepted").asLong();
        dropped += r.path("dropped").asLong(0);
        for (var reason : r.path("rejectedByReason").properties()) {
            byReason.merge(reason.getKey(), reason.getValue().asLong(), Long::sum);
            rejected += reason.getValue().asLong();
        }
        for (JsonNode j : r.path("rejections")) {
            if (shown.size() < SHOWN) {
                String field = j.path("field").isString() ? j.path("field").asString() + ": " : "";
                shown.add(where(lines.get(j.path("index").asInt())) + field + j.path("message").asString());
            }
        }
        batch.setLength(0);
        lines.clear();
    }

    private void reject(int line, String reason, String message) {
        rejected++;
        byReason.merge(reason, 1L, Long::sum);
        if (shown.size() < SHOWN) {
            shown.add(where(line) + message);
        }
    }

    private String where(int line) {
        return (file.equals("-") ? "stdin" : file) + ":" + line + ": ";
    }

    private void print(JsonNode rebuild) {
        if (output == OutputFormat.json || output == OutputFormat.yaml) {
            ObjectNode o = NODES.objectNode();
            o.put("sent", sent);
            o.put("accepted", accepted);
            o.put("rejected", rejected);
            if (dropped > 0) {
                o.put("dropped", dropped);
            }
            ObjectNode reasons = o.putObject("rejectedByReason");
            byReason.forEach(reasons::put);
            var list = o.putArray("rejections");
            shown.forEach(list::add);
            o.set("rebuild", rebuild == null ? NODES.nullNode() : rebuild);
            OutputFormat.print(o, output, System.out);
            return;
        }
        if (rebuild != null) {
            System.out.println("rebuilt in " + rebuild.path("tookMillis").asLong() + " ms: " + rebuild.path("networks").asLong()
                    + " network(s), " + rebuild.path("cells").asLong() + " cell(s) with own samples; routing uses them now");
        } else if (!noRebuild) {
            System.out.println("nothing accepted: no rebuild");
        }
    }

    private void printSummary() {
        System.out.println(accepted + " measurement(s) accepted, " + rejected + " rejected"
                + (byReason.isEmpty() ? "" : " " + byReason) + (dropped > 0 ? ", " + dropped
                + " dropped by the learner (too many waiting for a rebuild: send them again later)" : ""));
        for (String line : shown) {
            System.out.println("  " + line);
        }
        if (rejected > shown.size()) {
            System.out.println("  ... and " + (rejected - shown.size()) + " more");
        }
        System.out.flush();
    }
}
