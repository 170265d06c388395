package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The answer counters and the answer-time histogram on /metrics count what a real DNS client
 * asked: per profile, endpoint and result, over UDP and TCP, and across a reload that moves
 * every profile's and endpoint's index.
 */
class AnswerMetricsIntegrationTest {
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{([^}]*)} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private int udp;
    private int tcp;

    @Test
    void eachProfileCountsItsAnswersByEndpointAndResultAndTheHistogramCountsEveryAnswer(@TempDir Path dir) throws Exception {
        try (TestDeployment deployment = TestDeployment.startWithTcpAndMetrics(dir, "{}")) {
            ask(deployment, 3, "www.app.test", Type.A, "81.2.69.0/24", false, Rcode.NOERROR);      // London: eu
            ask(deployment, 2, "www.app.test", Type.A, "198.51.100.0/24", false, Rcode.NOERROR);   // eu-failover -> web-eu
            ask(deployment, 1, "www.app.test", Type.AAAA, "81.2.69.0/24", false, Rcode.NOERROR);   // eu is IPv4: NODATA
            ask(deployment, 2, "www.app.test", Type.A, "1.0.16.0/24", true, Rcode.NOERROR);        // Tokyo: asia (CNAME)
            ask(deployment, 1, "off.app.test", Type.A, null, false, Rcode.NXDOMAIN);               // disabled profile
            ask(deployment, 1, "empty.app.test", Type.A, null, true, Rcode.NXDOMAIN);              // no endpoint enabled
            ask(deployment, 1, "alias.app.test", Type.A, null, false, Rcode.NOERROR);              // CNAME to eu.app.test
            ask(deployment, 1, "eu.app.test", Type.A, null, true, Rcode.NOERROR);
            // Not profiles: in the histogram, not in the answer counters.
            ask(deployment, 1, "ns1.app.test", Type.A, null, false, Rcode.NOERROR);
            ask(deployment, 1, "nothing.app.test", Type.A, null, false, Rcode.NXDOMAIN);
            ask(deployment, 1, "www.elsewhere.test", Type.A, null, true, Rcode.REFUSED);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Map<String, Double> m = samples(deployment);
                assertThat(m).containsEntry("answers web/eu NOERROR", 3.0)
                        .containsEntry("answers web/eu NODATA", 1.0)
                        .containsEntry("answers web/eu-failover NOERROR", 2.0)
                        .containsEntry("answers web/asia NOERROR", 2.0)
                        .containsEntry("answers web/us NOERROR", 0.0)
                        .containsEntry("answers web-eu/primary NOERROR", 4.0) // 2 through web, alias, eu.app.test
                        .containsEntry("answers web-eu/secondary NOERROR", 0.0)
                        .containsEntry("answers alias/to-eu NOERROR", 1.0)
                        .containsEntry("answers off/ NXDOMAIN", 1.0)
                        .containsEntry("answers empty/ NXDOMAIN", 1.0)
                        .containsEntry("answers split/a NOERROR", 0.0)
                        .doesNotContainKey("answers web/us NODATA");
                assertThat(m.keySet().stream().filter(k -> k.startsWith("answers ")))
                        .as("every profile's endpoints (18), and the 3 other results that happened").hasSize(21);

                assertThat(m).containsEntry("duration_count udp", (double) udp).containsEntry("duration_count tcp", (double) tcp);
                assertThat(m.get("duration_bucket udp +Inf")).isEqualTo(udp);
                assertThat(m.get("duration_sum udp")).isPositive().isLessThan(udp * 0.1);
                assertThat(m.get("duration_count udp") + m.get("duration_count tcp")).as("one observation per response sent")
                        .isEqualTo(m.entrySet().stream().filter(e -> e.getKey().startsWith("responses "))
                                .mapToDouble(Map.Entry::getValue).sum());
            });
        }
    }

    @Test
    void countsFollowNamesAcrossAReloadThatReordersProfilesAndEndpointsAndRenamedOnesStay(@TempDir Path dir) throws Exception {
        try (TestDeployment deployment = TestDeployment.startWithTcpAndMetrics(dir, "{}")) {
            ask(deployment, 3, "www.app.test", Type.A, "81.2.69.0/24", false, Rcode.NOERROR);  // web/eu
            ask(deployment, 2, "www.app.test", Type.A, "1.0.16.0/24", true, Rcode.NOERROR);    // web/asia
            ask(deployment, 2, "split.app.test", Type.A, null, false, Rcode.NOERROR);          // split/a or split/b
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(samples(deployment)).containsEntry("answers web/eu NOERROR", 3.0));
            Map<String, Double> before = samples(deployment);
            double split = before.get("answers split/a NOERROR") + before.get("answers split/b NOERROR");
            assertThat(split).isEqualTo(2.0);

            // web moves from the first profile to the last, its endpoints reversed; split is renamed halves.
            String config = Files.readString(deployment.configFile);
            String web = config.substring(config.indexOf("  - name: web\n"), config.indexOf("  - name: web-eu\n"));
            String reversed = web.replace("""
                          - {name: eu, target: 192.0.2.10, endpointLocation: westeurope}
                          - {name: us, target: "2001:db8::10", endpointLocation: eastus}
                          - {name: asia, target: asia.cdn.example.net, endpointLocation: southeastasia}
                          - {name: eu-failover, type: nested, target: web-eu, endpointLocation: northeurope}
                    """, """
                          - {name: eu-failover, type: nested, target: web-eu, endpointLocation: northeurope}
                          - {name: asia, target: asia.cdn.example.net, endpointLocation: southeastasia}
                          - {name: us, target: "2001:db8::10", endpointLocation: eastus}
                          - {name: eu, target: 192.0.2.10, endpointLocation: westeurope}
                    """);
            assertThat(reversed).isNotEqualTo(web);
            deployment.rewriteConfig((config.replace(web, "") + reversed).replace("- name: split\n", "- name: halves\n"));
            await().atMost(Duration.ofSeconds(10)).until(() -> deployment.server.reloads() == 1);
            assertThat(deployment.server.snapshot().routing().plan().profileIndex("web")).isEqualTo(10);

            ask(deployment, 1, "www.app.test", Type.A, "81.2.69.0/24", false, Rcode.NOERROR);  // web/eu, now index 3
            ask(deployment, 1, "www.app.test", Type.A, "81.2.69.0/24", true, Rcode.NOERROR);
            ask(deployment, 1, "www.app.test", Type.A, "1.0.16.0/24", false, Rcode.NOERROR);   // web/asia, now index 1
            ask(deployment, 3, "split.app.test", Type.A, null, true, Rcode.NOERROR);           // halves

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Map<String, Double> m = samples(deployment);
                assertThat(m).containsEntry("answers web/eu NOERROR", 5.0)
                        .containsEntry("answers web/asia NOERROR", 3.0)
                        .containsEntry("answers web/eu-failover NOERROR", 0.0)
                        .containsEntry("answers web/us NOERROR", 0.0);
                assertThat(m.get("answers halves/a NOERROR") + m.get("answers halves/b NOERROR")).isEqualTo(3.0);
                assertThat(m.getOrDefault("answers split/a NOERROR", 0.0) + m.getOrDefault("answers split/b NOERROR", 0.0))
                        .as("a renamed profile's series stay, with their last counts (those above 0), for a while")
                        .isEqualTo(split);
                assertThat(m).containsEntry("duration_count udp", (double) udp).containsEntry("duration_count tcp", (double) tcp);
            });
        }
    }

    private void ask(TestDeployment deployment, int times, String name, int type, String ecs, boolean overTcp, int rcode)
            throws IOException {
        for (int i = 0; i < times; i++) {
            Message response = deployment.ask(name, type, ecs, overTcp);
            assertThat(response.getRcode()).as("%s %s", name, Type.string(type)).isEqualTo(rcode);
            if (overTcp) {
                tcp++;
            } else {
                udp++;
            }
        }
    }

    /**
     * The samples this test reads, keyed short: {@code answers PROFILE/ENDPOINT RCODE},
     * {@code duration_count|sum TRANSPORT}, {@code duration_bucket TRANSPORT LE}, {@code responses RCODE}.
     */
    private static Map<String, Double> samples(TestDeployment deployment) throws IOException, InterruptedException {
        Map<String, Double> out = new HashMap<>();
        for (String line : deployment.scrape().split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher label = LABEL.matcher(sample.group(2));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            double value = Double.parseDouble(sample.group(3));
            switch (sample.group(1)) {
                case "wayfinder_answers_total" -> out.put("answers " + labels.get("profile") + "/" + labels.get("endpoint")
                        + " " + labels.get("rcode"), value);
                case "wayfinder_dns_answer_duration_seconds_count" -> out.put("duration_count " + labels.get("transport"), value);
                case "wayfinder_dns_answer_duration_seconds_sum" -> out.put("duration_sum " + labels.get("transport"), value);
                case "wayfinder_dns_answer_duration_seconds_bucket" ->
                        out.put("duration_bucket " + labels.get("transport") + " " + labels.get("le"), value);
                case "wayfinder_dns_responses_total" -> out.put("responses " + labels.get("rcode"), value);
                default -> {
                }
            }
        }
        return out;
    }
}
