package io.wayfinder.agent;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One target's probe round: up to {@code attempts} TCP connection set-ups, each paced by the
 * global {@link TokenBucket}, and the best (smallest) round trip as the sample.
 *
 * <pre>
 *   port unknown:  try the ports in order, one attempt each, until one answers (SYN-ACK or RST);
 *                  each try counts as an attempt; the port that answered is remembered
 *   port known:    every attempt on it; a round where it never answers forgets it, so the
 *                  next round looks again
 *   sample:        the minimum of the answered attempts' round trips (queueing and scheduling
 *                  only ever add to a round trip, so the smallest is the closest to the path's)
 * </pre>
 *
 * Thread-safe: the workers of a round share one; the remembered ports are a concurrent map keyed by
 * the address's text, bounded by {@link #retain}.
 */
public final class TcpRttProbe {
    private final Connector connector;
    private final TokenBucket bucket;
    private final List<Integer> ports;
    private final int attempts;
    private final int timeoutMillis;
    /** The port that last answered, per address. */
    private final Map<String, Integer> answeringPort = new ConcurrentHashMap<>();

    public TcpRttProbe(Connector connector, TokenBucket bucket, List<Integer> ports, int attempts, int timeoutMillis) {
        if (ports.isEmpty() || attempts < 1) {
            throw new IllegalArgumentException("at least one port and one attempt");
        }
        this.connector = connector;
        this.bucket = bucket;
        this.ports = List.copyOf(ports);
        this.attempts = attempts;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * What one target's round gave.
     *
     * @param rttNanos the best round trip, or -1 when nothing answered
     * @param port     the port that answered, or 0
     * @param tries    connection attempts made
     * @param timeouts attempts that timed out
     * @param errors   attempts that failed otherwise (the last error in {@code error})
     */
    public record Result(long rttNanos, int port, int tries, int timeouts, int errors, String error) {

        public boolean answered() {
            return rttNanos >= 0;
        }
    }

    /** Probes {@code target}; interrupted when the agent stops. */
    public Result probe(Target target) throws InterruptedException {
        String key = target.addressText();
        Integer known = answeringPort.get(key);
        Best best = new Best();
        int tries = 0;
        int timeouts = 0;
        int errors = 0;
        String error = null;
        int port = known == null ? 0 : known;
        int nextPort = 0; // while port == 0: the index in ports of the next one to try
        while (tries < attempts && (port != 0 || nextPort < ports.size())) {
            int p = port != 0 ? port : ports.get(nextPort++);
            bucket.acquire();
            Connector.Outcome o = connector.connect(new InetSocketAddress(target.inetAddress(), p), timeoutMillis);
            tries++;
            switch (o.kind()) {
                case CONNECTED, REFUSED -> {
                    best.add(o.rttNanos());
                    port = p;
                }
                case TIMEOUT -> timeouts++;
                case ERROR -> {
                    errors++;
                    error = o.error();
                }
            }
        }
        if (best.answered()) {
            answeringPort.put(key, port);
        } else {
            answeringPort.remove(key);
        }
        return new Result(best.rttNanos(), best.answered() ? port : 0, tries, timeouts, errors, error);
    }

    /** The port remembered for an address, or null. */
    Integer answeringPort(String address) {
        return answeringPort.get(address);
    }

    /** Forgets the ports of addresses not in {@code addresses}. */
    public void retain(java.util.Set<String> addresses) {
        answeringPort.keySet().retainAll(addresses);
    }

    /** The best of N: the smallest round trip added, or -1 before any. */
    static final class Best {
        private long rttNanos = -1;

        void add(long rtt) {
            if (rtt >= 0 && (rttNanos < 0 || rtt < rttNanos)) {
                rttNanos = rtt;
            }
        }

        boolean answered() {
            return rttNanos >= 0;
        }

        long rttNanos() {
            return rttNanos;
        }
    }
}
