package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.geo.GeoCodeCatalogue;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.net.IpPrefix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command line as a user meets it, run in-process: exit codes, what goes to stdout and stderr,
 * and the walk-through of the music-streaming example.
 */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class CliTest {

    /** Maven runs the tests in the module directory; the example sits next to it. */
    private static final Path EXAMPLE = Path.of("../examples/music-streaming.yaml").toAbsolutePath().normalize();

    /** A small valid configuration of our own, for the tests that break something on purpose. */
    private static final String OWN = """
            zones:
              - name: example.test
                nameservers: [ns1.example.test]
            geolocation: {csv: data/geo.csv}
            latency: {sources: [data/latency.csv]}
            profiles:
              - name: web
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: www}
                endpoints:
                  - {name: eu, target: 192.0.2.10, endpointLocation: westeurope}
                  - {name: asia, target: 192.0.2.11, endpointLocation: southeastasia}
              - name: web-eu
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: eu, ttl: 30}
                endpoints:
                  - {name: primary, target: 192.0.2.20}
            """;

    @TempDir
    Path tempDir;

    /** Runs {@code wayfinder args...} with System.out and System.err captured. */
    private static ClientRun run(String... args) {
        return ClientRun.of(args);
    }

    /** A configuration in the temporary directory, with the example's data files beside it. */
    private Path config(String yaml) throws IOException {
        Path data = Files.createDirectories(tempDir.resolve("data"));
        for (String name : new String[] {"geo.csv", "latency.csv"}) {
            Files.copy(EXAMPLE.getParent().resolve("data").resolve(name), data.resolve(name));
        }
        return Files.writeString(tempDir.resolve("wayfinder.yaml"), yaml);
    }

    @Test
    void checkConfigNotesAProfileThatAnswersNothing() throws IOException {
        Path file = tempDir.resolve("orphan.yaml");
        Files.writeString(file, """
                zones: [{name: example.test, nameservers: [ns1.example.test]}]
                profiles:
                  - {name: orphan, trafficRoutingMethod: Priority, endpoints: [{name: e1, target: 192.0.2.1}]}
                """);
        ClientRun run = run("check-config", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("note: profile orphan has no dnsConfig.relativeName and no profile nests it: it answers nothing");
    }

    // ---------------------------------------------------------------- serve options

    @Test
    void serveRejectsAnUnknownLogLevelBeforeStarting() {
        ClientRun run = run("serve", "--config", EXAMPLE.toString(), "--log-level", "chatty");

        assertThat(run.exitCode()).isEqualTo(WayfinderCommand.EXIT_INVALID_CONFIG);
        assertThat(run.err()).contains("--log-level must be error, warn, info or debug, not chatty");
    }

    @Test
    void serveOnAPortInUseSaysHowToChooseAnother() throws IOException {
        try (java.net.DatagramSocket udp = new java.net.DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
             java.net.ServerSocket tcp = new java.net.ServerSocket(udp.getLocalPort(), 1, java.net.InetAddress.getLoopbackAddress())) {
            String busy = "127.0.0.1:" + udp.getLocalPort();

            ClientRun run = run("serve", "--config", config(OWN).toString(), "--listen", busy);

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err().strip()).endsWith(busy + " is in use; choose another with --listen HOST:PORT (port 0 picks a free one)");
        }
    }

    @Test
    void serveWithTheMetricsPortInUseNamesMetricsListen() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String busy = "127.0.0.1:" + taken.getLocalPort();

            ClientRun run = run("serve", "--config", config(OWN).toString(), "--listen", "127.0.0.1:0", "--metrics-listen", busy);

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err().strip()).endsWith(busy + " (metrics) is in use; choose another with --metrics-listen HOST:PORT"
                    + " (port 0 picks a free one)");
        }
    }

    @Test
    void serveRejectsABadMetricsListenBeforeStarting() {
        ClientRun run = run("serve", "--config", EXAMPLE.toString(), "--metrics-listen", "localhost:9153");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--metrics-listen 'localhost:9153': the host must be an IP address");
    }

    // ---------------------------------------------------------------- check-config

    @Test
    void checkConfigOfTheExampleExitsZeroAndSaysOk() {
        ClientRun run = run("check-config", EXAMPLE.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains(EXAMPLE + ": OK, 1 zone(s), 3 profile(s)");
        assertThat(run.err()).isEmpty();
    }

    /** Every command that reads a configuration takes --config FILE; check-config also keeps its positional FILE. */
    @ParameterizedTest(name = "check-config {0}")
    @ValueSource(strings = {"--config", "-c", "positional"})
    void checkConfigTakesTheFileAsAnOptionOrPositionally(String how) {
        ClientRun run = how.equals("positional") ? run("check-config", EXAMPLE.toString()) : run("check-config", how, EXAMPLE.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith(EXAMPLE + ": OK, 1 zone(s), 3 profile(s)");
    }

    @Test
    void checkConfigGivenTheSameFileBothWaysIsFine() {
        assertThat(run("check-config", "--config", EXAMPLE.toString(), EXAMPLE.toString()).exitCode()).isZero();
    }

    @ParameterizedTest(name = "check-config {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                    | Missing the configuration: --config FILE (or FILE)
            --config a.yaml b.yaml                | Give the configuration once: --config a.yaml and b.yaml differ
            """)
    void checkConfigWithoutOneFileIsAUsageError(String args, String message) {
        ClientRun run = run(args.isEmpty() ? new String[] {"check-config"} : ("check-config " + args).split(" "));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(message).contains("Usage: wayfinder check-config");
    }

    /** Exit codes are the same everywhere: 2 for usage and invalid input, 1 for a failure while running. */
    @ParameterizedTest(name = "wayfinder {0}")
    @CsvSource(delimiter = '|', textBlock = """
            explain --bogus                                                   | 2
            serve --config x.yaml --threads many                              | 2
            status                                                            | 2
            regions --provider                                                | 2
            serve --config x.yaml --log-format xml                            | 2
            """)
    void usageErrorsExitTwo(String args, int code) {
        assertThat(run(args.split(" ")).exitCode()).isEqualTo(code);
    }

    @Test
    void checkConfigOfALatencyFileWithSeveralBadRowsListsThemAll() throws IOException {
        Path file = config(OWN);
        Files.writeString(tempDir.resolve("data/latency.csv"), "prefix,region,rtt_ms\n81.2.69.0/24,westeurope,10\n"
                + "81.2.70.0/24,westeurop,12\n81.2.71.7,westeurope,fast\n1.0.16.0/24,Southeast Asia,70\n");

        ClientRun run = run("check-config", file.toString());

        Path csv = tempDir.resolve("data/latency.csv");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly(file + ": 2 error(s)",
                "  latency.sources[0]: " + csv + ":3: unknown region 'westeurop' (did you mean 'westeurope'?)",
                "  latency.sources[0]: " + csv + ":4: '81.2.71.7' has no prefix length: write 81.2.71.7/32 for one"
                        + " address, or the network it belongs to (such as 81.2.71.0/24)");
    }

    @Test
    void checkConfigResolvesDataFilesBesideTheConfiguration() throws IOException {
        Path file = config(OWN);

        ClientRun run = run("check-config", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains(file + ": OK, 1 zone(s), 2 profile(s)").contains(tempDir.resolve("data/geo.csv").toString());
    }

    @Test
    void checkConfigOfAnInvalidFileExitsTwoListingEveryErrorWithItsPath() throws IOException {
        Path file = config(OWN
                .replace("endpointLocation: westeurope}", "endpointLocation: westeurope, weight: 0}")
                .replace("trafficRoutingMethod: Priority", "trafficRoutingMethod: Performance")
                .replace("{name: primary, target: 192.0.2.20}", "{name: primary, target: 192.0.2.20, endpointLocation: westeurop}")
                .replace("ttl: 30", "ttl: abc"));

        ClientRun run = run("check-config", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).first().isEqualTo(file + ": 3 error(s)");
        assertThat(run.err().lines()).anySatisfy(line -> assertThat(line.strip()).startsWith(
                "profiles[1].endpoints[0].endpointLocation: unknown region 'westeurop' (did you mean 'westeurope'?)"));
        assertThat(run.err().lines()).anySatisfy(line -> assertThat(line.strip()).isEqualTo(
                "profiles[0].endpoints[0].weight: must be between 1 and 1000, not 0"));
        assertThat(run.err().lines()).anySatisfy(line -> assertThat(line.strip()).isEqualTo(
                "profiles[1].dnsConfig.ttl: must be a whole number, not 'abc'"));
    }

    @Test
    void checkConfigOfAMissingFileExitsTwo() {
        Path missing = tempDir.resolve("nowhere.yaml");

        ClientRun run = run("check-config", missing.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(missing + " does not exist");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void checkConfigOfAnUnreadableYamlExitsTwoNamingTheLine() throws IOException {
        Path file = config("zones: [{name: example.test\nprofiles: []\n");

        ClientRun run = run("check-config", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not valid YAML").contains("line ");
    }

    @Test
    void checkConfigOfAMissingDataFileExitsTwo() throws IOException {
        Path file = config(OWN.replace("csv: data/geo.csv", "csv: data/gone.csv"));

        ClientRun run = run("check-config", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(tempDir.resolve("data/gone.csv").toString());
    }

    /** Like every other error, a missing data file should say which field named it and what is wrong with it. */
    @Test
    void checkConfigOfAMissingDataFileNamesTheFieldAndTheProblem() throws IOException {
        Path file = config(OWN.replace("csv: data/geo.csv", "csv: data/gone.csv"));

        ClientRun run = run("check-config", file.toString());

        assertThat(run.err()).contains("geolocation.csv").contains("does not exist");
    }

    /** A damaged geolocation database is an error naming the field and the file, not a stack trace. */
    @Test
    void checkConfigOfACorruptMmdbNamesTheFieldAndTheFile() throws IOException {
        Path file = config(OWN.replace("geolocation: {csv: data/geo.csv}", "geolocation: {mmdb: data/city.mmdb}"));
        Path mmdb = new io.wayfinder.geo.MmdbTestWriter("GeoLite2-City", 6)
                .insert("0.0.0.0/1", io.wayfinder.geo.CorruptMmdb.markedCity(51.5, -0.1, "GB"))
                .insert("128.0.0.0/1", io.wayfinder.geo.CorruptMmdb.markedCity(35.7, 139.7, "JP"))
                .write(tempDir.resolve("data/city.mmdb"));
        io.wayfinder.geo.CorruptMmdb.breakValuesMarked(mmdb);

        ClientRun run = run("check-config", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).first().isEqualTo(file + ": 1 error(s)");
        assertThat(run.err()).contains("geolocation.mmdb[0]: " + mmdb + ": ").doesNotContain("\tat ").doesNotContain("Exception");
    }

    // ---------------------------------------------------------------- explain

    /**
     * The aggregate row's scope is /19, not /16: 81.2.0.0/16 holds 81.2.69.0/24 to 81.2.71.0/24, which
     * have figures of their own, and 81.2.96.0/19 is the widest block around the client that does not.
     */
    @ParameterizedTest(name = "--client {0} -> {1} ({2} at {3}, scope /{4})")
    @CsvSource({
        "81.2.69.7,    eu,   measured,  81.2.69.0/24, 24, westeurope",
        "1.0.16.0/24,  asia, measured,  1.0.16.0/24,  24, southeastasia",
        "81.2.99.0/24, eu,   aggregate, 81.2.0.0/16,  19, westeurope",
        "185.0.0.0/24, eu,   distance,  185.0.0.0/24, 24, westeurope",
    })
    void explainShowsTheChoiceItsEvidenceAndScope(String client, String chosen, String evidence, String network, int scope,
                                                  String region) {
        ClientRun run = run("explain", "--config", EXAMPLE.toString(), "--profile", "music", "--client", client);

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).containsPattern("(?m)^answer\\s+" + chosen + " -> \\S+\\s+\\(ECS scope /" + scope
                + ": the same answer holds for " + IpPrefix.parse(client.contains("/") ? client : client + "/32").truncate(scope)
                .toString().replace(".", "\\.") + "\\)$");
        assertThat(run.out()).containsPattern("(?m)^\\s+" + region + "\\s+[0-9.]+ ms\\s+" + evidence + "\\b.*\\s"
                + network.replace(".", "\\.") + "$");
    }

    @ParameterizedTest(name = "--client {0} -> {1}")
    @CsvSource({
        "81.2.69.7,    eu,   measured,  81.2.69.0/24, 24",
        "1.0.16.0/24,  asia, measured,  1.0.16.0/24,  24",
        "81.2.99.0/24, eu,   aggregate, 81.2.0.0/16,  19",
        "185.0.0.0/24, eu,   distance,  185.0.0.0/24, 24",
    })
    void explainJsonCarriesTheSameDecision(String client, String chosen, String evidence, String network, int scope) {
        ClientRun run = run("explain", "--config", EXAMPLE.toString(), "--profile", "music", "--client", client, "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode decision = JsonMapper.builder().build().readTree(run.out());
        assertThat(decision.get("outcome").asString()).isEqualTo("ANSWER");
        assertThat(decision.get("answers").get(0).get("endpoint").asString()).isEqualTo(chosen);
        assertThat(decision.get("scope").asInt()).isEqualTo(scope);
        assertThat(decision.get("steps").get(0).get("estimates").values())
                .allSatisfy(e -> {
                    assertThat(e.get("evidence").asString()).isEqualTo(evidence);
                    assertThat(e.get("network").asString()).isEqualTo(network);
                    // only aggregates count their samples; elsewhere the field is left out, not 0
                    assertThat(e.has("samples")).isEqualTo(evidence.equals("aggregate"));
                });
    }

    @Test
    void explainJsonHasTheDocumentedFields() {
        ClientRun run = run("explain", "--config", EXAMPLE.toString(), "--profile", "music", "--client", "81.2.69.7", "--json");

        JsonNode decision = JsonMapper.builder().build().readTree(run.out());
        assertThat(decision.propertyNames()).contains("profile", "client", "steps", "outcome", "answers", "scope");
        assertThat(decision.get("profile").asString()).isEqualTo("music");
        assertThat(decision.get("client").asString()).isEqualTo("81.2.69.7/32");
        assertThat(decision.get("steps").isArray()).isTrue();
        assertThat(decision.get("steps").get(0).get("profile").asString()).isEqualTo("music");
    }

    @ParameterizedTest(name = "--client {0} is read as {1} from the {2}")
    @CsvSource({
        "81.2.69.7,          81.2.69.7/32,         resolver address",
        "81.2.69.0/24,       81.2.69.0/24,         ECS",
        "2001:218:2000::1,   2001:218:2000::1/128, resolver address",
    })
    void explainReadsTheClientAsAnAddressOrASubnet(String client, String network, String source) {
        ClientRun run = run("explain", "--config", EXAMPLE.toString(), "--profile", "music", "--client", client);

        assertThat(run.out().lines().findFirst()).hasValue("client   " + network + " (" + source + ")");
    }

    /** Whatever the method, explain says where geolocation put the client, and for which network that holds. */
    @ParameterizedTest(name = "{0} --client {1}")
    @CsvSource(delimiter = '|', textBlock = """
            music     | 81.2.69.7       | GB-ENG, GB at 51.5143, -0.0912 (geolocation holds for 81.2.69.0/24)
            music-eu  | 216.160.83.0/24 | US-WA, US at 47.1426, -122.292 (geolocation holds for 216.160.83.0/24)
            catalogue | 185.0.0.0/24    | RO at 44.4268, 26.1025 (geolocation holds for 185.0.0.0/24)
            music     | 81.2.99.0/24    | unknown: no geolocation source places it (nor any network of its length in 81.2.96.0/19)
            """)
    void explainSaysWhereItLocatedTheClient(String profile, String client, String located) {
        ClientRun run = run("explain", "--config", EXAMPLE.toString(), "--profile", profile, "--client", client);

        assertThat(run.out().lines().skip(1).findFirst()).hasValue("located  " + located);
    }

    @Test
    void explainJsonCarriesTheClientLocation() {
        ClientRun run = run("explain", "--config", EXAMPLE.toString(), "--profile", "music", "--client", "216.160.83.0/24", "--json");

        JsonNode where = JsonMapper.builder().build().readTree(run.out()).get("clientLocation");
        assertThat(where.get("known").asBoolean()).isTrue();
        assertThat(where.get("latitude").asDouble()).isBetween(47.0, 47.2);
        assertThat(where.get("longitude").asDouble()).isBetween(-122.4, -122.2);
        assertThat(where.get("country").asString()).isEqualTo("US");
        assertThat(where.get("subdivision").asString()).isEqualTo("US-WA");
        assertThat(where.get("network").asString()).isEqualTo("216.160.83.0/24");
    }

    @Test
    void explainWithoutGeolocationSaysSo() throws IOException {
        Path file = config(OWN.replace("geolocation: {csv: data/geo.csv}\n", ""));

        ClientRun run = run("explain", "--config", file.toString(), "--profile", "web", "--client", "81.2.69.7");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("located  unknown: the configuration has no geolocation source\n");
    }

    @Test
    void explainOfANestedPriorityProfileChoosesThePrimary() {
        ClientRun run = run("explain", "--config", EXAMPLE.toString(), "--profile", "music-eu", "--client", "81.2.69.7");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("(?m)^answer\\s+primary -> ");
    }

    @Test
    void explainOfAnUnknownProfileExitsTwoListingTheProfiles() {
        ClientRun run = run("explain", "--config", EXAMPLE.toString(), "--profile", "musik", "--client", "81.2.69.7");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no profile named 'musik'").contains("music").contains("music-eu");
    }

    @ParameterizedTest(name = "--client {0}")
    @ValueSource(strings = {"1.2.3", "81.2.69.7/33", "not-an-address"})
    void explainOfABadClientExitsTwo(String client) {
        ClientRun run = run("explain", "--config", EXAMPLE.toString(), "--profile", "music", "--client", client);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("--client ");
    }

    @Test
    void explainOfAnInvalidConfigurationExitsTwoWithItsErrors() throws IOException {
        Path file = config(OWN.replace("endpointLocation: westeurope", "endpointLocation: westeurop"));

        ClientRun run = run("explain", "--config", file.toString(), "--profile", "web", "--client", "81.2.69.7");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("profiles[0].endpoints[0].endpointLocation: unknown region 'westeurop'");
    }

    @Test
    void explainWithoutItsRequiredOptionsIsAUsageError() {
        ClientRun run = run("explain", "--config", EXAMPLE.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--profile").contains("--client");
    }

    // ---------------------------------------------------------------- geo-codes and regions

    @Test
    void geoCodesListsTheWholeHierarchyAsAnIndentedTree() {
        ClientRun run = run("geo-codes");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).hasSize(GeoCodeCatalogue.builtIn().size());
        assertThat(run.out().lines().findFirst()).hasValueSatisfying(line -> assertThat(line).matches("WORLD\\s+World"));
        assertThat(run.out()).containsPattern("(?m)^  GEO-EU\\s+Europe$")
                .containsPattern("(?m)^    FR\\s+France$")
                .containsPattern("(?m)^      US-CA\\s+California$")
                .containsPattern("(?m)^  GEO-NA\\s+North America / Central America / Caribbean$");
    }

    /** The tree starts at the asked code, whatever its depth; each level below is indented two more spaces. */
    @ParameterizedTest(name = "--under {0}")
    @CsvSource(delimiter = '|', textBlock = """
            geo-an | GEO-AN  Antarctica\\n  AQ    Antarctica
            FR     | FR  France
            ua     | UA       Ukraine\\n  UA-CR  Region of Crimea
            """)
    void geoCodesUnderACodeListsItAndWhatLiesBelowIt(String code, String expected) {
        ClientRun run = run("geo-codes", "--under", code);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(expected.replace("\\n", "\n") + "\n");
    }

    @Test
    void geoCodesUnderACountryListsItsSubdivisions() {
        ClientRun run = run("geo-codes", "--under", "US");

        assertThat(run.out().lines()).hasSize(52).first().asString().matches("US\\s+United States");
        assertThat(run.out().lines().skip(1)).allSatisfy(line -> assertThat(line).startsWith("  US-"));
    }

    @ParameterizedTest(name = "--under {0}")
    @CsvSource(delimiter = '|', textBlock = """
            GEO-EUR   | unknown geographic code 'GEO-EUR' (did you mean 'GEO-EU'?)
            UK        | unknown geographic code 'UK' (did you mean 'GB'?)
            France    | unknown geographic code 'France' (did you mean 'FR'?)
            qqqqqqqqq | unknown geographic code 'qqqqqqqqq'
            """)
    void geoCodesUnderAnUnknownCodeExitsTwoWithADidYouMean(String code, String message) {
        ClientRun run = run("geo-codes", "--under", code);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).isEqualTo("--under: " + message);
    }

    @Test
    void regionsListsEveryBuiltInRegionUnderAHeader() {
        ClientRun run = run("regions");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).hasSize(RegionCatalogue.builtIn().size() + 1)
                .first().asString().matches("NAME\\s+DISPLAY NAME\\s+LOCATION\\s+LATITUDE\\s+LONGITUDE\\s+PROVIDER");
        assertThat(run.out()).containsPattern("(?m)^westeurope\\s+West Europe\\s+Amsterdam NL\\s+52\\.3667\\s+4\\.9\\s+azure$")
                .containsPattern("(?m)^eastus2\\s+East US 2\\s+Virginia US\\s+.*\\s+azure$")
                .containsPattern("(?m)^us-east-1\\s+-\\s+.*\\s+aws$")
                .containsPattern("(?m)^europe-west1\\s+.*\\s+gcp$");
    }

    @ParameterizedTest(name = "--provider {0}")
    @ValueSource(strings = {"azure", "aws", "gcp", "AWS"})
    void regionsOfOneProviderAreListedAlone(String provider) {
        String wanted = provider.toLowerCase(Locale.ROOT);
        long expected = RegionCatalogue.builtIn().all().stream().filter(r -> r.provider().equals(wanted)).count();

        ClientRun run = run("regions", "--provider", provider);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines().skip(1)).hasSize((int) expected)
                .allSatisfy(line -> assertThat(line).endsWith("  " + wanted));
    }

    @Test
    void regionsOfAnUnknownProviderExitTwoListingTheProviders() {
        ClientRun run = run("regions", "--provider", "ibm");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).isEqualTo("--provider: unknown provider 'ibm'; providers: azure, aws, gcp");
    }

    // ---------------------------------------------------------------- import azure

    private static final Path ARM_EXPORT = Path.of("src/test/resources/io/wayfinder/imports/azure/music-arm-export.json")
            .toAbsolutePath();

    @Test
    void importAzureWritesAFileCheckConfigAcceptsAndReportsWhatItLeftOut() {
        Path out = tempDir.resolve("imported.yaml");

        ClientRun run = run("import", "azure", ARM_EXPORT.toString(), "--out", out.toString(), "--zone", "music.example.test");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).first().isEqualTo(ARM_EXPORT + ": converted 8 profile(s) with 22 endpoint(s) to " + out);
        assertThat(run.err()).contains("not carried over, or changed (4):")
                .contains("  profile music, endpoint gov: not imported: region 'USGov Virginia' is not in Wayfinder's catalogue")
                .contains("  profile music-asia, endpoint asia-legacy: not imported: an Azure endpoint names its Azure resource")
                .doesNotContain("placeholder");
        ClientRun check = run("check-config", out.toString());
        assertThat(check.exitCode()).isZero();
        assertThat(check.out()).contains(": OK, 1 zone(s), 8 profile(s)");
    }

    @Test
    void importAzureWithoutOutputPrintsTheConfigurationAndSaysTheZoneIsAPlaceholder() {
        ClientRun run = run("import", "azure", ARM_EXPORT.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("# Converted from Azure Traffic Manager").contains("  - name: example.invalid\n");
        assertThat(run.err()).contains("the zone example.invalid is a placeholder: edit zones[0]");
    }

    /** The converted profiles route as they did in Azure: London through eu to its priority-1 endpoint, and so on. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "music,     81.2.69.7,        eu-primary -> 192.0.2.10",
        "music,     1.0.16.0/24,      asia-webapp -> music-asia.azurewebsites.net",
        "music-us,  24.0.0.0/24,      us-primary -> 198.51.100.10",
        "catalogue, 216.160.83.0/24,  us-west -> 192.0.2.41",
        "catalogue, 81.2.69.0/24,     europe -> 192.0.2.40",
        "intranet,  10.1.2.0/24,      office -> 10.20.0.10",
        "intranet,  10.3.0.0/24,      default -> 10.20.0.12",
        "dns-ips,   81.2.69.7,        'a -> 192.0.2.70, b -> 192.0.2.71'",
    })
    void importedProfilesRouteAsInAzure(String profile, String client, String answer) throws IOException {
        Path file = config("");
        ClientRun imported = run("import", "azure", ARM_EXPORT.toString(), "--out", file.toString(), "--zone", "music.example.test");
        assertThat(imported.exitCode()).isZero();
        Files.writeString(file, "geolocation: {csv: data/geo.csv}\nlatency: {sources: [data/latency.csv]}\n",
                java.nio.file.StandardOpenOption.APPEND);

        ClientRun run = run("explain", "--config", file.toString(), "--profile", profile, "--client", client);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("(?m)^answer\\s+" + java.util.regex.Pattern.quote(answer) + "\\s");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing.json | no such file
            notjson.json | not JSON
            """)
    void importAzureOfSomethingThatIsNotAnExportExitsTwo(String name, String message) throws IOException {
        Files.writeString(tempDir.resolve("notjson.json"), "<xml/>");

        ClientRun run = run("import", "azure", tempDir.resolve(name).toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(message);
    }

    @Test
    void importWithoutASourceIsAUsageError() {
        ClientRun run = run("import");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("azure");
    }

    // ---------------------------------------------------------------- version and help

    @ParameterizedTest(name = "wayfinder {0}")
    @ValueSource(strings = {"version", "--version", "-V"})
    void versionPrintsTheProgramName(String arg) {
        ClientRun run = run(arg);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("wayfinder ");
        assertThat(run.out()).contains("Java ");
    }

    @ParameterizedTest(name = "wayfinder {0}")
    @CsvSource(delimiter = '|', value = {
        "--help                    | Usage: wayfinder",
        "help                      | Usage: wayfinder",
        "serve --help              | Usage: wayfinder serve",
        "check-config --help       | Usage: wayfinder check-config",
        "explain --help            | Usage: wayfinder explain",
        "version --help            | Usage: wayfinder version",
        "geo-codes --help          | Usage: wayfinder geo-codes",
        "regions --help            | Usage: wayfinder regions",
        "help explain              | Usage: wayfinder explain",
        "''                        | Usage: wayfinder",
    })
    void helpWorksForEveryCommand(String args, String usage) {
        ClientRun run = run(args.isEmpty() ? new String[0] : args.split(" "));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith(usage);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void unknownCommandIsAUsageError() {
        ClientRun run = run("serv");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("serv");
    }
}
