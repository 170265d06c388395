package io.wayfinder.latency.learn;

import io.wayfinder.latency.LatencyTable;
import io.wayfinder.time.CpuYield;
import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * The configured CSV sources' figures as cells, so that a rebuild can fold them in as
 * observations: each prefix cut to the learner's network length (a /24 or /48; a /32 figure
 * speaks for its /24), several figures of one network and region averaged. Shorter prefixes stay
 * networks of their own length (a /16 figure is a network that covers the /16), whose block and
 * offset the model fits like any other. Kept between rebuilds while the table is the same object.
 */
final class StaticCells {
    final LatencyTable table;
    final CellStore store;
    /** The networks' keys in table order ({@link Observations#sortKey}). */
    final long[] sortedKeys;

    private StaticCells(LatencyTable table, CellStore store, long[] sortedKeys) {
        this.table = table;
        this.store = store;
        this.sortedKeys = sortedKeys;
    }

    static StaticCells of(LatencyTable table, ToIntFunction<String> region) {
        CellStore store = new CellStore();
        int[] columnRegion = new int[table.columnCount()];
        for (int c = 0; c < columnRegion.length; c++) {
            columnRegion[c] = region.applyAsInt(table.regions().get(c));
        }
        table.forEachOwnFigure((ipv6, hi, lo, length, column, ms) -> {
            int r = columnRegion[column];
            if (r < 0) {
                return;
            }
            long key = NetworkKeys.of(ipv6, hi, lo, length);
            int cell = store.cell(store.network(key), r);
            double w = store.weight(cell) + 1;
            double mean = store.mean(cell) + (ms - store.mean(cell)) / w;
            store.set(cell, w, mean, 0, 0);
        });
        long[] keys = new long[store.networkCount()];
        for (int n = 0; n < keys.length; n++) {
            CpuYield.every(n);
            keys[n] = Observations.sortKey(store.networkKey(n));
        }
        Arrays.sort(keys);
        return new StaticCells(table, store, keys);
    }
}
