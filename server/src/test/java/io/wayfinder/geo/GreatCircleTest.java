package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GreatCircleTest {

    /** The haversine as first written, each sine computed twice: routing compares its results to a tenth. */
    private static double textbook(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = p2 - p1;
        double dl = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    @Test
    void givesTheTextbookHaversineBitForBit() {
        Random random = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            double lat1 = random.nextDouble() * 180 - 90;
            double lon1 = random.nextDouble() * 360 - 180;
            double lat2 = random.nextInt(4) == 0 ? lat1 : random.nextDouble() * 180 - 90;
            double lon2 = random.nextInt(4) == 0 ? -lon1 : random.nextDouble() * 360 - 180;
            assertThat(Double.doubleToRawLongBits(GreatCircle.kilometres(lat1, lon1, lat2, lon2)))
                    .as("%s,%s to %s,%s", lat1, lon1, lat2, lon2)
                    .isEqualTo(Double.doubleToRawLongBits(textbook(lat1, lon1, lat2, lon2)));
        }
    }

    @Test
    void amsterdamToSingaporeIsAbout10500Km() {
        assertThat(GreatCircle.kilometres(52.37, 4.90, 1.28, 103.83)).isBetween(10_400.0, 10_600.0);
    }
}
