package io.wayfinder.traffic;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Traffic View in the data directory: the summaries, written whole to a temporary file, flushed to
 * disk and renamed over the previous one, so that a crash at any moment leaves the previous file
 * or the new one, never half of either.
 *
 * <pre>
 *   "WFTV" | int version (1) | long savedAtMillis | int profiles
 *     per profile: UTF name | double total | int entries
 *       per entry: long network | double queries, error, rttMsWeighted, rttWeight
 *                  | UTF endpoint ("" for none) | UTF region ("" for none)
 *                  | byte addressKind | long addressHi, addressLo | long lastSeenMillis
 *   | long CRC-32 of everything before it
 * </pre>
 *
 * What it holds is what the summaries hold: networks (/24, /48), counts, endpoint and region names,
 * RTT estimates, and per network one resolver address (never a client's: an ECS network's address
 * is not stored, its first host stands in when asked).
 */
final class TrafficFile {
    private static final int MAGIC = 0x57465456; // "WFTV"
    private static final int VERSION = 1;
    /** More than any configuration would make: a larger count means the file is not ours or damaged. */
    private static final int MAX_COUNT = 10_000_000;

    /** What a file held: when it was saved, and the summaries by profile name. */
    record Contents(long savedAtMillis, Map<String, TrafficSummary> profiles) {
    }

    private TrafficFile() {
    }

    static void write(Path file, long savedAtMillis, Map<String, TrafficSummary> profiles) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32 crc = new CRC32();
        try (OutputStream raw = Files.newOutputStream(temp);
             DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(savedAtMillis);
            out.writeInt(profiles.size());
            for (Map.Entry<String, TrafficSummary> p : profiles.entrySet()) {
                TrafficSummary s = p.getValue();
                out.writeUTF(p.getKey());
                out.writeDouble(s.total);
                out.writeInt(s.size());
                for (TrafficSummary.Entry e : s.entries()) {
                    out.writeLong(e.network);
                    out.writeDouble(e.queries);
                    out.writeDouble(e.error);
                    out.writeDouble(e.rttMsWeighted);
                    out.writeDouble(e.rttWeight);
                    out.writeUTF(e.endpoint == null ? "" : e.endpoint);
                    out.writeUTF(e.region == null ? "" : e.region);
                    out.writeByte(e.addressKind);
                    out.writeLong(e.addressHi);
                    out.writeLong(e.addressLo);
                    out.writeLong(e.lastSeenMillis);
                }
            }
            out.flush();
            new DataOutputStream(raw).writeLong(crc.getValue());
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads a file {@link #write} wrote.
     *
     * @param capacity each summary's capacity now (a smaller one keeps the largest entries)
     * @throws IOException when it cannot be read, or is not such a file, or is damaged (checksum)
     */
    static Contents read(Path file, int capacity) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            if (in.readInt() != MAGIC) {
                throw new IOException("not a Traffic View file");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("version " + version + " (this Wayfinder reads version " + VERSION + ")");
            }
            long savedAt = in.readLong();
            int profiles = count(in.readInt());
            Map<String, TrafficSummary> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int p = 0; p < profiles; p++) {
                String name = in.readUTF();
                TrafficSummary s = new TrafficSummary(capacity);
                s.total = in.readDouble();
                int entries = count(in.readInt());
                for (int k = 0; k < entries; k++) {
                    TrafficSummary.Entry e = new TrafficSummary.Entry(in.readLong());
                    e.queries = in.readDouble();
                    e.error = in.readDouble();
                    e.rttMsWeighted = in.readDouble();
                    e.rttWeight = in.readDouble();
                    e.endpoint = emptyAsNull(in.readUTF());
                    e.region = emptyAsNull(in.readUTF());
                    e.addressKind = in.readByte();
                    e.addressHi = in.readLong();
                    e.addressLo = in.readLong();
                    e.lastSeenMillis = in.readLong();
                    s.restore(e);
                }
                s.trimTo(capacity);
                out.put(name, s);
            }
            long expected = crc.getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected) {
                throw new IOException("damaged: its checksum does not match");
            }
            return new Contents(savedAt, out);
        } catch (EOFException e) {
            throw new IOException("damaged: it ends early", e);
        }
    }

    private static int count(int n) throws IOException {
        if (n < 0 || n > MAX_COUNT) {
            throw new IOException("damaged: a count of " + n);
        }
        return n;
    }

    private static String emptyAsNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
