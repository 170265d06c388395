package io.wayfinder.agent;

import java.net.InetSocketAddress;

/**
 * One TCP connection set-up: SYN out, and what came back. The real one is {@link SocketConnector};
 * tests give fakes, which is how the timeout path is checked (nothing on loopback drops a SYN).
 */
@FunctionalInterface
public interface Connector {

    /**
     * Opens a connection to {@code address} and closes it at once.
     *
     * @param timeoutMillis how long to wait for the SYN-ACK or RST
     * @throws InterruptedException when the agent is stopping
     */
    Outcome connect(InetSocketAddress address, int timeoutMillis) throws InterruptedException;

    /** What a connection attempt gave. */
    enum Kind {
        /** SYN-ACK: the port answered; one round trip. */
        CONNECTED,
        /** RST: nothing listens, but the host answered after one round trip all the same. */
        REFUSED,
        /** Nothing within the timeout: no sample. */
        TIMEOUT,
        /** Anything else (no route, an ICMP unreachable, a local error): no sample. */
        ERROR
    }

    /**
     * @param kind     what came back
     * @param rttNanos the time from the SYN to the answer, for CONNECTED and REFUSED; else 0
     * @param error    for ERROR, what the system said; else null
     */
    record Outcome(Kind kind, long rttNanos, String error) {

        public static Outcome connected(long rttNanos) {
            return new Outcome(Kind.CONNECTED, rttNanos, null);
        }

        public static Outcome refused(long rttNanos) {
            return new Outcome(Kind.REFUSED, rttNanos, null);
        }

        public static Outcome timeout() {
            return new Outcome(Kind.TIMEOUT, 0, null);
        }

        public static Outcome error(String error) {
            return new Outcome(Kind.ERROR, 0, error);
        }

        /** Whether the host answered: a round trip was measured. */
        public boolean answered() {
            return kind == Kind.CONNECTED || kind == Kind.REFUSED;
        }
    }
}
