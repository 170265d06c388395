package io.wayfinder.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.wayfinder.profile.MonitorConfig;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * HTTP, HTTPS and TCP probes on one small Netty event loop, so thousands of endpoints need no
 * thread each. HTTP probes send one GET with {@code Connection: close}, read the status line and
 * hang up; redirects are not followed. HTTPS does not check certificates unless
 * {@code verifyCertificate} is set (as Azure). A TCP probe succeeds when the connection opens.
 *
 * <p>A DNS-name target is resolved for every probe (names move) on a small blocking pool, and
 * probed at every address it resolves to: the probe succeeds only when all of them pass, since a
 * resolver hands clients any of them.
 */
public final class NettyProber implements Prober, AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("health-probe"), NioIoHandler.newFactory());
    /**
     * Lookups block, and one that hangs (a dead DNS server) holds its thread for the resolver's
     * own timeout: 16 threads keep a few slow names from making every other name's probe time
     * out, and idle threads go away, so a configuration without names costs none.
     */
    private final ExecutorService resolver = resolverPool();
    private final Clock clock;
    private final SslContext trustingTls;
    private final SslContext verifyingTls;
    private final HostResolver hosts;

    /** Resolves a name to addresses; blocking. Replaceable in tests. */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String name) throws UnknownHostException;
    }

    private static ExecutorService resolverPool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(16, 16, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "probe-resolver");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public NettyProber(Clock clock) {
        this(clock, InetAddress::getAllByName);
    }

    public NettyProber(Clock clock, HostResolver hosts) {
        this(clock, hosts, null);
    }

    /**
     * @param trusted the certificates that {@code verifyCertificate: true} trusts; null for the
     *                JVM's trust store (tests pass their own self-signed one)
     */
    NettyProber(Clock clock, HostResolver hosts, X509Certificate[] trusted) {
        this.clock = clock;
        this.hosts = hosts;
        try {
            this.trustingTls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            this.verifyingTls = trusted == null ? SslContextBuilder.forClient().build()
                    : SslContextBuilder.forClient().trustManager(trusted).build();
        } catch (SSLException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /** One probe, bounded as a whole by the timeout: resolving a name counts against it too. */
    @Override
    public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
        long start = System.nanoTime();
        int timeoutMillis = target.monitor().timeoutMillis();
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        var deadline = group.next().schedule(() -> result.complete(failure("timeout after " + timeoutMillis + " ms", start)),
                timeoutMillis, TimeUnit.MILLISECONDS);
        attempt(target, start).whenComplete((r, e) -> result.complete(r != null ? r : failure("probe error: " + e, start)));
        result.whenComplete((r, e) -> deadline.cancel(false));
        return result;
    }

    private CompletableFuture<ProbeResult> attempt(ProbeTarget target, long start) {
        if (!target.isName()) {
            InetAddress address;
            try {
                address = InetAddress.getByAddress(io.wayfinder.net.IpPrefix.parseAddress(target.host()));
            } catch (UnknownHostException | IllegalArgumentException e) {
                return CompletableFuture.completedFuture(failure("bad address " + target.host(), start));
            }
            return probeAddress(address, target, start);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return hosts.resolve(target.host());
            } catch (UnknownHostException e) {
                return null;
            }
        }, resolver).thenCompose(addresses -> {
            if (addresses == null || addresses.length == 0) {
                return CompletableFuture.completedFuture(failure("cannot resolve " + target.host(), start));
            }
            List<CompletableFuture<ProbeResult>> each = new ArrayList<>();
            for (InetAddress a : addresses) {
                each.add(probeAddress(a, target, start));
            }
            return CompletableFuture.allOf(each.toArray(new CompletableFuture[0])).thenApply(v -> combine(addresses, each, start));
        });
    }

    private ProbeResult combine(InetAddress[] addresses, List<CompletableFuture<ProbeResult>> each, long start) {
        List<String> failures = new ArrayList<>();
        ProbeResult first = each.get(0).join();
        for (int i = 0; i < each.size(); i++) {
            ProbeResult r = each.get(i).join();
            if (!r.success()) {
                failures.add((addresses.length > 1 ? addresses[i].getHostAddress() + ": " : "") + r.reason());
            }
        }
        if (failures.isEmpty()) {
            return ProbeResult.success(first.reason() + (addresses.length > 1 ? " from all " + addresses.length + " addresses" : ""),
                    clock.instant(), elapsed(start));
        }
        return failure(String.join("; ", failures), start);
    }

    private CompletableFuture<ProbeResult> probeAddress(InetAddress address, ProbeTarget target, long start) {
        MonitorConfig monitor = target.monitor();
        int timeoutMillis = monitor.timeoutMillis();
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (monitor.protocol() == MonitorConfig.Protocol.TCP) {
                            return;
                        }
                        if (monitor.protocol() == MonitorConfig.Protocol.HTTPS) {
                            ch.pipeline().addLast(tlsHandler(ch, target, address, monitor));
                        }
                        ch.pipeline().addLast(new HttpClientCodec());
                        ch.pipeline().addLast(new StatusHandler(target, result, start));
                    }
                });
        ChannelFuture connect = bootstrap.connect(new InetSocketAddress(address, monitor.port()));
        Channel channel = connect.channel();
        var deadline = group.next().schedule(
                () -> result.complete(failure("timeout after " + timeoutMillis + " ms", start)), timeoutMillis, TimeUnit.MILLISECONDS);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.complete(failure(describe(f.cause(), timeoutMillis), start));
            } else if (monitor.protocol() == MonitorConfig.Protocol.TCP) {
                result.complete(ProbeResult.success("TCP connected", clock.instant(), elapsed(start)));
            }
        });
        result.whenComplete((r, e) -> {
            deadline.cancel(false);
            channel.close();
        });
        return result;
    }

    /**
     * TLS towards one address. The certificate, when verified, must be for the server name (from
     * the Host header or the target name), or else for the address itself (an IP SAN); the name
     * goes out as SNI, which never carries addresses.
     */
    private SslHandler tlsHandler(SocketChannel ch, ProbeTarget target, InetAddress address, MonitorConfig monitor) {
        SslContext context = monitor.verifyCertificate() ? verifyingTls : trustingTls;
        String serverName = target.serverName();
        String identity = serverName != null ? serverName : monitor.verifyCertificate() ? address.getHostAddress() : null;
        SslHandler handler = identity == null ? context.newHandler(ch.alloc())
                : context.newHandler(ch.alloc(), identity, monitor.port());
        if (monitor.verifyCertificate()) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        handler.setHandshakeTimeoutMillis(monitor.timeoutMillis());
        return handler;
    }

    /** Sends the GET once the connection (and TLS) is up; judges the status line. */
    private final class StatusHandler extends SimpleChannelInboundHandler<HttpObject> {
        private final ProbeTarget target;
        private final CompletableFuture<ProbeResult> result;
        private final long start;

        StatusHandler(ProbeTarget target, CompletableFuture<ProbeResult> result, long start) {
            this.target = target;
            this.result = result;
            this.start = start;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (target.monitor().protocol() == MonitorConfig.Protocol.HTTP) {
                sendRequest(ctx);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    sendRequest(ctx);
                } else {
                    result.complete(failure("TLS handshake failed: " + rootMessage(handshake.cause()), start));
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        private void sendRequest(ChannelHandlerContext ctx) {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target.monitor().path());
            request.headers().set(HttpHeaderNames.HOST, target.hostHeader());
            request.headers().set(HttpHeaderNames.USER_AGENT, "Wayfinder-Health-Probe/1.0");
            request.headers().set(HttpHeaderNames.ACCEPT, "*/*");
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            for (MonitorConfig.Header h : target.headers()) {
                if (!h.name().equalsIgnoreCase("Host")) {
                    request.headers().set(h.name(), h.value());
                }
            }
            ctx.writeAndFlush(request);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
            if (message instanceof HttpResponse response) {
                int status = response.status().code();
                MonitorConfig monitor = target.monitor();
                if (response.decoderResult().isFailure()) {
                    // Netty makes up a response (status 999) for bytes that are not HTTP: never healthy.
                    result.complete(failure("not an HTTP response", start));
                } else if (monitor.acceptsStatus(status)) {
                    result.complete(ProbeResult.success("HTTP " + status, clock.instant(), elapsed(start)));
                } else if (monitor.expectedStatusCodeRanges().isEmpty()) {
                    result.complete(failure("HTTP " + status, start));
                } else {
                    result.complete(failure("expected " + ranges(monitor) + ", got " + status, start));
                }
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.complete(failure("connection closed before a response", start));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.complete(failure(describe(cause, target.monitor().timeoutMillis()), start));
            ctx.close();
        }
    }

    private static String ranges(MonitorConfig monitor) {
        List<String> parts = new ArrayList<>();
        for (MonitorConfig.StatusCodeRange r : monitor.expectedStatusCodeRanges()) {
            parts.add(r.toString());
        }
        return String.join(", ", parts);
    }

    private static String describe(Throwable cause, int timeoutMillis) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            return "timeout after " + timeoutMillis + " ms";
        }
        if (root instanceof ConnectException) {
            String m = String.valueOf(root.getMessage()).toLowerCase(java.util.Locale.ROOT);
            return m.contains("refused") ? "connection refused" : "cannot connect: " + root.getMessage();
        }
        if (root instanceof SSLException || cause instanceof SSLException) {
            return "TLS handshake failed: " + rootMessage(cause);
        }
        if (root instanceof java.io.IOException) {
            return "connection error: " + root.getMessage();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private ProbeResult failure(String reason, long start) {
        return ProbeResult.failure(reason, clock.instant(), elapsed(start));
    }

    private static long elapsed(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Override
    public void close() {
        resolver.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
