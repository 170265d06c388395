package io.wayfinder.latency.learn;

import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.quality.GeneratedInternet;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The full fit alone, timed in CPU of the calling thread (one lane): on a shared machine the wall
 * time of a rebuild says more about the other jobs than about the code, and the CPU a fixed piece
 * of work takes much less. Builds {@code LearnedScale}'s world of N networks, rebuilds once, then
 * fits the rebuild's observations from zero, five sweeps, a few times, and prints a checksum of
 * the effects (equal code, equal effects).
 *
 * <pre>
 *   java -Xmx4g -cp ... io.wayfinder.latency.learn.FitTiming 1000000 [repeats [tolerance [cold|warm|chain [spikes]]]]
 * </pre>
 */
public final class FitTiming {
    private FitTiming() {
    }

    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double tolerance = args.length > 2 ? Double.parseDouble(args[2]) : 0; // 0: every sweep, as before the stop
        // warm: from the rebuild's own effects; chain: the first from them, each next from the one before
        boolean chain = args.length > 3 && args[3].equals("chain");
        boolean warm = chain || args.length > 3 && args[3].equals("warm");
        boolean spikes = args.length > 4 && args[4].equals("spikes"); // weighs spikes, as the rebuild does
        Instant now = Instant.ofEpochMilli(1_796_000_000_000L);
        GeneratedInternet world = GeneratedInternet.generate(GeneratedInternet.Params.standard(1, size).withMaxSamples(1));
        Path geoFile = Files.createTempFile("fit-timing", ".csv");
        world.writeGeoCsv(geoFile);
        CsvGeoTable geo = CsvGeoTable.read(geoFile);
        Files.delete(geoFile);
        List<String> names = world.regions().stream().map(r -> r.name()).toList();
        LearningParameters d = LearningParameters.DEFAULTS;
        LearnedLatency learner = new LearnedLatency(new LearningParameters(d.halfLife(), d.ipv4Levels(), d.ipv6Levels(),
                d.changeMinSamples(), d.changeSigmas(), d.changeMinMs(), d.holdBack(), d.hysteresisMs(),
                d.hysteresisSigmas(), d.staticSamples(), (int) Math.min(Integer.MAX_VALUE, world.sampleCount(0) + 1)));
        List<Measurement> batch = new ArrayList<>();
        long t = now.toEpochMilli();
        world.samples(0, t - 48 * 3_600_000L, t - 3_600_000L, null, (ip, region, rtt, time) -> {
            batch.add(new Measurement(IpPrefix.ofIpv4(ip & 0xffffff00, 24), names.get(region), rtt, time, "bench"));
            if (batch.size() == 100_000) {
                learner.add(batch);
                batch.clear();
            }
        });
        learner.add(batch);
        learner.rebuild(now, LatencyTable.empty(), geo, RegionCatalogue.builtIn());
        Observations obs = learner.observations(now);
        Published p = learner.published();
        Lanes.use(1);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Observations previousObs = p.obs;
        BorrowingModel previousModel = p.model;
        for (int i = 0; i < repeats; i++) {
            BorrowingModel model = new BorrowingModel(obs, p.anchors.ofNetwork, p.anchors.mu, p.anchors.blockMu);
            if (spikes) {
                model.weighSpikes(p.learned.spikes(), p.learned.classVariance()[0]);
            }
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            int sweeps = model.fit(p.learned.trust(), null, LearnedLatency.SWEEPS, tolerance, warm ? previousObs : null,
                    warm ? previousModel : null);
            if (chain) {
                previousObs = obs;
                previousModel = model;
            }
            long cpu1 = threads.getCurrentThreadCpuTime();
            long wall1 = System.nanoTime();
            long h = 0;
            for (double a : model.a) {
                h = h * 31 + Double.doubleToLongBits(a);
            }
            for (float[] e : model.effect) {
                for (float f : e) {
                    h = h * 31 + Float.floatToIntBits(f);
                }
            }
            System.out.printf(Locale.ROOT, "fit of %,d cells, %s, at most %d sweeps (%.2f per cell), tolerance %s, one lane: "
                            + "%.2f s CPU, %.2f s wall; effects %016x%n", obs.cells, warm ? "warm" : "cold", sweeps,
                    model.sweepsPerCell, tolerance, (cpu1 - cpu) / 1e9, (wall1 - wall) / 1e9, h);
        }
    }
}
