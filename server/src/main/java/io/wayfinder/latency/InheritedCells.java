package io.wayfinder.latency;

import io.wayfinder.net.Parts;
import io.wayfinder.net.PrefixMap;
import io.wayfinder.time.CpuYield;

/**
 * Fills the cells of a table's rows that have no figure from the nearest covering row's, and
 * records the prefix length each figure came from ({@link LatencyTable}'s {@code sourceLength}).
 * A row is final once its parent's is, so parents go before their children.
 *
 * <h2>Why two orders</h2>
 * Rows added in map order (a learner's) have every parent before its children, so one pass in row
 * order does it: it reads the cells front to back, and a parent's row, a block's written just
 * before its networks', from cache. The pass also splits: from a row without a parent that no
 * later row has a parent before, the rest of the table inherits nothing from the rows before it,
 * so ranges cut there run at once on {@link Parts}. Rows in any other order go by prefix length,
 * shorter first, on one thread: a pass over the whole table per length.
 */
final class InheritedCells {
    private InheritedCells() {
    }

    /**
     * Fills {@code cells} (row-major, {@code columns} a row, {@code rows} rows of {@code map}'s
     * entries) in place and returns each cell's source length (0 where none has a figure).
     */
    static byte[] fill(PrefixMap map, char[] cells, int rows, int columns, Parts parts) {
        byte[] sourceLength = new byte[rows * columns];
        if (parentsFirst(map, rows)) {
            int[] bounds = cuts(map, rows);
            parts.run(Parts.SPLIT, p -> fill(map, cells, sourceLength, columns, bounds[p], bounds[p + 1]));
        } else {
            int[] order = byLength(map, rows);
            for (int k = 0; k < rows; k++) {
                CpuYield.every(k);
                fillRow(map, cells, sourceLength, columns, order[k]);
            }
        }
        return sourceLength;
    }

    private static boolean parentsFirst(PrefixMap map, int rows) {
        for (int e = 0; e < rows; e++) {
            CpuYield.every(e);
            if (map.parent(e) >= e) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link Parts#SPLIT} + 1 bounds of ranges of about equal rows, each cut (but the first) at a row
     * such that no row from it on has a parent before it: one pass from the last row back, keeping
     * the lowest parent seen. Where no such row lies at or below a target, the ranges before it are
     * empty. Needs every parent before its children.
     */
    static int[] cuts(PrefixMap map, int rows) {
        int[] bounds = new int[Parts.SPLIT + 1];
        bounds[Parts.SPLIT] = rows;
        int part = Parts.SPLIT - 1;
        int lowestParent = Integer.MAX_VALUE;
        for (int e = rows - 1; e > 0 && part > 0; e--) {
            CpuYield.every(e);
            int parent = map.parent(e);
            if (parent != PrefixMap.NO_ENTRY) {
                lowestParent = Math.min(lowestParent, parent);
            }
            if (e <= (int) ((long) rows * part / Parts.SPLIT) && lowestParent >= e) {
                bounds[part--] = e;
            }
        }
        return bounds;
    }

    private static void fill(PrefixMap map, char[] cells, byte[] sourceLength, int columns, int from, int to) {
        for (int entry = from; entry < to; entry++) {
            CpuYield.every(entry);
            fillRow(map, cells, sourceLength, columns, entry);
        }
    }

    /** The entries, shorter prefixes first (a counting sort by length). */
    private static int[] byLength(PrefixMap map, int rows) {
        int[] byLength = new int[130];
        for (int e = 0; e < rows; e++) {
            byLength[map.length(e) + 1]++;
        }
        for (int l = 1; l < byLength.length; l++) {
            byLength[l] += byLength[l - 1];
        }
        int[] order = new int[rows];
        for (int e = 0; e < rows; e++) {
            order[byLength[map.length(e)]++] = e;
        }
        return order;
    }

    /** An entry's own figures stay, with its length; its gaps take its parent's (final) figures. */
    private static void fillRow(PrefixMap map, char[] cells, byte[] sourceLength, int columns, int entry) {
        int parent = map.parent(entry);
        int length = map.length(entry);
        for (int c = 0; c < columns; c++) {
            int cell = entry * columns + c;
            if (cells[cell] != LatencyTable.NONE) {
                sourceLength[cell] = (byte) length;
            } else if (parent != PrefixMap.NO_ENTRY) {
                cells[cell] = cells[parent * columns + c];
                sourceLength[cell] = sourceLength[parent * columns + c];
            }
        }
    }
}
