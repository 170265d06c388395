package io.wayfinder.profile;

import java.time.Duration;

/**
 * {@code dns.tcp}: how much of the server one TCP client may hold, and for how long.
 *
 * @param idleTimeout              a connection with no query under way is closed after this long
 * @param messageTimeout           once a message has begun, all of it must arrive within this (Knot's 500 ms)
 * @param writeTimeout             an answer not taken by the client within this closes the connection
 * @param maxConnections           connections at once, all clients together; 0: derived from the file-descriptor limit
 * @param maxConnectionsPerAddress connections at once from one source address
 * @param maxPendingAnswers        answers queued for one connection before it is no longer read
 */
public record TcpSettings(Duration idleTimeout, Duration messageTimeout, Duration writeTimeout, int maxConnections,
                          int maxConnectionsPerAddress, int maxPendingAnswers) {

    public static final TcpSettings DEFAULTS = new TcpSettings(Duration.ofSeconds(10), Duration.ofMillis(500),
            Duration.ofSeconds(5), 0, 16, 32);
}
