package io.wayfinder.dns.wire;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** Converts names between text and uncompressed wire format. For configuration and tests, not the query path. */
public final class WireNames {
    private WireNames() {
    }

    /**
     * {@code "www.Example.test"} to lower-case wire format ending with the root label.
     *
     * @throws IllegalArgumentException for empty labels or labels over 63 bytes, or names over 255
     */
    public static byte[] toWire(String name) {
        String s = name.toLowerCase(Locale.ROOT);
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!s.isEmpty()) {
            for (String label : s.split("\\.", -1)) {
                byte[] bytes = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                if (bytes.length == 0 || bytes.length > 63) {
                    throw new IllegalArgumentException("'" + name + "' has a label of " + bytes.length + " bytes");
                }
                out.write(bytes.length);
                out.write(bytes, 0, bytes.length);
            }
        }
        out.write(0);
        if (out.size() > DnsQuery.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("'" + name + "' is longer than 255 bytes in wire format");
        }
        return out.toByteArray();
    }

    /** An uncompressed wire name to text without the trailing dot ("" for the root). */
    public static String toText(byte[] wire, int offset) {
        StringBuilder sb = new StringBuilder();
        int i = offset;
        while (wire[i] != 0) {
            int len = wire[i];
            if (sb.length() > 0) {
                sb.append('.');
            }
            for (int k = 1; k <= len; k++) {
                char c = (char) (wire[i + k] & 0xFF);
                if (c == '.' || c == '\\' || c <= ' ' || c >= 127) {
                    sb.append(String.format("\\%03d", (int) c));
                } else {
                    sb.append(c);
                }
            }
            i += len + 1;
        }
        return sb.toString();
    }
}
