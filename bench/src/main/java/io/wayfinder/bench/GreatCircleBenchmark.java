package io.wayfinder.bench;

import io.wayfinder.geo.GreatCircle;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The distance model's cost per region estimate: {@link GreatCircle#kilometres} (haversine from
 * degrees, what {@code LatencyEstimator} calls four times for a client the table does not cover),
 * against the same distance from unit vectors precomputed once per point (a region's at table
 * build, a client location's once per lookup): a dot product, one {@code sqrt} and one
 * {@code asin}. An experiment for a proposal; both give the same kilometres (checked in setup).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class GreatCircleBenchmark {
    private static final double EARTH_RADIUS_KM = 6371.0088;
    private static final int POINTS = 1024;

    final double[] latitude = new double[POINTS];
    final double[] longitude = new double[POINTS];
    final double[] unit = new double[3 * POINTS];
    final double regionLatitude = 52.3667;
    final double regionLongitude = 4.9;
    final double[] regionUnit = unitVector(regionLatitude, regionLongitude);
    int next;

    @Setup
    public void points() {
        SplittableRandom random = new SplittableRandom(SyntheticLatencyData.SEED);
        for (int i = 0; i < POINTS; i++) {
            latitude[i] = -45 + 110 * random.nextDouble();
            longitude[i] = -180 + 360 * random.nextDouble();
            double[] u = unitVector(latitude[i], longitude[i]);
            System.arraycopy(u, 0, unit, 3 * i, 3);
            double a = GreatCircle.kilometres(latitude[i], longitude[i], regionLatitude, regionLongitude);
            double b = fromUnitVectors(unit, 3 * i, regionUnit);
            if (Math.abs(a - b) > 1e-6 * Math.max(1, a)) {
                throw new IllegalStateException(a + " km against " + b + " km");
            }
        }
    }

    static double[] unitVector(double latitudeDegrees, double longitudeDegrees) {
        double lat = Math.toRadians(latitudeDegrees);
        double lon = Math.toRadians(longitudeDegrees);
        return new double[] {Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)};
    }

    /** Chord length between the unit vectors c, then the arc: 2R·asin(c/2). */
    static double fromUnitVectors(double[] points, int at, double[] region) {
        double dx = points[at] - region[0];
        double dy = points[at + 1] - region[1];
        double dz = points[at + 2] - region[2];
        double halfChord = Math.sqrt(dx * dx + dy * dy + dz * dz) / 2;
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, halfChord));
    }

    private int nextPoint() {
        int i = next;
        next = (i + 1) & (POINTS - 1);
        return i;
    }

    @Benchmark
    public double kilometres() {
        int i = nextPoint();
        return GreatCircle.kilometres(latitude[i], longitude[i], regionLatitude, regionLongitude);
    }

    @Benchmark
    public double unitVectors() {
        return fromUnitVectors(unit, 3 * nextPoint(), regionUnit);
    }

    /** The floor: one asin, which the unit-vector form still pays. */
    @Benchmark
    public double asinOnly() {
        return Math.asin(latitude[nextPoint()] / 91);
    }
}
