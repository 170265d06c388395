package io.wayfinder.dns.server;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;

/**
 * How much of the server one TCP client may hold, and for how long: the listeners' own copy of the
 * {@code dns.tcp} settings (this package knows nothing of configuration), with the global limit
 * already resolved.
 *
 * @param idleTimeout              a connection with no query under way (nothing half-read, no answer
 *                                 waiting) is closed after this long; one accepted while more than half
 *                                 of {@code maxConnections} were open, after {@link #crowdedIdleTimeout}
 * @param messageTimeout           once the first byte of a message has been read, the whole message
 *                                 must arrive within this, however the bytes trickle in
 * @param writeTimeout             an answer the client has not taken within this closes the connection
 * @param maxConnections           connections open at once, all clients together
 * @param maxConnectionsPerAddress connections open at once from one IPv4 address or one IPv6 /64
 * @param maxPendingAnswers        answers waiting for the client to read them before the server stops
 *                                 reading that connection
 * @param fileDescriptorLimit      the limit {@code maxConnections} was derived from; 0 when it was set
 */
public record TcpLimits(Duration idleTimeout, Duration messageTimeout, Duration writeTimeout, int maxConnections,
                        int maxConnectionsPerAddress, int maxPendingAnswers, long fileDescriptorLimit) {
    /**
     * Where the file-descriptor limit cannot be read (not a Unix JVM): the fixed limit the server had
     * before the limits were configurable.
     */
    static final int UNKNOWN_LIMIT_CONNECTIONS = 1024;

    /**
     * How long a connection accepted while more than half of {@code maxConnections} were open may
     * sit idle: no longer than a message may take ({@code messageTimeout}). NSD's rule (200 ms once
     * half its TCP slots are taken): a resolver sends its query as soon as it has connected, so a
     * crowded server loses nothing by closing what then waits, and clients that hold connections
     * idle (to fill the slots, or by habit) free them for the rest in a fraction of a second. The
     * connections opened before the crowd keep their own timeout.
     */
    public Duration crowdedIdleTimeout() {
        return messageTimeout.compareTo(idleTimeout) < 0 ? messageTimeout : idleTimeout;
    }

    public TcpLimits {
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(messageTimeout, "messageTimeout");
        requirePositive(writeTimeout, "writeTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1: " + maxConnectionsPerAddress);
        }
        if (maxPendingAnswers < 1) {
            throw new IllegalArgumentException("maxPendingAnswers must be at least 1: " + maxPendingAnswers);
        }
    }

    /**
     * The limits with {@code maxConnections} as given, or, when it is 0, derived from this process's
     * file-descriptor limit ({@link #derivedMaxConnections(long)}).
     */
    public static TcpLimits of(Duration idleTimeout, Duration messageTimeout, Duration writeTimeout, int maxConnections,
                               int maxConnectionsPerAddress, int maxPendingAnswers) {
        long fdLimit = maxConnections > 0 ? 0 : processFileDescriptorLimit();
        int max = maxConnections > 0 ? maxConnections : derivedMaxConnections(fdLimit);
        return new TcpLimits(idleTimeout, messageTimeout, writeTimeout, max, maxConnectionsPerAddress,
                maxPendingAnswers, Math.max(0, fdLimit));
    }

    /**
     * Half the file-descriptor limit, as Knot DNS does ({@code tcp-max-clients}): each connection
     * takes one descriptor, and the other half stays for what else the process opens (the JVM's
     * jars, the configuration and data files, UDP sockets, epoll descriptors, health probes, metrics
     * connections), so a flood of connections meets this limit long before {@code accept} starts
     * failing with EMFILE for everyone. A negative limit (unknown) gives {@value #UNKNOWN_LIMIT_CONNECTIONS}.
     */
    static int derivedMaxConnections(long fileDescriptorLimit) {
        if (fileDescriptorLimit < 0) {
            return UNKNOWN_LIMIT_CONNECTIONS;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, fileDescriptorLimit / 2));
    }

    /**
     * The soft RLIMIT_NOFILE this process runs with (HotSpot on Linux raises it to the hard limit at
     * start), or -1 where the JVM cannot say.
     */
    static long processFileDescriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** One line for the start-up log. */
    String describe() {
        String max = fileDescriptorLimit > 0
                ? maxConnections + " connections (half the file-descriptor limit of " + fileDescriptorLimit + ")"
                : maxConnections + " connections";
        return max + ", " + maxConnectionsPerAddress + " per address (IPv6: per /64), idle timeout "
                + millis(idleTimeout) + ", message timeout " + millis(messageTimeout) + ", write timeout "
                + millis(writeTimeout) + ", " + maxPendingAnswers + " pending answers per connection";
    }

    /** As the configuration file writes it: 10s, 500ms. */
    private static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
