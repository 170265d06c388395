package io.wayfinder.dns.server;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which code serves the UDP sockets ({@code dns.udpTransport}).
 *
 * <ul>
 *   <li>{@link #NETTY}: Netty's epoll datagram channels (NIO off Linux), on the event loops that also
 *       serve TCP; every Java version.
 *   <li>{@link #FFM}: {@link NativeUdpListeners}, a thread per SO_REUSEPORT socket calling
 *       {@code recvmmsg}/{@code sendmmsg} through the Foreign Function &amp; Memory API, with no
 *       object per datagram. Java 22+ on Linux x86_64/aarch64 only (its classes are in the jar's
 *       {@code META-INF/versions/22}).
 *   <li>{@link #AUTO}: FFM where it can run (Java 22+, Linux x86_64/aarch64, native access not
 *       denied: the launchers pass {@code --enable-native-access=ALL-UNNAMED}; without it Java 24+
 *       warns, as it does for Netty's epoll library), else Netty. FFM is the default where it runs
 *       because it took less CPU per answer: bench/README.md.
 * </ul>
 *
 * TCP is always Netty's.
 */
public enum UdpTransport {
    AUTO, NETTY, FFM;

    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);
    /** The class that exists only in META-INF/versions/22 (and, in tests on Java 22+, on the class path). */
    private static final String FFM_CLASS = "io.wayfinder.dns.server.FfmUdpListeners";

    /** {@code auto}, {@code netty} or {@code ffm}, any case. */
    public static UdpTransport parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a UDP transport: auto, netty or ffm", e);
        }
    }

    /** The configuration's spelling. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The FFM listeners this choice asks for, or null for Netty's.
     *
     * @throws IllegalStateException when {@link #FFM} is asked for where it cannot run (why, in the message)
     */
    NativeUdpListeners select() {
        if (this == NETTY) {
            LOG.info("UDP transport: netty (netty)");
            return null;
        }
        NativeUdpListeners ffm;
        try {
            ffm = (NativeUdpListeners) Class.forName(FFM_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            String why = Runtime.version().feature() < 22 ? "needs Java 22 or later (running " + Runtime.version() + ")"
                    : "is not in this jar (built without a JDK 22+; see server/pom.xml, profile java25)";
            if (this == FFM) {
                throw new IllegalStateException("dns.udpTransport ffm " + why, e);
            }
            LOG.info("UDP transport: netty (auto; ffm {})", why);
            return null;
        }
        String unavailable = ffm.unavailable();
        if (unavailable != null) {
            if (this == FFM) {
                throw new IllegalStateException("dns.udpTransport ffm cannot run here: " + unavailable);
            }
            LOG.info("UDP transport: netty (auto; ffm {})", unavailable);
            return null;
        }
        LOG.info("UDP transport: ffm ({}; recvmmsg/sendmmsg, a thread per socket)", this.text());
        return ffm;
    }
}
