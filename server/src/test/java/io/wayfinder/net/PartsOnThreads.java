package io.wayfinder.net;

/**
 * For tests of work split into {@link Parts}: each part on a thread of its own, started last part
 * first, so that parts run at once and out of order; counts the parts it was given.
 */
public final class PartsOnThreads implements Parts {
    private int partsRun;

    @Override
    public void run(int parts, java.util.function.IntConsumer part) {
        partsRun += parts;
        Thread[] threads = new Thread[parts];
        for (int p = parts - 1; p >= 0; p--) {
            int index = p;
            threads[p] = new Thread(() -> part.accept(index), "part-" + p);
            threads[p].start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** How many parts all calls so far ran. */
    public int partsRun() {
        return partsRun;
    }
}
