package io.wayfinder.dns.server;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The FFM UDP transport (Java 22+, Linux): per address, N sockets on one port with SO_REUSEPORT,
 * each served by an {@link FfmUdpSocket} on a thread of its own. Found by name from
 * {@link UdpTransport#select}; lives only in the jar's {@code META-INF/versions/22}.
 */
final class FfmUdpListeners implements NativeUdpListeners {
    /** Socket buffers, as the Netty path asks for: room for bursts while a batch is answered. */
    private static final int SOCKET_BUFFER = 4 << 20;
    /** A blocked receive returns this often, even with nothing to wake it: tasks and stop are seen within it. */
    static final int RECEIVE_TIMEOUT_MILLIS = 100;

    @Override
    public String unavailable() {
        String platform = platform();
        if (platform != null) {
            return platform;
        }
        // False only where the JVM denies it (--illegal-native-access=deny, or a later Java's default);
        // Java 22-25 allow it without the flag, 24+ with a warning that Netty's epoll library also causes.
        if (!FfmUdpListeners.class.getModule().isNativeAccessEnabled()) {
            return "needs native access: run java with --enable-native-access=ALL-UNNAMED (bin/wayfinder does)";
        }
        try {
            LinuxUdp.link();
            return null;
        } catch (Throwable t) { // a libc without one of the calls
            return "cannot bind the system calls: " + t;
        }
    }

    private static String platform() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux")) {
            return "needs Linux (running " + os + ")";
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            return "needs x86_64 or aarch64 (running " + arch + ")";
        }
        return null;
    }

    @Override
    public Listener bind(InetSocketAddress address, int sockets, Function<Executor, Serving> serving, ServerStats stats)
            throws IOException {
        List<FfmUdpSocket> bound = new ArrayList<>();
        InetSocketAddress target = address;
        try (Arena setup = Arena.ofConfined()) {
            MemorySegment state = LinuxUdp.callState(setup);
            for (int i = 0; i < sockets; i++) {
                int fd = LinuxUdp.bindUdp(setup, state, target, SOCKET_BUFFER, RECEIVE_TIMEOUT_MILLIS);
                InetSocketAddress local;
                try {
                    local = LinuxUdp.localAddress(setup, state, fd);
                    bound.add(new FfmUdpSocket(fd, local, i, serving, stats));
                } catch (IOException | RuntimeException e) {
                    LinuxUdp.close(state, fd);
                    throw e;
                }
                target = local; // later sockets join the port the first got
            }
        } catch (IOException | RuntimeException e) {
            bound.forEach(FfmUdpSocket::close);
            throw e;
        }
        bound.forEach(FfmUdpSocket::start);
        InetSocketAddress local = target;
        return new Listener() {
            @Override
            public InetSocketAddress localAddress() {
                return local;
            }

            @Override
            public void close() {
                bound.forEach(FfmUdpSocket::stop);
                bound.forEach(FfmUdpSocket::close);
            }
        };
    }
}
