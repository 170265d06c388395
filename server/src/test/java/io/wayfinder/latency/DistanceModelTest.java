package io.wayfinder.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyTableBuilder.Measurement;
import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DistanceModelTest {
    private static final RegionCatalogue REGIONS = RegionCatalogue.builtIn();
    private static final List<String> SPREAD = List.of("eastus", "westeurope", "southeastasia", "brazilsouth",
            "australiaeast", "japaneast", "southindia", "westus2");

    @ParameterizedTest(name = "{0} ms/km + {1} ms, noise ±{2} ms")
    @CsvSource(textBlock = """
            0.02,  8,  1
            0.02,  8,  0
            0.015, 3,  2
            0.05,  20, 5
            0.01,  0,  0
            """)
    void fitRecoversKnownConstants(double msPerKm, double lastMileMs, double noise) {
        Synthetic data = new Synthetic(new Random(42), 500);
        data.generate(msPerKm, lastMileMs, noise);

        DistanceModel model = DistanceModel.fit(data.measurements, data.geo, REGIONS);

        assertThat(model.fitted()).isTrue();
        assertThat(model.pairs()).isEqualTo(500);
        assertThat(model.msPerKm()).isCloseTo(msPerKm, within(0.0005));
        assertThat(model.lastMileMs()).isCloseTo(lastMileMs, within(1.0));
        assertThat(model.rSquared()).isGreaterThan(0.95).isLessThanOrEqualTo(1.0 + 1e-9);
        assertThat(model.rSquared()).isCloseTo(data.rSquared(model), within(1e-6));
    }

    /** Data implying a route faster than light in fibre: the slope is clamped, the intercept refitted. */
    @ParameterizedTest(name = "{0} ms/km + {1} ms")
    @CsvSource(textBlock = """
            0.001,   100
            0,       60
            -0.002,  150
            0.0099,  120
            """)
    void slopeBelowFibreSpeedIsClampedAndTheInterceptRefitted(double msPerKm, double lastMileMs) {
        Synthetic data = new Synthetic(new Random(7), 300);
        data.generate(msPerKm, lastMileMs, 0.5);

        DistanceModel model = DistanceModel.fit(data.measurements, data.geo, REGIONS);

        double meanX = data.xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double meanY = data.ys.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(model.msPerKm()).isEqualTo(DistanceModel.FIBRE_MS_PER_KM);
        assertThat(model.lastMileMs()).isCloseTo(Math.max(0, meanY - 0.01 * meanX), within(1e-6));
        // A clamped model can explain less than the mean does (R² far below 0); compare relatively.
        double r2 = data.rSquared(model);
        assertThat(model.rSquared()).isCloseTo(r2, within(1e-6 * Math.max(1, Math.abs(r2))));
    }

    @Test
    void interceptIsNeverNegative() {
        Synthetic data = new Synthetic(new Random(3), 200);
        data.generate(0.03, -40, 0.5);

        DistanceModel model = DistanceModel.fit(data.measurements, data.geo, REGIONS);

        assertThat(model.lastMileMs()).isZero();
        assertThat(model.msPerKm()).isGreaterThanOrEqualTo(DistanceModel.FIBRE_MS_PER_KM);
        assertThat(model.estimateMs(0)).isZero();
    }

    @Test
    void allClientsAtOneDistanceFitOnlyTheIntercept() {
        List<Measurement> measurements = new ArrayList<>();
        Map<IpPrefix, GeoLocation> places = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            IpPrefix prefix = IpPrefix.ofIpv4(0x0A00_0000 + i, 32);
            places.put(prefix, new GeoLocation(52.3667, 4.9, "NL", prefix));
            measurements.add(new Measurement(prefix, "eastus", 90 + (i % 3)));
        }
        Region eastus = REGIONS.find("eastus").orElseThrow();
        double km = GreatCircle.kilometres(52.3667, 4.9, eastus.latitude(), eastus.longitude());

        DistanceModel model = DistanceModel.fit(measurements, exact(places), REGIONS);

        assertThat(model.fitted()).isTrue();
        assertThat(model.msPerKm()).isEqualTo(DistanceModel.FIBRE_MS_PER_KM);
        assertThat(model.lastMileMs()).isCloseTo(91 - 0.01 * km, within(1e-6));
    }

    @ParameterizedTest(name = "{0} usable pairs")
    @ValueSource(ints = {0, 1, 19})
    void fewerThanTwentyPairsIsUnfitted(int pairs) {
        Synthetic data = new Synthetic(new Random(1), pairs);
        data.generate(0.02, 8, 0);

        DistanceModel model = DistanceModel.fit(data.measurements, data.geo, REGIONS);

        assertThat(model).isSameAs(DistanceModel.UNFITTED);
        assertThat(model.fitted()).isFalse();
        assertThat(model.describe()).contains("defaults");
    }

    @Test
    void twentyPairsAreEnough() {
        Synthetic data = new Synthetic(new Random(1), 20);
        data.generate(0.02, 8, 0);

        DistanceModel model = DistanceModel.fit(data.measurements, data.geo, REGIONS);

        assertThat(model.fitted()).isTrue();
        assertThat(model.pairs()).isEqualTo(20);
        assertThat(model.msPerKm()).isCloseTo(0.02, within(1e-9));
        assertThat(model.lastMileMs()).isCloseTo(8, within(1e-6));
        assertThat(model.describe()).contains("fitted to 20 measurements").contains("0.0200 ms/km");
    }

    /** Measurements for a region not in the catalogue, or of a network the locator cannot place, do not count. */
    @ParameterizedTest(name = "{0} good, {1} unknown regions, {2} unlocated: {3} pairs")
    @CsvSource(textBlock = """
            20, 5, 5, 20
            19, 5, 5, 0
            30, 0, 9, 30
            """)
    void measurementsThatCannotBePlacedAreSkipped(int good, int unknownRegion, int unlocated, int pairs) {
        Synthetic data = new Synthetic(new Random(5), good);
        data.generate(0.02, 8, 0);
        List<Measurement> all = new ArrayList<>(data.measurements);
        for (int i = 0; i < unknownRegion; i++) {
            all.add(new Measurement(data.measurements.get(i).prefix(), "mars-north-1", 1));
        }
        for (int i = 0; i < unlocated; i++) {
            all.add(new Measurement(IpPrefix.ofIpv4(0xC000_0200 + i, 32), "eastus", 1));
        }

        DistanceModel model = DistanceModel.fit(all, data.geo, REGIONS);

        assertThat(model.pairs()).isEqualTo(pairs);
        if (pairs > 0) {
            assertThat(model.msPerKm()).isCloseTo(0.02, within(1e-9));
        }
    }

    @ParameterizedTest(name = "{0} ms/km x {2} km + {1} ms = {3} ms")
    @CsvSource(textBlock = """
            0.02,  8,  5570, 119.4
            0.02,  8,  0,    8
            0.01,  0,  1000, 10
            0.05,  20, 100,  25
            """)
    void estimateIsSlopeTimesDistancePlusLastMile(double msPerKm, double lastMileMs, double km, double ms) {
        assertThat(new DistanceModel(msPerKm, lastMileMs, 100, 1, true).estimateMs(km)).isCloseTo(ms, within(1e-9));
    }

    @Test
    void unfittedDefaultsAreTwiceFibrePlusTenMilliseconds() {
        assertThat(DistanceModel.UNFITTED.msPerKm()).isEqualTo(0.02);
        assertThat(DistanceModel.UNFITTED.lastMileMs()).isEqualTo(10);
        assertThat(DistanceModel.UNFITTED.fitted()).isFalse();
        assertThat(DistanceModel.UNFITTED.pairs()).isZero();
    }

    /** Clients spread over the globe, one per /32, each measured to one region of {@link #SPREAD}. */
    private static final class Synthetic {
        final Random random;
        final int count;
        final List<Measurement> measurements = new ArrayList<>();
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        final Map<IpPrefix, GeoLocation> places = new HashMap<>();
        final GeoLocator geo = exact(places);

        Synthetic(Random random, int count) {
            this.random = random;
            this.count = count;
        }

        void generate(double msPerKm, double lastMileMs, double noise) {
            for (int i = 0; i < count; i++) {
                IpPrefix prefix = IpPrefix.ofIpv4(0x0A00_0000 + i, 32);
                double latitude = -60 + 130 * random.nextDouble();
                double longitude = -180 + 360 * random.nextDouble();
                places.put(prefix, new GeoLocation(latitude, longitude, "", prefix));
                Region region = REGIONS.find(SPREAD.get(random.nextInt(SPREAD.size()))).orElseThrow();
                double km = GreatCircle.kilometres(latitude, longitude, region.latitude(), region.longitude());
                double rtt = msPerKm * km + lastMileMs + noise * (2 * random.nextDouble() - 1);
                xs.add(km);
                ys.add(rtt);
                measurements.add(new Measurement(prefix, region.name(), rtt));
            }
        }

        /** R² of a model over this data, computed from the residuals directly. */
        double rSquared(DistanceModel model) {
            double mean = ys.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double total = 0;
            double residual = 0;
            for (int i = 0; i < xs.size(); i++) {
                double e = ys.get(i) - model.estimateMs(xs.get(i));
                residual += e * e;
                total += (ys.get(i) - mean) * (ys.get(i) - mean);
            }
            return 1 - residual / total;
        }
    }

    private static GeoLocator exact(Map<IpPrefix, GeoLocation> places) {
        return new GeoLocator() {
            @Override
            public GeoLocation locate(IpPrefix address) {
                return places.get(address);
            }

            @Override
            public String describe() {
                return "exact";
            }
        };
    }
}
