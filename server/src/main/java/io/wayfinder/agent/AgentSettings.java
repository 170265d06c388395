package io.wayfinder.agent;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What an agent is told on its command line, checked: each rule names the option it is about.
 *
 * @param server      the API's base URL
 * @param token       a measurer's or writer's token, or null
 * @param region      the region the agent measures from, as the catalogue names it
 * @param ports       the ports tried, in order, until one answers
 * @param concurrency connection attempts in flight at most
 * @param timeout     how long an attempt waits for the SYN-ACK or RST
 * @param attempts    attempts per target per round; the best is the sample
 * @param interval    a target is probed at most once per interval
 * @param refresh     how often the targets are asked for again
 * @param rate        connection attempts per second, over every target
 * @param limit       targets asked for (the API allows 1-10,000)
 * @param buffer      samples kept while the server cannot be reached
 * @param deny        addresses never probed
 */
public record AgentSettings(URI server, String token, String region, List<Integer> ports, int concurrency, Duration timeout,
                            int attempts, Duration interval, Duration refresh, double rate, int limit, int buffer,
                            DenyList deny) {
    public static final List<Integer> PORTS = List.of(53, 443, 80);
    public static final int CONCURRENCY = 64;
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    public static final int ATTEMPTS = 3;
    public static final Duration INTERVAL = Duration.ofMinutes(5);
    public static final Duration REFRESH = Duration.ofMinutes(10);
    public static final double RATE = 50;
    /** The API's default: the thousand busiest networks. */
    public static final int LIMIT = 1000;
    public static final int MAX_LIMIT = 10_000;
    /** A million samples: about a day of rounds of the default thousand targets while the server is away. */
    public static final int BUFFER = 1_000_000;

    public AgentSettings {
        if (server == null) {
            throw new IllegalArgumentException("--server is required");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("--region is required: the region this agent measures from");
        }
        region = region.strip();
        if (ports == null || ports.isEmpty() || ports.stream().anyMatch(p -> p == null || p < 1 || p > 65535)) {
            throw new IllegalArgumentException("--ports must be one or more ports from 1 to 65535, not " + ports);
        }
        ports = List.copyOf(ports);
        if (concurrency < 1 || concurrency > 4096) {
            throw new IllegalArgumentException("--concurrency must be from 1 to 4096, not " + concurrency);
        }
        if (timeout == null || timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("--timeout must be from 1ms to 60s, not " + timeout);
        }
        if (attempts < 1 || attempts > 10) {
            throw new IllegalArgumentException("--attempts must be from 1 to 10, not " + attempts);
        }
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--interval must be at least 1s, not " + interval);
        }
        if (refresh == null || refresh.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--refresh must be at least 1s, not " + refresh);
        }
        if (!(rate > 0) || rate > 100_000) {
            throw new IllegalArgumentException("--rate must be more than 0 and at most 100000 a second, not " + rate);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("--limit must be from 1 to " + MAX_LIMIT + ", not " + limit);
        }
        if (buffer < SamplePoster.MAX_BATCH) {
            throw new IllegalArgumentException("--buffer must be at least " + SamplePoster.MAX_BATCH + ", not " + buffer);
        }
        if (deny == null) {
            deny = DenyList.builtIn();
        }
    }

    /** These settings with the defaults for everything but where to post and which region. */
    public static AgentSettings defaults(URI server, String token, String region) {
        return new AgentSettings(server, token, region, PORTS, CONCURRENCY, TIMEOUT, ATTEMPTS, INTERVAL, REFRESH, RATE,
                LIMIT, BUFFER, DenyList.builtIn());
    }

    public AgentSettings withPorts(List<Integer> p) {
        return new AgentSettings(server, token, region, p, concurrency, timeout, attempts, interval, refresh, rate, limit, buffer, deny);
    }

    public AgentSettings withRate(double r) {
        return new AgentSettings(server, token, region, ports, concurrency, timeout, attempts, interval, refresh, r, limit, buffer, deny);
    }

    public AgentSettings withDeny(DenyList d) {
        return new AgentSettings(server, token, region, ports, concurrency, timeout, attempts, interval, refresh, rate, limit, buffer, d);
    }
}
