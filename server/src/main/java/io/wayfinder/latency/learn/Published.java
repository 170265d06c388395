package io.wayfinder.latency.learn;

import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.learn.LatencyLearning.Coverage;
import io.wayfinder.latency.learn.LatencyLearning.Evidence;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.PrefixMap;
import java.time.Instant;
import java.util.List;

/**
 * What one rebuild published: the table routing reads, and beside it (off the query path) what
 * explains it: the networks and blocks of its observations, the fitted effects and the learned
 * trust. Immutable once published; the views read it without a lock.
 *
 * <p>It keeps no copy of the cells: explain reads a network's cells back from the learner's
 * store as of the rebuild's instant ({@link CellEvidence}, through {@link OwnCells}). The cells
 * are nine tenths of the observations (17 bytes a cell, 1.6 GB at ten million networks), and the
 * next rebuild builds its own observations while this state is still published.
 */
final class Published {
    /** What the rebuild read its cells with, besides the store: the static table's cells and the prior of the cells' variances. */
    record CellSource(StaticCells statics, double priorVariance, FloorExcess floorExcess) {
    }

    /** One own cell as the rebuild saw it: as {@link Observations} holds it. */
    record OwnCell(float y, float v, float weight, int ageMinutes) {
    }

    /** Reads a network's own cell of a region back (the learner's store, under its lock). */
    @FunctionalInterface
    interface OwnCells {
        /** Network {@code key}'s cell of region r, or null without one that counts. */
        OwnCell find(long key, int r);
    }

    final LatencyTable table;
    /** Row r's network or block key (rows are in table order). */
    final long[] rowKeys;
    final List<String> regions;
    final Observations obs;
    final BorrowingModel model;
    final Anchors anchors;
    final TrustSearch.Result learned;
    final int[][] counts;
    final int[] netRow;
    final int[][] blockRow;
    final int[][] blockFirst;
    final Coverage coverage;
    final Instant builtAt;
    final int changeMinSamples;
    final CellSource cellSource;

    /** {@code obs} and {@code model} are kept without the cells ({@link Observations#layout}). */
    Published(LatencyTable table, long[] rowKeys, List<String> regions, Observations obs, BorrowingModel model,
              Anchors anchors, TrustSearch.Result learned, int[][] counts, int[] netRow, int[][] blockRow,
              int[][] blockFirst, Coverage coverage, Instant builtAt, int changeMinSamples, CellSource cellSource) {
        this.table = table;
        this.rowKeys = rowKeys;
        this.regions = List.copyOf(regions);
        this.obs = obs.layout();
        this.model = model.over(this.obs);
        this.anchors = anchors;
        this.learned = learned;
        this.counts = counts;
        this.netRow = netRow;
        this.blockRow = blockRow;
        this.blockFirst = blockFirst;
        this.coverage = coverage;
        this.builtAt = builtAt;
        this.changeMinSamples = changeMinSamples;
        this.cellSource = cellSource;
    }

    /** The network's index in the observations, or -1. */
    int network(long key) {
        return Observations.indexOf(obs.netKey, obs.networks, key);
    }

    private int block(int level, long key) {
        return Observations.indexOf(obs.blockKey[level], obs.blockCount[level], key);
    }

    Evidence explain(IpPrefix client, String region, OwnCells cells) {
        IpPrefix network = client.truncate(client.ipv6() ? NetworkKeys.IPV6_NETWORK : NetworkKeys.IPV4_NETWORK);
        int r = regions.indexOf(region);
        double tableMs = tableFigure(client, region);
        if (r < 0) {
            return new Evidence(region, network, Double.NaN, Double.NaN, "none", 0, -1, "no samples for this region", tableMs);
        }
        double[] classVariance = learned.classVariance();
        long key = NetworkKeys.of(client);
        int n = network(key);
        if (n >= 0) {
            OwnCell own = cells.find(obs.netKey[n], r);
            int level = model.borrowLevel(n, r, own == null ? 0 : 1, counts);
            String from = level < obs.levels ? NetworkKeys.prefix(obs.blockKey[level][obs.netBlock[level][n]]).toString()
                    : "distance model";
            if (own != null) {
                double v = own.v();
                double p = classVariance[level];
                double estimate = learned.spikes().figure(own.y(), v, p, model.predict(n, r), own.weight(), changeMinSamples);
                long age = own.ageMinutes() < 0 ? -1 : Decay.millis(own.ageMinutes());
                return new Evidence(region, network, estimate, Math.sqrt(1 / (1 / v + 1 / p)), "own", own.weight(), age,
                        String.format(java.util.Locale.ROOT, "own mean %.1f ms, shrunk towards %.1f ms (from %s)",
                                own.y(), model.predict(n, r), from) + anchors.ownPlace(n), tableMs);
            }
            return new Evidence(region, network, model.predict(n, r), Math.sqrt(classVariance[level]), "borrowed", 0, -1,
                    "own offset " + String.format(java.util.Locale.ROOT, "%+.1f ms", model.a[n]) + ", region differences from "
                            + from + anchors.ownPlace(n), tableMs);
        }
        for (int l = 0; l < obs.levels; l++) {
            int[] lengths = obs.levelLength[client.ipv6() ? 1 : 0];
            if (l >= lengths.length || !NetworkKeys.hasBlock(key, lengths[l])) {
                continue;
            }
            long blockKey = NetworkKeys.block(key, lengths[l]);
            int b = block(l, blockKey);
            if (b < 0) {
                continue;
            }
            int first = blockFirst[l][b];
            int k = TableWriter.blockClass(obs, counts, first, r, l);
            String from = k < obs.levels ? NetworkKeys.prefix(obs.blockKey[k][obs.netBlock[k][first]]).toString()
                    : "distance model";
            return new Evidence(region, NetworkKeys.prefix(blockKey), model.blockPrediction(first, r, l),
                    Math.sqrt(classVariance[k] + learned.trust().networkVariance()), "block", 0, -1,
                    "the average network of " + NetworkKeys.prefix(blockKey) + ", region differences from " + from, tableMs);
        }
        return new Evidence(region, network, Double.NaN, Math.sqrt(classVariance[obs.levels] + learned.trust().networkVariance()),
                "model", 0, -1, "distance model: " + anchors.global.describe(), tableMs);
    }

    private double tableFigure(IpPrefix client, String region) {
        int column = table.column(region);
        int entry = table.lookup(client);
        if (column < 0 || entry == PrefixMap.NO_ENTRY) {
            return Double.NaN;
        }
        int tenths = table.tenths(entry, column);
        return tenths == LatencyTable.MISSING ? Double.NaN : tenths / 10.0;
    }

}
