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

/**
 * Reads latency measurements from CSV: {@code prefix,region,rtt_ms[,samples]} with a header line,
 * IPv4 and IPv6 prefixes of any length, each written with its length; {@code #} starts a comment
 * line. Every region must be in the catalogue, by name or display name (a figure for a region no
 * endpoint can be in is a typo, not data). Every bad row is reported, up to {@link CsvLines#MAX_REPORTED}.
 *
 * <p>Speed: a table may have millions of rows, read at start-up and on every reload while queries
 * are answered. The common row ({@code 192.0.2.0/24,westeurope,12.5[,100]}: an IPv4 prefix in
 * canonical form, a region written as before, a plain decimal) is parsed in place, with no object
 * but the line; any other row, IPv6 or a bad one, takes the general path, which gives the same
 * figures and every error message. Both paths give the same table (a test compares them).
 */
public final class LatencyCsvReader {
    /** Powers of ten that are exact doubles: a decimal of at most 15 digits divided by one is correctly rounded. */
    private static final double[] POWERS_OF_TEN = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
            1e13, 1e14, 1e15};
    private static final int MAX_DECIMAL_DIGITS = 15;
    /** Region spellings remembered for the fast path; a file with more takes the general path for the rest. */
    private static final int MAX_SPELLINGS = 64;

    private final RegionCatalogue regions;
    /** Region fields as written (unstripped) and their regions, for the fast path; filled as they are met. */
    private final String[] spellings = new String[MAX_SPELLINGS];
    private final Region[] spelled = new Region[MAX_SPELLINGS];
    private int spellingCount;

    public LatencyCsvReader(RegionCatalogue regions) {
        this.regions = regions;
    }

    /** Adds every row of the file to the builder; returns the number of rows read. */
    public int read(Path file, LatencyTableBuilder into) throws IOException {
        int rows = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvLines lines = new CsvLines(file, in);
            lines.expectHeader("prefix", "region", "rtt_ms");
            String line;
            while ((line = lines.nextLine()) != null) {
                try {
                    if (!addCommonRow(line, into)) {
                        add(lines, lines.split(line), into);
                    }
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

    /**
     * Adds the row if it is a common one: {@code a.b.c.d/len,region,rtt[,samples]} with decimal
     * octets and length without leading zeros, host bits clear, a region spelling met before (or
     * known to the catalogue), an RTT of digits with at most one point and 15 digits, within range,
     * and samples of 1 to 9 digits without a leading zero. Anything else returns false, untouched.
     */
    private boolean addCommonRow(String line, LatencyTableBuilder into) {
        long address = 0;
        int i = 0;
        for (int octet = 0; octet < 4; octet++) {
            int end = decimalEnd(line, i, 3);
            int value = end < 0 ? 256 : Integer.parseInt(line, i, end, 10);
            if (value > 255 || line.charAt(end) != (octet < 3 ? '.' : '/')) {
                return false;
            }
            address = address << 8 | value;
            i = end + 1;
        }
        int end = decimalEnd(line, i, 2);
        int length = end < 0 ? 33 : Integer.parseInt(line, i, end, 10);
        if (length > 32 || line.charAt(end) != ',' || (address & ~IpPrefix.ipv4Mask(length) & 0xFFFF_FFFFL) != 0) {
            return false;
        }
        return addCommonRest(line, end + 1, address, length, into);
    }

    /**
     * Where the digits from {@code i} end: 1 to {@code max} of them, no leading zero, followed by
     * another character; -1 when they are not so.
     */
    private static int decimalEnd(String line, int i, int max) {
        int end = i;
        while (end < line.length() && end - i <= max && line.charAt(end) >= '0' && line.charAt(end) <= '9') {
            end++;
        }
        boolean ok = end > i && end - i <= max && end < line.length() && (end - i == 1 || line.charAt(i) != '0');
        return ok ? end : -1;
    }

    /** The region, RTT and samples of a common row whose prefix is parsed ({@link #addCommonRow}). */
    private boolean addCommonRest(String line, int i, long address, int length, LatencyTableBuilder into) {
        int n = line.length();
        int comma = line.indexOf(',', i);
        if (comma < 0) {
            return false;
        }
        Region region = spelledRegion(line, i, comma);
        if (region == null) {
            return false;
        }
        i = comma + 1;
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < n; i++) {
            char ch = line.charAt(i);
            if (ch >= '0' && ch <= '9') {
                mantissa = mantissa * 10 + (ch - '0');
                digits++;
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (ch == '.' && fraction < 0 && digits > 0) {
                fraction = 0;
            } else {
                break;
            }
        }
        if (digits == 0 || digits > MAX_DECIMAL_DIGITS || fraction == 0) {
            return false;
        }
        double rtt = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
        if (!(rtt <= LatencyTable.MAX_RTT_MS)) {
            return false;
        }
        int samples = 1;
        if (i < n) {
            if (line.charAt(i) != ',' || i + 1 >= n || line.charAt(i + 1) == '0' || n - (i + 1) > 9) {
                return false;
            }
            samples = 0;
            for (i++; i < n; i++) {
                char ch = line.charAt(i);
                if (ch < '0' || ch > '9') {
                    return false;
                }
                samples = samples * 10 + (ch - '0');
            }
        }
        into.add(false, 0, address, length, region.name(), rtt, samples);
        return true;
    }

    /** The region of the field {@code line[from, to)}, from the spellings met so far; null for the general path. */
    private Region spelledRegion(String line, int from, int to) {
        int length = to - from;
        for (int k = 0; k < spellingCount; k++) {
            String s = spellings[k];
            if (s.length() == length && line.regionMatches(from, s, 0, length)) {
                return spelled[k];
            }
        }
        if (spellingCount == MAX_SPELLINGS) {
            return null;
        }
        String written = line.substring(from, to);
        Region region = regions.find(written.strip()).orElse(null);
        if (region != null) {
            spellings[spellingCount] = written;
            spelled[spellingCount++] = region;
        }
        return region;
    }

    /** One row into the builder, or the row's error. */
    private void add(CsvLines lines, String[] f, LatencyTableBuilder into) throws SourceFormatException {
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
