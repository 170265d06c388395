package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.profile.ListenAddress;
import io.wayfinder.profile.read.MinimalConfig;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listen addresses a command line gives over the file: where metrics go, and what a busy address says. */
class ListenOptionsIntegrationTest {
    private static final ListenAddress ANY_PORT = ListenAddress.parse("127.0.0.1:0");

    @TempDir
    Path dir;

    @Test
    void metricsAreServedWhereTheCommandLineSaysEvenWithoutAMetricsSection() throws Exception {
        Path config = Files.writeString(dir.resolve("wayfinder.yaml"), MinimalConfig.TEXT);

        try (WayfinderServer server = WayfinderServer.start(config,
                new WayfinderServer.Options(List.of(ANY_PORT), 1, 100, ANY_PORT))) {
            assertThat(server.metricsPort()).isPositive();
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("wayfinder_dns_responses_total");
        }
    }

    @Test
    void aDnsAddressInUseSaysWhichAndThatItIsInUse() throws Exception {
        Path config = Files.writeString(dir.resolve("wayfinder.yaml"), MinimalConfig.TEXT);
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 1, InetAddress.getLoopbackAddress())) {
            ListenAddress busy = ListenAddress.parse("127.0.0.1:" + udp.getLocalPort());

            assertThatThrownBy(() -> WayfinderServer.start(config, new WayfinderServer.Options(List.of(busy), 1, 100)))
                    .isInstanceOfSatisfying(WayfinderServer.ListenFailure.class, e -> {
                        assertThat(e.listener()).isEqualTo(WayfinderServer.ListenFailure.Listener.DNS);
                        assertThat(e.address()).isEqualTo(busy);
                        assertThat(e.inUse()).isTrue();
                    });
        }
    }

    @Test
    void aMetricsAddressInUseSaysWhichAndThatItIsInUse() throws Exception {
        Path config = Files.writeString(dir.resolve("wayfinder.yaml"), MinimalConfig.TEXT);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ListenAddress busy = ListenAddress.parse("127.0.0.1:" + taken.getLocalPort());

            assertThatThrownBy(() -> WayfinderServer.start(config, new WayfinderServer.Options(List.of(ANY_PORT), 1, 100, busy)))
                    .isInstanceOfSatisfying(WayfinderServer.ListenFailure.class, e -> {
                        assertThat(e.listener()).isEqualTo(WayfinderServer.ListenFailure.Listener.METRICS);
                        assertThat(e.address()).isEqualTo(busy);
                        assertThat(e.inUse()).isTrue();
                    });
        }
    }
}
