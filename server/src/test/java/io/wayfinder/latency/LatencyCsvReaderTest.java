package io.wayfinder.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.source.SourceFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyCsvReaderTest {
    private static final RegionCatalogue REGIONS = RegionCatalogue.builtIn();

    @TempDir
    Path dir;

    @Test
    void readsIpv4AndIpv6RowsWithOptionalSamplesSkippingCommentsAndBlankLines() throws IOException {
        Path file = write("""
                # measured 2026-11
                Prefix,Region,RTT_ms,samples

                81.2.69.0/24,westeurope,12.5,4
                81.2.69.0/24,WestEurope,22.5
                2001:db8:1::/48, eastus ,90
                  # indented comment
                192.0.2.7/32,uksouth,3,1
                """);
        LatencyTableBuilder builder = new LatencyTableBuilder();

        int rows = new LatencyCsvReader(REGIONS).read(file, builder);
        LatencyTable table = builder.build();

        assertThat(rows).isEqualTo(4);
        assertThat(table.prefixCount()).isEqualTo(3);
        assertThat(table.regions()).containsExactly("westeurope", "eastus", "uksouth");
        assertThat(table.tenths(table.lookup(ip("81.2.69.7")), table.column("westeurope"))).isEqualTo((short) 145);
        assertThat(table.tenths(table.lookup(ip("2001:db8:1::1")), table.column("eastus"))).isEqualTo((short) 900);
        assertThat(table.entryLength(table.lookup(ip("192.0.2.7")))).isEqualTo(32);
        assertThat(table.totalSamples()).isEqualTo(7);
    }

    @Test
    void customRegionsAreAccepted() throws IOException {
        RegionCatalogue regions = REGIONS.with(List.of(new Region("dc-frankfurt", 50.11, 8.68, "custom", "Frankfurt DE")));
        Path file = write("prefix,region,rtt_ms\n10.0.0.0/8,dc-frankfurt,4\n");
        LatencyTableBuilder builder = new LatencyTableBuilder();

        new LatencyCsvReader(regions).read(file, builder);

        assertThat(builder.build().regions()).containsExactly("dc-frankfurt");
    }

    @ParameterizedTest(name = "[{index}] line {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            prefix,region,rtt_ms\\n10.0.0.0/33,eastus,5                     | 2 | prefix length must be 0-32
            prefix,region,rtt_ms\\n10.0.0.1/24,eastus,5                     | 2 | host bits
            prefix,region,rtt_ms\\n# c\\n\\nexample.com,eastus,5            | 4 | 'example.com' is not an IPv4 or IPv6 address
            prefix,region,rtt_ms\\n10.0.0.0/8,westeurop,5                   | 2 | unknown region 'westeurop' (did you mean 'westeurope'?)
            prefix,region,rtt_ms\\n10.0.0.0/8,uk-south-9,5\\n               | 2 | unknown region 'uk-south-9'
            prefix,region,rtt_ms\\n10.0.0.0/8,eastus,fast                   | 2 | rtt_ms 'fast' is not a number
            prefix,region,rtt_ms\\n10.0.0.0/8,eastus,-1                     | 2 | rtt_ms -1 is outside 0..60000
            prefix,region,rtt_ms\\n10.0.0.0/8,eastus,60001                  | 2 | rtt_ms 60001 is outside 0..60000
            prefix,region,rtt_ms\\n10.0.0.0/8,eastus,NaN                    | 2 | rtt_ms NaN is outside
            prefix,region,rtt_ms\\n10.0.0.0/8,eastus,5,0                    | 2 | samples 0 is outside 1..
            prefix,region,rtt_ms\\n10.0.0.0/8,eastus,5,many                 | 2 | samples 'many' is not a number
            prefix,region,rtt_ms\\n10.0.0.0/8,eastus,5,3e9                  | 2 | samples 3e9 is outside
            prefix,region,rtt_ms\\n10.0.0.0/8,eastus                        | 2 | expected prefix,region,rtt_ms[,samples], got 2 fields
            prefix,region,rtt_ms\\n192.0.2.7,eastus,5                      | 2 | '192.0.2.7' has no prefix length: write 192.0.2.7/32 for one address
            prefix,region,rtt_ms\\n2001:db8::1,eastus,5                    | 2 | write 2001:db8::1/128 for one address
            prefix,region,rtt_ms\\n10.0.0.0/8,eastus,5,1,x                  | 2 | got 5 fields
            prefix,region,rtt_ms\\n10.0.0.0/8,eastus,5\\n\\n11.0.0.0/8,eastus,5\\n12.0.0.0/8,eastus | 5 | got 2 fields
            region,prefix,rtt_ms\\n10.0.0.0/8,eastus,5                      | 1 | expected a header line starting with prefix,region,rtt_ms
            10.0.0.0/8,eastus,5                                             | 1 | expected a header line
            "# only a comment\\nprefix,region"                              | 2 | expected a header line
            """)
    void errorsNameTheFileAndLine(String content, int line, String message) throws IOException {
        Path file = write(content.replace("\\n", "\n"));

        assertThatThrownBy(() -> new LatencyCsvReader(REGIONS).read(file, new LatencyTableBuilder()))
                .isInstanceOf(SourceFormatException.class)
                .hasMessageStartingWith(file + ":" + line + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void azureDisplayNamesAreReadAsTheirRegion() throws IOException {
        Path file = write("prefix,region,rtt_ms\n81.2.69.0/24,West Europe,10\n81.2.69.0/24,westeurope,20\n"
                + "1.0.16.0/24,SOUTHEAST ASIA,30\n");
        LatencyTableBuilder builder = new LatencyTableBuilder();

        new LatencyCsvReader(REGIONS).read(file, builder);
        LatencyTable table = builder.build();

        assertThat(table.regions()).containsExactly("westeurope", "southeastasia");
        assertThat(table.tenths(table.lookup(ip("81.2.69.1")), table.column("westeurope"))).isEqualTo((short) 150);
    }

    @Test
    void everyBadRowIsReportedWithItsLine() throws IOException {
        Path file = write("prefix,region,rtt_ms\n10.0.0.0/8,eastus,5\n10.0.0.1/8,eastus,5\n11.0.0.0/8,westeurop,5\n"
                + "12.0.0.0/8,eastus,5\n13.0.0.7,eastus,fast\n");

        assertThatThrownBy(() -> new LatencyCsvReader(REGIONS).read(file, new LatencyTableBuilder()))
                .isInstanceOfSatisfying(SourceFormatException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).startsWith(file + ":3: ").contains("host bits"),
                        p -> assertThat(p).startsWith(file + ":4: unknown region 'westeurop'"),
                        p -> assertThat(p).startsWith(file + ":6: '13.0.0.7' has no prefix length")));
    }

    @Test
    void badRowsBeyondTwentyAreCounted() throws IOException {
        StringBuilder csv = new StringBuilder("prefix,region,rtt_ms\n");
        for (int i = 0; i < 25; i++) {
            csv.append("10.0.").append(i).append(".0/24,eastus,slow\n");
        }
        Path file = write(csv.toString());

        assertThatThrownBy(() -> new LatencyCsvReader(REGIONS).read(file, new LatencyTableBuilder()))
                .isInstanceOfSatisfying(SourceFormatException.class, e -> {
                    assertThat(e.problems()).hasSize(21);
                    assertThat(e.problems().get(19)).startsWith(file + ":21: rtt_ms 'slow'");
                    assertThat(e.problems().get(20)).isEqualTo(file + ": and 5 more bad rows");
                });
    }

    @Test
    void unknownRegionWithNothingCloseHasNoSuggestion() throws IOException {
        Path file = write("prefix,region,rtt_ms\n10.0.0.0/8,qqqqqqqqqqqq,5\n");

        assertThatThrownBy(() -> new LatencyCsvReader(REGIONS).read(file, new LatencyTableBuilder()))
                .hasMessage(file + ":2: unknown region 'qqqqqqqqqqqq'");
    }

    @Test
    void fractionalSamplesAreRejected() throws IOException {
        Path file = write("prefix,region,rtt_ms,samples\n10.0.0.0/8,eastus,5,2.5\n");

        assertThatThrownBy(() -> new LatencyCsvReader(REGIONS).read(file, new LatencyTableBuilder()))
                .isInstanceOf(SourceFormatException.class)
                .hasMessageStartingWith(file + ":2: ")
                .hasMessageContaining("samples");
    }

    @Test
    void emptyFileNamesTheFile() throws IOException {
        Path file = write("# nothing here\n\n");

        assertThatThrownBy(() -> new LatencyCsvReader(REGIONS).read(file, new LatencyTableBuilder()))
                .isInstanceOf(SourceFormatException.class)
                .hasMessageStartingWith(file + ": empty file");
    }

    @Test
    void missingFileNamesTheFile() {
        Path file = dir.resolve("absent.csv");

        assertThatThrownBy(() -> new LatencyCsvReader(REGIONS).read(file, new LatencyTableBuilder()))
                .isInstanceOf(SourceFormatException.class)
                .hasMessage(file + ": no such file");
    }

    @Test
    void headerOnlyReadsNothing() throws IOException {
        Path file = write("prefix,region,rtt_ms,samples,source\n");
        LatencyTableBuilder builder = new LatencyTableBuilder();

        assertThat(new LatencyCsvReader(REGIONS).read(file, builder)).isZero();
        assertThat(builder.prefixCount()).isZero();
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("latency.csv"), content);
    }

    private static IpPrefix ip(String text) {
        return IpPrefix.parse(text);
    }
}
