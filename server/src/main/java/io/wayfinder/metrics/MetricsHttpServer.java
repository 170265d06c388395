package io.wayfinder.metrics;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP server behind {@code /metrics}: one Netty event loop of its own (never the DNS loops), so
 * scrapes run one at a time on one thread, and no connection, however idle or slow, holds a thread.
 *
 * <ul>
 *   <li>A connection must send a whole request within {@link #REQUEST_TIMEOUT} of opening or of its
 *       previous response, or it is closed.</li>
 *   <li>At most {@link #MAX_CONNECTIONS} connections: a new one beyond that closes the one that has
 *       waited longest without a request, so idle connections can never lock a scraper out.</li>
 *   <li>Requests are small: a request line of 4 KiB, headers of 8 KiB, a body of 4 KiB.</li>
 *   <li>What fails is logged (rate-limited) and counted in {@code wayfinder_metrics_http_failures_total}.</li>
 * </ul>
 *
 * <p>The connection bookkeeping ({@link #waiting}) is confined to the one event-loop thread, which
 * accepts, reads and scrapes.
 */
final class MetricsHttpServer implements AutoCloseable {
    /** Connections the kernel queues before they are accepted (the JDK exporter's default was 3). */
    static final int BACKLOG = 128;
    static final int MAX_CONNECTIONS = 64;
    /** Prometheus scrapes every 15-60 s and keeps the connection; an idle one reconnects, which is cheap. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** What went wrong with a request or connection, the label of {@code wayfinder_metrics_http_failures_total}. */
    enum Failure {
        /** Writing the metrics failed (a collector threw): answered 500. */
        SCRAPE("scrape"),
        /** A request Netty could not parse: answered 400, and the connection closed. */
        BAD_REQUEST("bad_request"),
        /** A connection failed otherwise than by the client going away. */
        CONNECTION("connection");

        final String label;

        Failure(String label) {
            this.label = label;
        }
    }

    private final EventLoopGroup group;
    private final LongAdder[] failures = new LongAdder[Failure.values().length];
    /** Set once bound, before start returns. */
    private volatile Channel server;
    /** Open connections waiting for a request, the longest-waiting first. */
    private final LinkedHashSet<Channel> waiting = new LinkedHashSet<>();
    private int open;

    private MetricsHttpServer(EventLoopGroup group) {
        this.group = group;
        for (int i = 0; i < failures.length; i++) {
            failures[i] = new LongAdder();
        }
    }

    static MetricsHttpServer start(InetSocketAddress address, PrometheusRegistry registry) throws IOException {
        return start(address, registry, REQUEST_TIMEOUT);
    }

    static MetricsHttpServer start(InetSocketAddress address, PrometheusRegistry registry, Duration requestTimeout)
            throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("metrics-http", true),
                NioIoHandler.newFactory());
        MetricsHttpServer self = new MetricsHttpServer(group);
        self.registerFailures(registry);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        self.opened(ch);
                        ch.pipeline()
                                .addLast(new HttpServerCodec(4096, 8192, 8192))
                                .addLast(new HttpObjectAggregator(4096))
                                .addLast(new MetricsRequestHandler(registry, self, requestTimeout));
                    }
                });
        try {
            self.server = b.bind(address).sync().channel();
            return self;
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /** Counts this server's failures in the registry it serves (a registry has one metrics server). */
    private void registerFailures(PrometheusRegistry registry) {
        CounterWithCallback.builder().name("wayfinder_metrics_http_failures_total")
                .help("Requests to /metrics that failed (scrape: a collector threw, answered 500; bad_request:"
                        + " unparsable, answered 400) and metrics connections that failed")
                .labelNames("reason")
                .callback(cb -> {
                    for (Failure f : Failure.values()) {
                        cb.call(failures[f.ordinal()].sum(), f.label);
                    }
                }).register(registry);
    }

    void failed(Failure failure) {
        failures[failure.ordinal()].increment();
    }

    long failures(Failure failure) {
        return failures[failure.ordinal()].sum();
    }

    private void opened(Channel ch) {
        if (open >= MAX_CONNECTIONS && !waiting.isEmpty()) {
            Channel longest = waiting.iterator().next();
            waiting.remove(longest);
            longest.close();
        }
        open++;
        waiting.add(ch);
        ch.closeFuture().addListener(f -> {
            open--;
            waiting.remove(ch);
        });
    }

    /** The connection has sent a request: it is not evicted while being answered. */
    void busy(Channel ch) {
        waiting.remove(ch);
    }

    /** The connection was answered and stays open: it waits for its next request. */
    void idle(Channel ch) {
        if (ch.isActive()) {
            waiting.add(ch);
        }
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
