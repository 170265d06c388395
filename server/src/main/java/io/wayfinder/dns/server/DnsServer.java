package io.wayfinder.dns.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.wayfinder.dns.ratelimit.ResponseRateLimiter;
import io.wayfinder.net.ConnectionSlots;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS listeners: on every address, UDP and TCP on the same port.
 *
 * <pre>
 *  UDP socket ×N (SO_REUSEPORT, one per event loop) ─┐
 *                                                    ├─> QueryProcessor ─> Responder ─> response
 *  TCP socket ─> length-prefix framing ─> per conn. ─┘          │
 *                               UDP only: ResponseRateLimiter ─┴─> send, send empty TC, or drop
 * </pre>
 *
 * The rate limiter is one table shared by all event loops: with SO_REUSEPORT a client's datagrams
 * are spread over the sockets by its port, so per-loop tables would each allow the full rate.
 *
 * With epoll, each event loop owns its own UDP socket on the port and the kernel spreads
 * datagrams over them, so every core answers UDP; datagrams are read in batches (recvmmsg).
 * With the FFM transport ({@link UdpTransport}, Java 22+), UDP leaves Netty: {@code threads}
 * sockets on the port, each served by a thread of its own ({@link NativeUdpListeners}) through the
 * same {@link QueryProcessor}; TCP stays on the event loops.
 *
 * <p>TCP connections are bounded by {@link TcpLimits}: a slot each, globally and per client
 * ({@link ConnectionSlots}: over either limit a connection is closed as soon as it is accepted),
 * and per connection the deadlines and the answers it may leave waiting ({@link TcpQueryHandler}).
 *
 * <p>Each answer's time, from decode to written, goes to its event loop's recorder in
 * {@link AnswerDurations}, per transport.
 *
 * <p>Pitfall: wildcard addresses. A UDP socket bound to 0.0.0.0 or [::] sends each answer from the
 * address the kernel picks for the route back to the client, not necessarily the address the query
 * was sent to (on a host with several addresses, or 127.0.0.2 on loopback); resolvers and checkers
 * that use connected sockets (dnsviz does) drop such answers. Servers set the source per datagram
 * with IP_PKTINFO, which Netty cannot; so, as BIND does, a wildcard listen address is expanded at
 * start into one listener per address of the host's interfaces that are up (0.0.0.0: the IPv4 ones;
 * [::]: all, as a dual-stack socket would take). Addresses added later need a restart.
 */
public final class DnsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
    private static final int MAX_UDP_DATAGRAM = 4096;
    private static final int BATCH = 16;

    private final Transport transport = Transport.best();
    private final EventLoopGroup group;
    private final int threads;
    private final Function<Executor, Responder> responders;
    private final ResponseRateLimiter rateLimiter;
    private final ServerStats stats = new ServerStats();
    private final TcpStats tcpStats = new TcpStats();
    private final AnswerDurations durations = new AnswerDurations();
    private final TcpLimits tcpLimits;
    private final ConnectionSlots tcpSlots;
    private final List<Channel> channels = new ArrayList<>();
    /** The FFM UDP listeners (Java 22+), or null when Netty serves UDP. */
    private final NativeUdpListeners nativeUdp;
    private final List<NativeUdpListeners.Listener> nativeListeners = new ArrayList<>();
    private final List<InetSocketAddress> bound = new ArrayList<>();
    private final HostAddresses hostAddresses;

    /** The addresses a wildcard listen address stands for: IPv4 ones, and with {@code ipv6} IPv6 ones too. */
    @FunctionalInterface
    interface HostAddresses {
        List<InetAddress> list(boolean ipv6) throws BindException;
    }

    /**
     * @param rateLimiter applied to every UDP response (shared by the event loops); TCP is never limited
     * @param tcpLimits   what one TCP client may hold; read once, here
     */
    public DnsServer(Supplier<Responder> responders, int threads, ResponseRateLimiter rateLimiter, TcpLimits tcpLimits) {
        this(loop -> responders.get(), threads, rateLimiter, tcpLimits, DnsServer::localAddresses, UdpTransport.NETTY);
    }

    /**
     * @param responders makes the responder of a channel or TCP connection, given the event loop it
     *                   runs on (an executor of that loop's thread: a responder that keeps per-loop
     *                   state hands work to it there)
     */
    public DnsServer(Function<Executor, Responder> responders, int threads, ResponseRateLimiter rateLimiter,
                     TcpLimits tcpLimits) {
        this(responders, threads, rateLimiter, tcpLimits, UdpTransport.NETTY);
    }

    /**
     * @param udp which code serves UDP ({@link UdpTransport}); the choice is logged
     * @throws IllegalStateException when {@link UdpTransport#FFM} is asked for where it cannot run
     */
    public DnsServer(Function<Executor, Responder> responders, int threads, ResponseRateLimiter rateLimiter,
                     TcpLimits tcpLimits, UdpTransport udp) {
        this(responders, threads, rateLimiter, tcpLimits, DnsServer::localAddresses, udp);
    }

    /** With the host's addresses given, for tests that must stay on loopback. */
    DnsServer(Supplier<Responder> responders, int threads, ResponseRateLimiter rateLimiter, TcpLimits tcpLimits,
              HostAddresses hostAddresses) {
        this(loop -> responders.get(), threads, rateLimiter, tcpLimits, hostAddresses, UdpTransport.NETTY);
    }

    private DnsServer(Function<Executor, Responder> responders, int threads, ResponseRateLimiter rateLimiter,
                      TcpLimits tcpLimits, HostAddresses hostAddresses, UdpTransport udp) {
        this.nativeUdp = udp.select();
        this.responders = responders;
        this.rateLimiter = rateLimiter;
        this.threads = threads;
        this.tcpLimits = tcpLimits;
        this.tcpSlots = new ConnectionSlots(tcpLimits.maxConnections(), tcpLimits.maxConnectionsPerAddress());
        this.hostAddresses = hostAddresses;
        // Named, so that top -H, jstack and perf sched tell the query threads from other event loops.
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("dns-io"), transport.ioHandlerFactory());
    }

    /**
     * Binds UDP then TCP on the same port of each address (port 0: a free port, the same for both).
     * A wildcard address is bound as each address of this host (see the class comment), all on one
     * port; an address given twice, or reached by two wildcards, is bound once.
     */
    public synchronized List<InetSocketAddress> start(List<InetSocketAddress> addresses) throws InterruptedException, BindException {
        for (InetSocketAddress address : addresses) {
            if (!address.getAddress().isAnyLocalAddress()) {
                if (!isBound(address.getAddress(), address.getPort())) {
                    bound.add(bindBoth(address));
                }
                continue;
            }
            List<InetAddress> local = hostAddresses.list(address.getAddress() instanceof Inet6Address);
            int port = address.getPort();
            List<String> names = new ArrayList<>();
            for (InetAddress a : local) {
                if (isBound(a, port)) {
                    continue;
                }
                InetSocketAddress actual = bindBoth(new InetSocketAddress(a, port));
                bound.add(actual);
                port = actual.getPort(); // port 0: the first address's free port for all of them
                names.add(format(actual));
            }
            LOG.info("DNS wildcard {} bound as the host's addresses {}, so that answers leave from the address "
                    + "they were asked on; a new address needs a restart", format(address), names);
        }
        LOG.info("DNS over TCP: {}", tcpLimits.describe());
        return List.copyOf(bound);
    }

    /** Whether this address and port are bound already (never for port 0: each asks for a new port). */
    private boolean isBound(InetAddress address, int port) {
        for (InetSocketAddress b : bound) {
            if (port != 0 && b.getPort() == port && b.getAddress().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /** The addresses of the interfaces that are up: IPv4 ones, and with {@code ipv6} the IPv6 ones too. */
    static List<InetAddress> localAddresses(boolean ipv6) throws BindException {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) {
                    continue;
                }
                for (InetAddress a : java.util.Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address || ipv6) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            throw new BindException("cannot list this host's addresses for a wildcard listen address: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new BindException("no interface is up with an address to listen on");
        }
        // IPv4 first, loopback first: a stable order for logs and for the port chosen with port 0
        out.sort(java.util.Comparator.comparing((InetAddress a) -> a instanceof Inet6Address)
                .thenComparing(a -> !a.isLoopbackAddress()));
        return out;
    }

    private InetSocketAddress bindBoth(InetSocketAddress address) throws InterruptedException, BindException {
        int attempts = address.getPort() == 0 ? 10 : 1;
        for (int attempt = 1; ; attempt++) {
            List<Channel> udp = new ArrayList<>();
            NativeUdpListeners.Listener udpNative = null;
            InetSocketAddress actual;
            if (nativeUdp != null) {
                udpNative = bindNativeUdp(address);
                actual = udpNative.localAddress();
            } else {
                udp = bindUdp(address);
                actual = (InetSocketAddress) udp.get(0).localAddress();
            }
            try {
                Channel tcp = bindTcp(new InetSocketAddress(address.getAddress(), actual.getPort()));
                channels.addAll(udp);
                channels.add(tcp);
                if (udpNative != null) {
                    nativeListeners.add(udpNative);
                }
                LOG.info("DNS listening on {} (UDP x{} {}, TCP {})", format(actual), udpNative != null ? threads : udp.size(),
                        udpNative != null ? "ffm" : transport.name().toLowerCase(), transport.name().toLowerCase());
                return actual;
            } catch (Exception e) {
                udp.forEach(Channel::close);
                if (udpNative != null) {
                    udpNative.close();
                }
                if (attempt >= attempts) {
                    throw new BindFailure("cannot listen on TCP " + format(actual) + ": " + e.getMessage(), actual, e);
                }
            }
        }
    }

    private List<Channel> bindUdp(InetSocketAddress address) throws InterruptedException, BindException {
        int sockets = transport.reusePort() ? threads : 1;
        List<Channel> out = new ArrayList<>();
        InetSocketAddress target = address;
        for (int i = 0; i < sockets; i++) {
            Bootstrap b = new Bootstrap()
                    .group(group)
                    .channel(transport.datagramChannel())
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(
                            transport.reusePort() ? MAX_UDP_DATAGRAM * BATCH : MAX_UDP_DATAGRAM))
                    .option(ChannelOption.SO_RCVBUF, 4 << 20)
                    .option(ChannelOption.SO_SNDBUF, 4 << 20)
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            ch.pipeline().addLast(new UdpQueryHandler(new QueryProcessor(responders.apply(ch.eventLoop()), stats, rateLimiter), stats,
                                    durations.recorder(ch.eventLoop(), false)));
                        }
                    });
            if (transport.reusePort()) {
                b.option(UnixChannelOption.SO_REUSEPORT, true);
                b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_DATAGRAM);
            }
            try {
                Channel ch = b.bind(target).sync().channel();
                out.add(ch);
                target = (InetSocketAddress) ch.localAddress(); // later sockets join the port the first got
            } catch (Exception e) {
                out.forEach(Channel::close);
                throw new BindFailure("cannot listen on UDP " + format(target) + ": " + e.getMessage(), target, e);
            }
        }
        return out;
    }

    /** The FFM path: {@code threads} SO_REUSEPORT sockets, a thread each (see {@link NativeUdpListeners}). */
    private NativeUdpListeners.Listener bindNativeUdp(InetSocketAddress address) throws BindException {
        try {
            return nativeUdp.bind(address, threads, loop -> new NativeUdpListeners.Serving(
                    new QueryProcessor(responders.apply(loop), stats, rateLimiter), durations.recorder(loop, false)), stats);
        } catch (java.io.IOException e) {
            throw new BindFailure("cannot listen on UDP " + format(address) + ": " + e.getMessage(), address, e);
        }
    }

    private Channel bindTcp(InetSocketAddress address) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Object slot = tcpSlots.acquire(ch.remoteAddress().getAddress());
                        if (slot instanceof ConnectionSlots.Refusal refusal) {
                            tcpStats.recordRefused(refusal, ch.remoteAddress(), refusal == ConnectionSlots.Refusal.GLOBAL
                                    ? tcpSlots.max() : tcpSlots.maxPerClient());
                            ch.close();
                            return;
                        }
                        tcpStats.recordAccepted();
                        tcpStats.recordOpened();
                        ch.closeFuture().addListener(f -> {
                            tcpSlots.release(slot);
                            tcpStats.recordReleased();
                        });
                        boolean crowded = tcpSlots.crowded(); // after its own slot was taken
                        ch.pipeline().addLast(new TcpQueryHandler(new QueryProcessor(responders.apply(ch.eventLoop()), stats, null), stats,
                                tcpStats, tcpLimits, crowded, durations.recorder(ch.eventLoop(), true)));
                    }
                });
        return b.bind(address).sync().channel();
    }

    public ServerStats stats() {
        return stats;
    }

    public TcpStats tcpStats() {
        return tcpStats;
    }

    /** How long answers took, from decode to written, per transport and event loop. */
    public AnswerDurations answerDurations() {
        return durations;
    }

    public TcpLimits tcpLimits() {
        return tcpLimits;
    }

    /** The UDP response-rate limiter: its counters, and {@code update} for new settings. */
    public ResponseRateLimiter rateLimiter() {
        return rateLimiter;
    }

    public synchronized List<InetSocketAddress> addresses() {
        return List.copyOf(bound);
    }

    /** Closes the listeners and stops the event loops; bounded, so a stuck loop cannot hang a shutdown. */
    @Override
    public synchronized void close() {
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        channels.clear();
        for (NativeUdpListeners.Listener l : nativeListeners) {
            l.close();
        }
        nativeListeners.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
