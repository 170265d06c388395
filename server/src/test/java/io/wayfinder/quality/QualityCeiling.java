package io.wayfinder.quality;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * How well could any router do on a {@link GeneratedInternet}, given the same samples? An
 * oracle-informed ceiling for the routing-quality benchmark of issue 11: routers that know more
 * than any learner can (never the truth itself), run on the same world and the same round of samples,
 * scored exactly as {@link ApiRoutingQuality} scores the learned table.
 *
 * <ul>
 * <li><b>Structure only:</b> knows every network's structural RTT to every region (distance x its
 *     metro's inflation, last mile, its provider's peering and bad routes: everything but the
 *     per-network-region term, normal with sd 0.5 ms) and picks its minimum; no samples.</li>
 * <li><b>Own samples (MLE), structure where none:</b> for each measured network-region pair, the
 *     maximum-likelihood estimate of the true RTT from that pair's samples alone, under the true noise
 *     law (the network's jitter scale, log-normal(0, 0.8), the spike share and range, rounding to
 *     0.01 ms); the structural RTT for pairs without samples.</li>
 * <li><b>Own samples only (minimum):</b> no oracle at all for measured networks: the region whose
 *     lowest sample is lowest, among those the network has samples to (it misses whenever its
 *     fastest region has none). A statistic any learner can keep (one number per pair) and which
 *     needs no noise law. Never-measured networks get the structure, as above.</li>
 * <li><b>Bayes oracle:</b> the exact posterior of each pair's true RTT: the prior is the truth's own
 *     law given the structure (structural RTT + normal(0, 0.5), at least 1 ms), the likelihood that of
 *     the pair's samples under the true noise law. The pairs of a network are independent given the
 *     structure, so this is all there is to know. Two decisions: the lowest posterior mean (which
 *     minimises the expected extra RTT; "min E[extra]") and the region most likely to be the fastest
 *     (which maximises the expected share sent to the fastest; "max P(fastest)"). No router that sees
 *     the same samples can beat them in expectation on either score; whatever they miss is the
 *     noise's, not the learner's.</li>
 * <li><b>/20 row + own samples:</b> closer to what a learner that borrows per /20 can know: the
 *     /20's true row (the mean over its networks of the structural RTT less the last mile, per
 *     region), the network's last mile, and how far its networks stray from the row (the sd of that
 *     deviation over the /20's networks and regions); the prior of a pair is the row + the last mile
 *     with that sd (and the term's 0.5 ms), treated as independent per pair, combined with the
 *     pair's samples as above; the lowest posterior mean wins. Not a strict bound (the deviations of a
 *     network are correlated across regions and the oracle ignores it), a yardstick for /20 rows:
 *     what a perfect /20 row would give.</li>
 * </ul>
 *
 * <p>For never-measured networks, the oracle is the structure: a dark /20's figures are what
 * knowing its provider's peering, its metro's inflation and its networks' locations exactly would
 * give, a far looser ceiling than for measured networks (a real router must infer all of that).
 */
public final class QualityCeiling {

    /** The grid over the per-pair term, in sds: [-Z_MAX, Z_MAX] in steps of Z_STEP (0.02 ms at sd 0.5). */
    static final double Z_MAX = 5;
    static final double Z_STEP = 0.04;
    static final int GRID = (int) Math.round(2 * Z_MAX / Z_STEP) + 1;

    /** The names of the routers, as the report's columns. */
    static final String STRUCTURE = "oracle: structure only";
    static final String MLE = "oracle: own samples (MLE), structure where none";
    static final String MIN = "own samples only (minimum)";
    static final String BAYES_MEAN = "oracle: Bayes, min E[extra]";
    static final String BAYES_HIT = "oracle: Bayes, max P(fastest)";
    static final String ROW = "oracle: /20 row + own samples";

    /**
     * The noise law of a sample: true RTT + jitter x log-normal(0, sigma), plus with probability
     * {@code spikeShare} a uniform [{@code spikeMin}, {@code spikeMax}) spike, rounded to {@code roundingMs}.
     */
    record NoiseLaw(double sigma, double spikeShare, double spikeMin, double spikeMax, double roundingMs) {
        static NoiseLaw of(GeneratedInternet.Params p) {
            return new NoiseLaw(GeneratedInternet.NOISE_SIGMA, p.spikeShare(), GeneratedInternet.SPIKE_MIN_MS,
                    GeneratedInternet.SPIKE_MAX_MS, 0.01);
        }

        /** P(noise <= x) of the log-normal part at jitter scale {@code jitter}. */
        double lognormalCdf(double x, double jitter) {
            return x <= 0 ? 0 : normalCdf(Math.log(x / jitter) / sigma);
        }

        /**
         * The probability of reading {@code sample} (rounded) when the true RTT is {@code truth}: the
         * mass of the noise law on the rounding interval around {@code sample - truth}.
         */
        double probability(double sample, double truth, double jitter) {
            double e = sample - truth;
            double half = roundingMs / 2;
            double lognormal;
            if (e - half > 4 * roundingMs) {
                // Far from zero the density times the width is exact to a part in a thousand.
                double z = Math.log(e / jitter) / sigma;
                lognormal = roundingMs * Math.exp(-0.5 * z * z) / (Math.sqrt(2 * Math.PI) * sigma * e);
            } else {
                lognormal = lognormalCdf(e + half, jitter) - lognormalCdf(e - half, jitter);
            }
            double spike = e <= spikeMin ? 0 : roundingMs / (spikeMax - spikeMin)
                    * (lognormalCdf(e - spikeMin, jitter) - lognormalCdf(e - spikeMax, jitter));
            return (1 - spikeShare) * lognormal + spikeShare * spike;
        }

        double logLikelihood(double[] samples, int count, double truth, double jitter) {
            double sum = 0;
            for (int i = 0; i < count; i++) {
                sum += Math.log(probability(samples[i], truth, jitter));
            }
            return sum;
        }
    }

    /**
     * The posterior of one pair's true RTT on a grid (ascending {@code t}, weights {@code w} summing
     * to 1), given its structural RTT, the term's sd and its samples.
     */
    static final class Posterior {
        final double[] t = new double[GRID];
        final double[] w = new double[GRID];
        final double[] tail = new double[GRID + 1]; // tail[i]: the mass of points i and above
        int size;
        double mean;

        void compute(double structural, double termSd, double[] samples, int count, double jitter, NoiseLaw law) {
            double ceiling = Double.POSITIVE_INFINITY;
            for (int i = 0; i < count; i++) {
                ceiling = Math.min(ceiling, samples[i] + law.roundingMs() / 2);
            }
            double[] log = new double[GRID];
            double max = Double.NEGATIVE_INFINITY;
            size = 0;
            for (int i = 0; i < GRID; i++) {
                double z = -Z_MAX + i * Z_STEP;
                double truth = Math.max(1, structural + termSd * z);
                if (truth >= ceiling) {
                    break; // t rises with z: no sample can come from here on
                }
                double l = -0.5 * z * z + law.logLikelihood(samples, count, truth, jitter);
                t[size] = truth;
                log[size++] = l;
                max = Math.max(max, l);
            }
            if (size == 0 || max == Double.NEGATIVE_INFINITY) {
                // Samples below every t the prior allows (cannot happen with the world's own law): trust them.
                t[0] = ceiling - law.roundingMs() / 2;
                w[0] = 1;
                size = 1;
                mean = t[0];
                tail[0] = 1;
                tail[1] = 0;
                return;
            }
            double sum = 0;
            for (int i = 0; i < size; i++) {
                w[i] = Math.exp(log[i] - max);
                sum += w[i];
            }
            mean = 0;
            for (int i = 0; i < size; i++) {
                w[i] /= sum;
                mean += w[i] * t[i];
            }
            tail[size] = 0;
            for (int i = size - 1; i >= 0; i--) {
                tail[i] = tail[i + 1] + w[i];
            }
        }

        /** P(T > x), with each grid point's mass spread evenly up to the next point. */
        double survival(double x) {
            if (x < t[0]) {
                return 1;
            }
            int lo = 0;
            int hi = size - 1;
            while (lo < hi) { // the last i with t[i] <= x
                int mid = (lo + hi + 1) >>> 1;
                if (t[mid] <= x) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            double next = lo + 1 < size ? t[lo + 1] : t[lo];
            double frac = next > t[lo] ? Math.min(1, (x - t[lo]) / (next - t[lo])) : 1;
            return tail[lo + 1] + w[lo] * (1 - frac);
        }
    }

    /** The maximum-likelihood true RTT from one pair's samples alone (no prior). */
    static double mle(double[] samples, int count, double jitter, NoiseLaw law) {
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            min = Math.min(min, samples[i]);
        }
        // Below min - the log-normal's mode every sample pulls t up, so the maximum lies above that.
        double top = min + law.roundingMs() / 2 - 1e-6;
        double bottom = Math.max(0, min - jitter * Math.exp(-law.sigma() * law.sigma()) - 0.2);
        double best = top;
        double bestLog = Double.NEGATIVE_INFINITY;
        for (double step : new double[] {0.02, 0.002}) {
            for (double t = bottom; t <= top; t += step) {
                double l = law.logLikelihood(samples, count, t, jitter);
                if (l > bestLog) {
                    bestLog = l;
                    best = t;
                }
            }
            bottom = Math.max(0, best - 0.02);
            top = Math.min(top, best + 0.02);
        }
        return best;
    }

    /** The index of the region most likely to be the fastest, among those whose posterior could be. */
    static int mostLikelyFastest(Posterior[] cells, int regions) {
        int best = 0;
        for (int r = 1; r < regions; r++) {
            if (cells[r].mean < cells[best].mean) {
                best = r;
            }
        }
        double reach = cells[best].t[cells[best].size - 1];
        List<Integer> candidates = new ArrayList<>();
        for (int r = 0; r < regions; r++) {
            if (cells[r].t[0] <= reach) {
                candidates.add(r);
            }
        }
        if (candidates.size() == 1) {
            return best;
        }
        double bestP = -1;
        int chosen = best;
        for (int r : candidates) {
            Posterior c = cells[r];
            double p = 0;
            for (int i = 0; i < c.size; i++) {
                double others = 1;
                for (int s : candidates) {
                    if (s != r) {
                        others *= cells[s].survival(c.t[i]);
                    }
                }
                p += c.w[i] * others;
            }
            if (p > bestP + 1e-12 || (Math.abs(p - bestP) <= 1e-12 && cells[r].mean < cells[chosen].mean)) {
                bestP = p;
                chosen = r;
            }
        }
        return chosen;
    }

    /** The oracles' choices for every network of the world, from round 0's samples. */
    static Map<String, int[]> choices(GeneratedInternet world, int threads) {
        int networks = world.networkCount();
        int regions = world.regionCount();
        int[] structure = new int[networks];
        int[] mle = new int[networks];
        int[] bayesMean = new int[networks];
        int[] bayesHit = new int[networks];
        int[] row = new int[networks];
        int[] min = new int[networks];
        NoiseLaw law = NoiseLaw.of(world.params());
        int blocks = world.blockCount();
        int chunk = Math.max(1, blocks / (threads * 16));
        int chunks = (blocks + chunk - 1) / chunk;
        Runnable all = () -> IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = c * chunk;
            int to = Math.min(blocks, from + chunk);
            Chooser chooser = new Chooser(world, law);
            for (int k = from; k < to; k++) {
                chooser.block(k, structure, mle, min, bayesMean, bayesHit, row);
            }
        });
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
        try {
            pool.submit(all).join();
        } finally {
            pool.shutdown();
        }
        Map<String, int[]> out = new LinkedHashMap<>();
        out.put(STRUCTURE, structure);
        out.put(MLE, mle);
        out.put(MIN, min);
        out.put(BAYES_MEAN, bayesMean);
        out.put(BAYES_HIT, bayesHit);
        out.put(ROW, row);
        return out;
    }

    /** One worker's buffers: a block's samples, then its networks' choices. */
    private static final class Chooser {
        private final GeneratedInternet world;
        private final NoiseLaw law;
        private final int regions;
        private final double[][][] samples; // [network in block][region][sample]
        private final int[][] counts;
        private final Posterior[] cells;
        private final double[] estimate;

        Chooser(GeneratedInternet world, NoiseLaw law) {
            this.world = world;
            this.law = law;
            this.regions = world.regionCount();
            samples = new double[GeneratedInternet.MAX_PER_BLOCK][regions][8];
            counts = new int[GeneratedInternet.MAX_PER_BLOCK][regions];
            cells = new Posterior[regions];
            for (int r = 0; r < regions; r++) {
                cells[r] = new Posterior();
            }
            estimate = new double[regions];
        }

        void block(int k, int[] structure, int[] mle, int[] min, int[] bayesMean, int[] bayesHit, int[] row) {
            int start = world.blockStart(k);
            int end = world.blockEnd(k);
            for (int[] c : counts) {
                Arrays.fill(c, 0);
            }
            // Round 0, as the benchmark posts it; the times do not change the values.
            world.samples(0, 0, 1, null, k, k + 1, (ip, region, rtt, time) -> {
                int i = indexOf(ip & 0xffffff00, start, end) - start;
                int c = counts[i][region]++;
                if (c == samples[i][region].length) {
                    samples[i][region] = Arrays.copyOf(samples[i][region], 2 * c);
                }
                samples[i][region][c] = rtt;
            });
            double termSd = GeneratedInternet.CELL_TERM_SD_MS;
            // The /20's row (structure less last mile, averaged over its networks) and its networks' spread around it.
            double[][] structurals = new double[end - start][regions];
            double[] blockRow = new double[regions];
            for (int n = start; n < end; n++) {
                for (int r = 0; r < regions; r++) {
                    structurals[n - start][r] = world.structuralRttMs(n, k, r);
                    blockRow[r] += (structurals[n - start][r] - world.lastMileMs(n)) / (end - start);
                }
            }
            double squares = 0;
            for (int n = start; n < end; n++) {
                for (int r = 0; r < regions; r++) {
                    double d = structurals[n - start][r] - world.lastMileMs(n) - blockRow[r];
                    squares += d * d;
                }
            }
            double rowSd = Math.sqrt(squares / ((end - start) * regions) + termSd * termSd);
            for (int n = start; n < end; n++) {
                int i = n - start;
                double jitter = world.jitterMs(n);
                double[] structural = structurals[i];
                structure[n] = GeneratedInternet.argmin(structural);
                for (int r = 0; r < regions; r++) {
                    estimate[r] = counts[i][r] == 0 ? structural[r] : QualityCeiling.mle(samples[i][r], counts[i][r], jitter, law);
                }
                mle[n] = GeneratedInternet.argmin(estimate);
                for (int r = 0; r < regions; r++) {
                    estimate[r] = counts[i][r] > 0 ? Arrays.stream(samples[i][r], 0, counts[i][r]).min().getAsDouble()
                            : world.measured(n) ? Double.POSITIVE_INFINITY : structural[r];
                }
                min[n] = GeneratedInternet.argmin(estimate);
                for (int r = 0; r < regions; r++) {
                    cells[r].compute(structural[r], termSd, samples[i][r], counts[i][r], jitter, law);
                    estimate[r] = cells[r].mean;
                }
                bayesMean[n] = GeneratedInternet.argmin(estimate);
                bayesHit[n] = mostLikelyFastest(cells, regions);
                for (int r = 0; r < regions; r++) {
                    cells[r].compute(blockRow[r] + world.lastMileMs(n), rowSd, samples[i][r], counts[i][r], jitter, law);
                    estimate[r] = cells[r].mean;
                }
                row[n] = GeneratedInternet.argmin(estimate);
            }
        }

        private int indexOf(int address, int start, int end) {
            for (int n = start; n < end; n++) {
                if (world.networkAddress(n) == address) {
                    return n;
                }
            }
            throw new IllegalStateException("a sample from outside its block");
        }
    }

    /** The standard normal CDF (erfc to a relative error of 1.2e-7, tails included). */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
                + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2 - ans;
    }

    /**
     * {@code [--networks N] [--seed S] [--regions R] [--max-samples M] [--threads T] [--learned]}:
     * prints the ceiling report as Markdown, in the benchmark's tables; with {@code --learned}, the
     * learned table (a real Wayfinder fed the same samples, as {@code scripts/routing-quality-learned}
     * runs it, without the CSV tables and the congestion) is a column of the same tables.
     */
    public static void main(String[] args) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        boolean learned = false;
        List<String> others = new ArrayList<>();
        GeneratedInternet.Params params = ApiRoutingQuality.worldParams(args, others);
        for (int i = 0; i < others.size(); i++) {
            switch (others.get(i)) {
                case "--threads" -> threads = Integer.parseInt(others.get(++i));
                case "--learned" -> learned = true;
                default -> throw new IllegalArgumentException("unknown argument " + others.get(i));
            }
        }
        Path dir = Files.createTempDirectory("wayfinder-ceiling-");
        String loadBefore = ApiRoutingQuality.uptime();
        long start = System.nanoTime();
        // The nearest region (and with --learned the learned table) from the benchmark itself.
        ApiRoutingQuality.Run run = ApiRoutingQuality.run(new ApiRoutingQuality.Options(params, false, learned, false, 2, 4), dir);
        long oracleStart = System.nanoTime();
        Map<String, int[]> choices = new LinkedHashMap<>(run.choices());
        choices.putAll(choices(run.world(), threads));
        long oracleNanos = System.nanoTime() - oracleStart;
        Map<String, Map<ApiRoutingQuality.Group, QualityScore>> scores = new LinkedHashMap<>();
        choices.forEach((name, chosen) -> scores.put(name, ApiRoutingQuality.score(run.world(), run.fastest(), chosen, null)));
        ApiRoutingQuality.Run all = new ApiRoutingQuality.Run(run.world(), run.fastest(), choices, scores, run.feeds(),
                run.rebuildMillis(), null);
        String load = "before " + loadBefore + "; after " + ApiRoutingQuality.uptime() + String.format(Locale.ROOT,
                "; %.0f s in all, the oracles %.0f s on %d threads", (System.nanoTime() - start) / 1e9, oracleNanos / 1e9, threads);
        System.out.print(ApiRoutingQuality.report(all, load));
        ApiRoutingQuality.deleteTree(dir);
    }
}
