package io.wayfinder.cli;

import com.sun.net.httpserver.HttpServer;
import io.wayfinder.profile.ListenAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "demo-endpoints", mixinStandardHelpOptions = true,
        description = {"Run stand-in endpoint servers for trying health checks locally.",
            "Answers HTTP 200 on every path at each HOST:PORT (e.g. 127.0.0.10:8080) until stopped.",
            "Loopback addresses only."})
final class DemoEndpointsCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "HOST:PORT", description = "Addresses to serve on.")
    List<String> addresses = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<HttpServer> servers = new ArrayList<>();
        for (String text : addresses) {
            ListenAddress address;
            try {
                address = ListenAddress.parse(text);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return WayfinderCommand.EXIT_INVALID_INPUT;
            }
            InetSocketAddress socket = address.toSocketAddress();
            if (!socket.getAddress().isLoopbackAddress()) {
                System.err.println(text + ": demo endpoints serve on loopback addresses only (127.0.0.0/8, ::1)");
                return WayfinderCommand.EXIT_INVALID_INPUT;
            }
            HttpServer server;
            try {
                server = HttpServer.create(socket, 16);
            } catch (IOException e) {
                System.err.println("cannot serve on " + text + ": " + e.getMessage());
                servers.forEach(s -> s.stop(0));
                return WayfinderCommand.EXIT_RUNTIME_FAILURE;
            }
            server.createContext("/", exchange -> {
                byte[] body = ("ok from " + text + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            servers.add(server);
            System.out.println("demo endpoint serving HTTP 200 on http://" + address + "/");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            servers.forEach(s -> s.stop(0));
            stopped.countDown();
        }));
        stopped.await();
        return WayfinderCommand.EXIT_OK;
    }
}
