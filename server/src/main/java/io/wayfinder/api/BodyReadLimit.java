package io.wayfinder.api;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Bounds what reading request bodies can hold of the API's threads (a body is read blocking, on
 * the request's thread): each body must arrive at its {@link BodyPace}, and at most
 * {@code maxReads} bodies are read at once. A client sending a byte every few seconds is cut off
 * after the pace's grace, however long it would go on (Jetty's idle timeout only bounds silence),
 * and many of them, from however many addresses, hold at most {@code maxReads} threads meanwhile.
 *
 * <pre>
 *   a request that has a body (Content-Length or chunked); its first read:
 *     maxReads bodies are being read   every read fails with {@link Busy}: 503
 *     else                             the clock starts; a check is due at the pace's deadline
 *   check                              the body is whole: nothing to do
 *                                      more bytes came: the deadline moved on; check again then
 *                                      else: every read fails with {@link TooSlow}, a waiting reader is woken: 408
 * </pre>
 *
 * The resource reads an IOException and answers as {@link RequestBodies#unreadable} says, with
 * {@code Connection: close}, since the rest of the body may still be on its way.
 *
 * <p>Why not Jetty's {@code MinimumDataRateHandler}: it divides the bytes of every request it has
 * read since the server started by one request's time, and checks only when the reader asks for
 * more. On a fresh server it cut a client sending a byte a second after 1 s; after one earlier
 * 200 KB request, the same client was still connected after 60 s.
 */
final class BodyReadLimit extends Handler.Wrapper {
    private final BodyPace pace;
    private final int maxReads;
    private final LongSupplier nanos;
    /** Bodies whose first read has come and whose last has not, all requests together. */
    private final AtomicInteger reading = new AtomicInteger();

    /** @param nanos a monotonic clock (System::nanoTime); the checks are scheduled on Jetty's scheduler */
    BodyReadLimit(BodyPace pace, int maxReads, LongSupplier nanos) {
        this.pace = pace;
        this.maxReads = maxReads;
        this.nanos = nanos;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) <= 0
                && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            return super.handle(request, response, callback); // no body
        }
        PacedRequest paced = new PacedRequest(request);
        Request.addCompletionListener(request, failure -> paced.finish());
        return super.handle(paced, response, callback);
    }

    /** Why a body's reads fail: it came slower than its pace. A TimeoutException, as Jetty's idle timeout is. */
    static final class TooSlow extends TimeoutException {
        TooSlow(String message) {
            super(message);
        }
    }

    /** Why a body's reads fail: {@code maxReads} others were being read when it began. */
    static final class Busy extends IOException {
        Busy(String message) {
            super(message, null);
        }
    }

    /** One request with a body: counts what it brought, and fails its reads once it is refused or too slow. */
    private final class PacedRequest extends Request.Wrapper {
        private final AtomicLong received = new AtomicLong();
        /** The reader's callback while it waits for content; taken by whoever runs it. */
        private final AtomicReference<Runnable> waiting = new AtomicReference<>();
        /** When the first read came, on {@link #nanos}; 0 until then. */
        private final AtomicLong started = new AtomicLong();
        /** Whether this body counts in {@link #reading}: from its first read to {@link #finish}. */
        private final AtomicBoolean counted = new AtomicBoolean();
        /** The failure every read returns once refused or cut off; null until then. */
        private volatile Content.Chunk cutOff;
        /** The body was read whole, refused, cut off, or the exchange is over: no more checks. */
        private volatile boolean finished;
        private volatile Scheduler.Task check;

        PacedRequest(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            start();
            Content.Chunk failure = cutOff;
            if (failure != null) {
                return failure;
            }
            Content.Chunk chunk = super.read();
            if (chunk != null) {
                received.addAndGet(chunk.remaining());
                if (chunk.isLast()) {
                    finish();
                }
            }
            return chunk;
        }

        @Override
        public void demand(Runnable onContent) {
            start();
            waiting.set(onContent);
            if (cutOff != null) { // cut off, maybe by a check that found no reader waiting: read the failure now
                wake();
                return;
            }
            // The reader's own invocation type, so that Jetty wakes a blocked reader from its
            // selector rather than waiting for a free thread of the pool to do it.
            super.demand(Invocable.from(Invocable.getInvocationType(onContent), this::wake));
        }

        /** Runs the waiting reader's callback, if it has not run yet (whoever takes it runs it). */
        private void wake() {
            Runnable reader = waiting.getAndSet(null);
            if (reader != null) {
                reader.run();
            }
        }

        private void start() {
            if (started.get() != 0 || !started.compareAndSet(0, Math.max(1, nanos.getAsLong()))) {
                return;
            }
            if (reading.incrementAndGet() > maxReads) {
                reading.decrementAndGet();
                cut(new Busy(maxReads + " request bodies are being read at once, the most the API reads; try again shortly"));
                return;
            }
            counted.set(true);
            checkIn(pace.grace().toNanos());
        }

        private void checkIn(long delayNanos) {
            if (!finished) {
                check = getComponents().getScheduler().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
            }
        }

        /** On Jetty's scheduler thread. */
        private void check() {
            if (finished) {
                return;
            }
            long bytes = received.get();
            long now = nanos.getAsLong();
            long deadline = pace.deadlineNanos(started.get(), bytes);
            if (now - deadline < 0) {
                checkIn(deadline - now);
                return;
            }
            cut(new TooSlow(bytes + " bytes in " + TimeUnit.NANOSECONDS.toSeconds(now - started.get())
                    + " s; a body must come at " + pace.minBytesPerSecond() + " bytes/s on average after its first "
                    + pace.grace().toSeconds() + " s"));
            Runnable reader = waiting.get();
            if (reader != null && Invocable.getInvocationType(reader) != Invocable.InvocationType.NON_BLOCKING) {
                getContext().execute(this::wake); // not on the scheduler's one thread
            } else {
                wake();
            }
        }

        private void cut(Throwable why) {
            cutOff = Content.Chunk.from(why, true);
            finish();
        }

        void finish() {
            finished = true;
            if (counted.compareAndSet(true, false)) {
                reading.decrementAndGet();
            }
            Scheduler.Task t = check;
            if (t != null) {
                t.cancel();
            }
        }
    }
}
