package io.wayfinder.latency;

import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.source.CsvLines;
import io.wayfinder.source.SourceFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The reader as it was before issue 13 (every row split and parsed into objects), kept as the oracle of LatencyBuildEquivalenceTest.
 *
 * Reads latency measurements from CSV: {@code prefix,region,rtt_ms[,samples]} with a header line,
 * IPv4 and IPv6 prefixes of any length, each written with its length; {@code #} starts a comment
 * line. Every region must be in the catalogue, by name or display name (a figure for a region no
 * endpoint can be in is a typo, not data). Every bad row is reported, up to {@link CsvLines#MAX_REPORTED}.
 */
final class ReferenceLatencyCsvReader {
    private final RegionCatalogue regions;

    public ReferenceLatencyCsvReader(RegionCatalogue regions) {
        this.regions = regions;
    }

    /** Adds every row of the file to the builder; returns the number of rows read. */
    public int read(Path file, ReferenceLatencyTableBuilder into) throws IOException {
        int rows = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvLines lines = new CsvLines(file, in);
            lines.expectHeader("prefix", "region", "rtt_ms");
            String[] f;
            while ((f = lines.next()) != null) {
                try {
                    add(lines, f, into);
                    rows++;
                } catch (SourceFormatException e) {
                    lines.reject(e);
                }
            }
            lines.throwIfRejected();
        } catch (NoSuchFileException e) {
            throw new SourceFormatException(file + ": no such file");
        }
        return rows;
    }

    /** One row into the builder, or the row's error. */
    private void add(CsvLines lines, String[] f, ReferenceLatencyTableBuilder into) throws SourceFormatException {
        if (f.length < 3 || f.length > 4) {
            throw lines.error("expected prefix,region,rtt_ms[,samples], got " + f.length + " fields");
        }
        IpPrefix prefix = lines.prefix(f[0]);
        String written = f[1].strip();
        // Azure's display names too ("West Europe"); the table keeps the catalogue's name.
        Region region = regions.find(written).orElseThrow(() -> lines.error("unknown region '" + written + "'"
                + regions.suggest(written).map(s -> " (did you mean '" + s + "'?)").orElse("")));
        double rtt = lines.number(f[2], "rtt_ms", 0, LatencyTable.MAX_RTT_MS);
        double samplesValue = f.length == 4 ? lines.number(f[3], "samples", 1, Integer.MAX_VALUE) : 1;
        if (samplesValue != Math.rint(samplesValue)) {
            throw lines.error("samples " + f[3].strip() + " is not a whole number");
        }
        into.add(prefix, region.name(), rtt, (int) samplesValue);
    }
}
