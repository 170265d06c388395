package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.control.ControlEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the event stream holds for its watchers, and what happens to one that falls behind. */
class EventStreamTest {
    private final Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final EventStream stream = new EventStream(clock);

    private static ControlEvent event(int n) {
        return new ControlEvent(Instant.parse("2030-01-01T00:00:00Z"), ControlEvent.Type.ENDPOINT_STATUS, "web", "e" + n,
                "Online", "Degraded", "HTTP 503", List.of(), "endpoint web/e" + n + ": Online -> Degraded (HTTP 503)");
    }

    private static List<String> drain(EventStream.Subscription s) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (String next = s.next(0, TimeUnit.MILLISECONDS); next != null && !next.isEmpty(); next = s.next(0, TimeUnit.MILLISECONDS)) {
            out.add(next);
        }
        return out;
    }

    @Test
    void aWatcherGetsEachEventWithAnIdANameAndItsJson() throws Exception {
        EventStream.Subscription s = stream.subscribe(null);
        stream.publish(event(1));
        List<String> got = drain(s);
        assertThat(got).singleElement().satisfies(text -> assertThat(text)
                .startsWith("id: " + Long.toString(clock.millis(), 36) + "-1\nevent: endpoint-status\ndata: {")
                .contains("\"reason\":\"HTTP 503\"").contains("\"time\":\"2030-01-01T00:00:00Z\"").endsWith("}\n\n"));
    }

    @Test
    void aWatcherThatFallsBehindIsDroppedAndItsQueueFreed() throws Exception {
        EventStream.Subscription slow = stream.subscribe(null);
        EventStream.Subscription fast = stream.subscribe(null);
        for (int i = 1; i <= EventStream.CLIENT_QUEUE; i++) {
            stream.publish(event(i));
        }
        assertThat(drain(fast)).hasSize(EventStream.CLIENT_QUEUE);
        assertThat(slow.overflowed()).isFalse();
        stream.publish(event(EventStream.CLIENT_QUEUE + 1)); // one more than the slow one's queue holds
        assertThat(slow.overflowed()).isTrue();
        assertThat(slow.next(0, TimeUnit.MILLISECONDS)).as("its queue emptied: the stream ends").isNull();
        assertThat(drain(fast)).hasSize(1);
        for (int i = 0; i < 10 * EventStream.CLIENT_QUEUE; i++) {
            stream.publish(event(i)); // never blocks, whatever the dropped watcher does
        }
        assertThat(slow.next(0, TimeUnit.MILLISECONDS)).as("nothing more is queued for a dropped watcher").isEmpty();
    }

    @Test
    void aWatcherThatReconnectsCatchesUpFromItsLastEventId() throws Exception {
        EventStream.Subscription first = stream.subscribe(null);
        stream.publish(event(1));
        stream.publish(event(2));
        String lastSeen = drain(first).get(0).lines().findFirst().orElseThrow().substring("id: ".length());
        stream.unsubscribe(first);
        stream.publish(event(3));
        EventStream.Subscription again = stream.subscribe(lastSeen);
        stream.publish(event(4));
        assertThat(drain(again)).as("4 only: 2 and 3 were missed, and are sent first by serve()").hasSize(1);
    }

    @Test
    void atMostSoManyWatchers() {
        for (int i = 0; i < EventStream.MAX_CLIENTS; i++) {
            stream.subscribe(null);
        }
        assertThatThrownBy(() -> stream.subscribe(null)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(503));
    }

    @Test
    void closingEndsEveryStream() throws Exception {
        EventStream.Subscription s = stream.subscribe(null);
        stream.close();
        assertThat(s.next(1, TimeUnit.SECONDS)).isNull();
    }
}
