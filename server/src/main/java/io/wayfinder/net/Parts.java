package io.wayfinder.net;

import java.util.function.IntConsumer;

/**
 * Runs the independent parts of one piece of work, perhaps on several threads, and returns when
 * every part has run: how a large build (a {@link PrefixMap}'s direct index, a latency table's
 * settled rows) borrows a caller's threads without knowing them. Each part writes only its own
 * range, so the result never depends on how the parts were run.
 */
@FunctionalInterface
public interface Parts {
    /** Every part on the calling thread, in order. */
    Parts SEQUENTIAL = (parts, part) -> {
        for (int i = 0; i < parts; i++) {
            part.accept(i);
        }
    };

    /**
     * How many parts a build cuts its work into: the two cores of the reference machine. A runner
     * with fewer threads runs them one after the other, at the cost of a few extra bounds only.
     */
    int SPLIT = 2;

    /** Runs {@code part.accept(i)} for every i in [0, parts) and returns when all have returned. */
    void run(int parts, IntConsumer part);
}
