package io.wayfinder.geo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Damages MaxMind DB files written by {@link MmdbTestWriter} the way a bad disk or a bad copy
 * would, for tests of what the server does with them.
 */
public final class CorruptMmdb {
    /** A value records can carry so that {@link #breakValuesMarked} finds them. */
    public static final String MARKER = "corrupt-here";

    private CorruptMmdb() {
    }

    /** City-layout data at these coordinates that carries the {@link #MARKER}. */
    public static Map<String, Object> markedCity(double latitude, double longitude, String country) {
        return Map.of("country", Map.of("iso_code", country),
                "location", Map.of("latitude", latitude, "longitude", longitude),
                "note", MARKER);
    }

    /**
     * Turns the type byte of every {@link #MARKER} string into a 4-byte pointer far past the end of
     * the file, so that decoding any record holding it fails while the tree and metadata stay sound.
     */
    public static void breakValuesMarked(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        int found = 0;
        for (int i = 1; i + marker.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length)) {
                bytes[i - 1] = 0x3F; // type 1 (pointer), size bits 11: a 4-byte pointer
                found++;
            }
        }
        if (found == 0) {
            throw new IllegalArgumentException(file + " holds no " + MARKER + " value");
        }
        Files.write(file, bytes);
    }
}
