package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GeoCacheTest {

    @Test
    void aHitReturnsTheSameObjectWithoutAskingAgain() {
        CountingLocator source = new CountingLocator("81.0.0.0/8");
        GeoCache cache = new GeoCache(source);

        GeoLocation first = cache.locate(IpPrefix.parse("81.2.69.7"));
        GeoLocation second = cache.locate(IpPrefix.parse("81.2.69.7"));

        assertThat(first).isNotNull();
        assertThat(second).isSameAs(first);
        assertThat(source.asked).hasSize(1);
    }

    @Test
    void anUnknownLocationIsCachedToo() {
        CountingLocator source = new CountingLocator("81.0.0.0/8");
        GeoCache cache = new GeoCache(source);

        GeoLocation first = cache.locate(IpPrefix.parse("9.9.9.9"));
        GeoLocation second = cache.locate(IpPrefix.parse("9.9.9.9"));
        cache.locate(IpPrefix.parse("9.9.9.9"));

        assertThat(first.known()).isFalse();
        assertThat(second).isSameAs(first);
        assertThat(source.asked).hasSize(1);
    }

    @Test
    void aNullAnswerIsCachedToo() {
        CountingLocator source = new CountingLocator("81.0.0.0/8").answeringNullWhenUnknown();
        GeoCache cache = new GeoCache(source);

        assertThat(cache.locate(IpPrefix.parse("9.9.9.9"))).isNull();
        assertThat(cache.locate(IpPrefix.parse("9.9.9.9"))).isNull();
        assertThat(source.asked).hasSize(1);
    }

    /**
     * Different addresses, the same bits in the other family, or the same first address with
     * another length (whose answer holds for a different network) are different questions.
     */
    @ParameterizedTest(name = "{0} then {1}: {2} lookups")
    @CsvSource(textBlock = """
            81.2.69.7,     81.2.69.7,      1
            81.2.69.0/24,  81.2.69.0/24,   1
            81.2.69.0/24,  81.2.69.0,      2
            81.2.69.0/24,  81.2.69.0/25,   2
            81.2.69.7,     81.2.69.8,      2
            10.0.0.0,      ::a00:0,        2
            2001:db8::1,   2001:db8::1,    1
            2001:db8::1,   2001:db8:0:1::1, 2
            2001:db8::1,   2001:db9::1,    2
            """)
    void entriesAreKeyedByFamilyAndAddress(String a, String b, int lookups) {
        CountingLocator source = new CountingLocator("0.0.0.0/0");
        GeoCache cache = new GeoCache(source);

        cache.locate(IpPrefix.parse(a));
        cache.locate(IpPrefix.parse(b));

        assertThat(source.asked).hasSize(lookups);
    }

    @Test
    void aCollisionEvictsButNeverAnswersForTheWrongAddress() {
        CountingLocator source = new CountingLocator("0.0.0.0/0");
        GeoCache cache = new GeoCache(source, 1);

        for (int round = 0; round < 3; round++) {
            for (String address : List.of("81.2.69.7", "1.0.16.1", "::a00:0")) {
                IpPrefix asked = IpPrefix.parse(address);
                GeoLocation location = cache.locate(asked);
                assertThat(location.countryCode()).isEqualTo(address);
            }
        }
        assertThat(source.asked).hasSize(9);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 100, -1})
    void slotCountMustBeAPowerOfTwo(int slots) {
        assertThatThrownBy(() -> new GeoCache(new CountingLocator("0.0.0.0/0"), slots))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
    }

    @Test
    void describeIsTheSources() {
        assertThat(new GeoCache(new CountingLocator("0.0.0.0/0")).describe()).isEqualTo("counting");
    }

    /**
     * Answers a new location object for every client inside its network (a default route covers
     * both families; the country code is the address asked, so a test can tell answers apart), an
     * unknown one (or null) elsewhere; records every question.
     */
    private static final class CountingLocator implements GeoLocator {
        final IpPrefix network;
        final List<IpPrefix> asked = new ArrayList<>();
        boolean nullWhenUnknown;

        CountingLocator(String network) {
            this.network = IpPrefix.parse(network);
        }

        CountingLocator answeringNullWhenUnknown() {
            nullWhenUnknown = true;
            return this;
        }

        @Override
        public GeoLocation locate(IpPrefix client) {
            asked.add(client);
            boolean inside = network.length() == 0 || network.contains(client);
            if (inside) {
                return new GeoLocation(0, 0, client.addressText(), client.truncate(network.length()), network.length());
            }
            return nullWhenUnknown ? null : GeoLocation.unknown(client);
        }

        @Override
        public String describe() {
            return "counting";
        }
    }
}
