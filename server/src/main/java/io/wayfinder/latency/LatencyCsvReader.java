package io.wayfinder.latency;

import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.source.ByteLines;
import io.wayfinder.source.CsvLines;
import io.wayfinder.source.SourceFormatException;
import io.wayfinder.time.CpuYield;
import java.io.IOException;
import java.io.InputStream;
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
    /** Rows read before the builder is sized for the rest of the file (enough for a stable bytes-per-row figure). */
    private static final int ROWS_BEFORE_ESTIMATE = 4096;

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
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            int prefixesBefore = into.prefixCount();
            ByteLines raw = new ByteLines(in);
            CsvLines lines = new CsvLines(file, raw::readLine);
            lines.expectHeader("prefix", "region", "rtt_ms");
            long headerBytes = raw.consumed();
            while (raw.advance()) {
                CpuYield.every(rows);
                if (rows == ROWS_BEFORE_ESTIMATE) {
                    // Size the builder's arrays once for the whole file, from the rows so far.
                    double bytesPerRow = (double) (raw.consumed() - headerBytes) / rows;
                    double more = (size - raw.consumed()) / bytesPerRow * 1.05;
                    double prefixesPerRow = (double) (into.prefixCount() - prefixesBefore) / rows;
                    into.expectMore((int) Math.min(Integer.MAX_VALUE, more), (int) Math.min(Integer.MAX_VALUE, more * prefixesPerRow));
                }
                if (addCommonRow(raw.bytes(), raw.start(), raw.end(), into)) {
                    lines.countLine();
                    rows++;
                    continue;
                }
                raw.keep(); // the general path reads it again, as text (or skips it, and the comments and blank lines after)
                String line = lines.nextLine();
                if (line == null) {
                    break;
                }
                try {
                    add(lines, lines.split(line), into);
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
     * Adds the row {@code line[from, to)} if it is a common one: {@code a.b.c.d/len,region,rtt[,samples]},
     * ASCII, with decimal octets and length without leading zeros, host bits clear, a region spelling
     * met before (or known to the catalogue), an RTT of digits with at most one point and 15 digits,
     * within range, and samples of 1 to 9 digits without a leading zero. Anything else returns false,
     * untouched: it may still be a good row (IPv6, spaces, {@code 1e2}) or a comment.
     */
    private boolean addCommonRow(byte[] line, int from, int to, LatencyTableBuilder into) {
        long address = 0;
        int i = from;
        for (int octet = 0; octet < 4; octet++) {
            int end = decimalEnd(line, i, to, 3);
            int value = end < 0 ? 256 : decimal(line, i, end);
            if (value > 255 || line[end] != (octet < 3 ? '.' : '/')) {
                return false;
            }
            address = address << 8 | value;
            i = end + 1;
        }
        int end = decimalEnd(line, i, to, 2);
        int length = end < 0 ? 33 : decimal(line, i, end);
        if (length > 32 || line[end] != ',' || (address & ~IpPrefix.ipv4Mask(length) & 0xFFFF_FFFFL) != 0) {
            return false;
        }
        i = end + 1;
        int comma = i;
        while (comma < to && line[comma] != ',') {
            comma++;
        }
        Region region = comma < to ? spelledRegion(line, i, comma) : null;
        if (region == null) {
            return false;
        }
        i = comma + 1;
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < to; i++) {
            byte ch = line[i];
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
        if (i < to) {
            int first = i + 1;
            if (line[i] != ',' || first == to || to - first > 9 || line[first] == '0') {
                return false;
            }
            samples = decimal(line, first, to);
            if (samples < 0) {
                return false;
            }
        }
        into.add(false, 0, address, length, region.name(), rtt, samples);
        return true;
    }

    /**
     * Where the digits from {@code i} end: 1 to {@code max} of them, no leading zero, followed by
     * another byte before {@code to}; -1 when they are not so.
     */
    private static int decimalEnd(byte[] line, int i, int to, int max) {
        int end = i;
        while (end < to && end - i <= max && line[end] >= '0' && line[end] <= '9') {
            end++;
        }
        boolean ok = end > i && end - i <= max && end < to && (end - i == 1 || line[i] != '0');
        return ok ? end : -1;
    }

    /** The value of the decimal digits {@code line[from, to)}, or -1 if one is not a digit. */
    private static int decimal(byte[] line, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = line[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** The region of the field {@code line[from, to)}, from the spellings met so far; null for the general path. */
    private Region spelledRegion(byte[] line, int from, int to) {
        int length = to - from;
        for (int k = 0; k < spellingCount; k++) {
            if (sameAscii(spellings[k], line, from, length)) {
                return spelled[k];
            }
        }
        if (spellingCount == MAX_SPELLINGS) {
            return null;
        }
        for (int i = from; i < to; i++) {
            if (line[i] < 0) {
                return null; // not ASCII: the general path decodes it
            }
        }
        String written = new String(line, from, length, StandardCharsets.US_ASCII);
        Region region = regions.find(written.strip()).orElse(null);
        if (region != null) {
            spellings[spellingCount] = written;
            spelled[spellingCount++] = region;
        }
        return region;
    }

    private static boolean sameAscii(String s, byte[] line, int from, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != line[from + i]) {
                return false;
            }
        }
        return true;
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
