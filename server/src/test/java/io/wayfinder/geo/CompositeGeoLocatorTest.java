package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompositeGeoLocatorTest {

    /**
     * Each source is written {@code name:network} (it answers every question with a location from
     * an entry of that network, named by its country code) or {@code name:-} (it knows nothing).
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            AA:81.0.0.0/8 BB:81.2.69.0/24             | BB
            BB:81.2.69.0/24 AA:81.0.0.0/8             | BB
            AA:81.0.0.0/8 BB:81.2.0.0/16 CC:81.2.69.0/24 | CC
            AA:81.2.69.0/24 BB:81.2.69.0/24           | AA
            BB:81.2.69.0/24 AA:81.2.69.0/24           | BB
            AA:- BB:81.0.0.0/8                        | BB
            AA:81.0.0.0/8 BB:-                        | AA
            AA:- BB:-                                 | -
            AA:2001:db8::/32 BB:2001:db8:1::/48       | BB
            """)
    void longestNetworkWinsAndTheFirstSourceOnATie(String sources, String expected) {
        List<GeoLocator> locators = new ArrayList<>();
        for (String source : sources.split(" ")) {
            String[] parts = source.split(":", 2);
            locators.add(parts[1].equals("-") ? GeoLocator.NONE : fixed(parts[0], parts[1]));
        }

        GeoLocation found = new CompositeGeoLocator(locators).locate(IpPrefix.parse("81.2.69.7"));

        assertThat(found.known() ? found.countryCode() : "-").isEqualTo(expected);
    }

    /**
     * The choice depended on every source, so it holds only where each source's answer holds:
     * the longest of their holding networks. The winner's entry length is kept.
     */
    @ParameterizedTest(name = "{0} -> holds for {1}")
    @CsvSource(delimiter = '|', textBlock = """
            AA:81.0.0.0/8:81.0.0.0/8 BB:-:81.2.0.0/16          | 81.2.0.0/16 | AA | 8
            AA:81.0.0.0/8:81.2.0.0/16 BB:81.2.69.0/24:81.2.69.0/26 | 81.2.69.0/26 | BB | 24
            AA:-:0.0.0.0/0 BB:-:81.2.69.0/24                    | 81.2.69.0/24 | -  | -1
            AA:81.0.0.0/8:81.2.69.7/32                          | 81.2.69.7/32 | AA | 8
            """)
    void theAnswerHoldsWhereEverySourcesAnswerHolds(String sources, String holds, String winner, int sourceLength) {
        List<GeoLocator> locators = new ArrayList<>();
        for (String source : sources.split(" ")) {
            String[] parts = source.split(":", 3);
            locators.add(answering(parts[0], parts[1].equals("-") ? null : IpPrefix.parse(parts[1]),
                    IpPrefix.parse(parts[2])));
        }

        GeoLocation found = new CompositeGeoLocator(locators).locate(IpPrefix.parse("81.2.69.7"));

        assertThat(found.network()).isEqualTo(IpPrefix.parse(holds));
        assertThat(found.known() ? found.countryCode() : "-").isEqualTo(winner);
        assertThat(found.sourceLength()).isEqualTo(sourceLength);
    }

    @Test
    void aSourceAnsweringNullCountsAsUnknownForTheClientAlone() {
        GeoLocator legacy = new GeoLocator() {
            @Override
            public GeoLocation locate(IpPrefix client) {
                return null;
            }

            @Override
            public String describe() {
                return "legacy";
            }
        };

        GeoLocation found = new CompositeGeoLocator(List.of(legacy, GeoLocator.NONE)).locate(IpPrefix.parse("81.2.69.0/24"));

        assertThat(found.known()).isFalse();
        assertThat(found.network()).isEqualTo(IpPrefix.parse("81.2.69.0/24"));
    }

    @Test
    void noSourcesLocateNothingAnywhere() {
        CompositeGeoLocator none = new CompositeGeoLocator(List.of());

        GeoLocation found = none.locate(IpPrefix.parse("81.2.69.7"));

        assertThat(found.known()).isFalse();
        assertThat(found.network()).isEqualTo(IpPrefix.parse("0.0.0.0/0"));
        assertThat(none.describe()).isEqualTo("none");
    }

    @Test
    void describeJoinsTheSources() {
        CompositeGeoLocator both = new CompositeGeoLocator(List.of(fixed("AA", "81.0.0.0/8"), GeoLocator.NONE));

        assertThat(both.describe()).isEqualTo("fixed AA + none");
    }

    @Test
    void everySourceIsAskedTheSameQuestion() {
        RecordingLocator recording = new RecordingLocator(GeoLocation::unknown);

        new CompositeGeoLocator(Arrays.asList(recording, recording)).locate(IpPrefix.parse("81.2.69.0/24"));

        assertThat(recording.asked).containsExactly(IpPrefix.parse("81.2.69.0/24"), IpPrefix.parse("81.2.69.0/24"));
    }

    /** A source whose entry is {@code network}, answering for the client's network truncated to that length. */
    /** A source with the given entry (null: none) whose answer holds for {@code holds}. */
    private static GeoLocator answering(String name, IpPrefix entry, IpPrefix holds) {
        GeoLocation location = entry == null ? GeoLocation.unknown(holds)
                : new GeoLocation(1, 2, name, holds, entry.length());
        return new GeoLocator() {
            @Override
            public GeoLocation locate(IpPrefix client) {
                return location;
            }

            @Override
            public String describe() {
                return "answering " + name;
            }
        };
    }

    private static GeoLocator fixed(String name, String network) {
        IpPrefix entry = IpPrefix.parse(network);
        return new GeoLocator() {
            @Override
            public GeoLocation locate(IpPrefix client) {
                return new GeoLocation(1, 2, name, client.truncate(entry.length()), entry.length());
            }

            @Override
            public String describe() {
                return "fixed " + name;
            }
        };
    }
}
