package io.wayfinder.agent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Samples on their way to {@code POST /api/v1/measurements?source=agent:REGION}: a bounded buffer,
 * emptied in batches of JSON lines. A batch the server did not take (unreachable, 5xx) stays at the
 * front and is sent again at the next flush; when the buffer is full, the oldest samples are dropped
 * and counted, since a fresh round trip says more than an old one.
 *
 * <p>Invariant: {@code waiting.size() <= capacity}. Used by the agent's loop thread only, but guarded
 * by {@code this} so that the stopping thread may flush once more.
 */
public final class SamplePoster {
    /** Samples one request may carry: the API's limit. */
    public static final int MAX_BATCH = 100_000;

    private final AgentHttp http;
    private final int batch;
    private final int capacity;
    private final Deque<Sample> waiting = new ArrayDeque<>();
    private long dropped;
    private long failedPosts;

    SamplePoster(AgentHttp http, int batch, int capacity) {
        if (batch < 1 || batch > MAX_BATCH || capacity < batch) {
            throw new IllegalArgumentException("batch must be 1-" + MAX_BATCH + " and the buffer at least a batch");
        }
        this.http = http;
        this.batch = batch;
        this.capacity = capacity;
    }

    /**
     * What a flush did.
     *
     * @param posted   samples the server took a request for
     * @param accepted of those, the samples it accepted (the rest it rejected, or its learner dropped)
     * @param error    why the last post failed, or null when every batch went
     */
    public record Flush(long posted, long accepted, long rejected, String error, boolean refused) {

        public boolean failed() {
            return error != null;
        }
    }

    /** Adds samples, dropping the oldest beyond the buffer. */
    public synchronized void add(Collection<Sample> samples) {
        for (Sample s : samples) {
            if (waiting.size() == capacity) {
                waiting.removeFirst();
                dropped++;
            }
            waiting.addLast(s);
        }
    }

    /** Posts what waits, a batch at a time, until it is empty or a post fails (the rest waits). */
    public synchronized Flush flush(String region) throws InterruptedException {
        String path = "/api/v1/measurements?source=" + URLEncoder.encode("agent:" + region, StandardCharsets.UTF_8);
        long posted = 0;
        long accepted = 0;
        long rejected = 0;
        while (!waiting.isEmpty()) {
            List<Sample> next = next();
            StringBuilder body = new StringBuilder(next.size() * 96);
            for (Sample s : next) {
                body.append(s.jsonLine(region)).append('\n');
            }
            JsonNode answer;
            try {
                answer = http.post(path, body.toString(), "application/x-ndjson");
            } catch (AgentHttp.Failure f) {
                failedPosts++;
                return new Flush(posted, accepted, rejected, f.getMessage(), f.refused);
            }
            for (int i = 0; i < next.size(); i++) {
                waiting.removeFirst();
            }
            posted += next.size();
            accepted += answer.path("accepted").asLong();
            rejected += answer.path("rejected").asLong();
        }
        return new Flush(posted, accepted, rejected, null, false);
    }

    /** The first batch of what waits, left in place. */
    List<Sample> next() {
        List<Sample> out = new ArrayList<>(Math.min(batch, waiting.size()));
        for (Sample s : waiting) {
            if (out.size() == batch) {
                break;
            }
            out.add(s);
        }
        return out;
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    /** Samples dropped because the buffer was full, since the start. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Posts that failed, since the start. */
    public synchronized long failedPosts() {
        return failedPosts;
    }
}
