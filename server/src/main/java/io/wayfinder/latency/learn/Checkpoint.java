package io.wayfinder.latency.learn;

import io.wayfinder.latency.learn.BorrowingModel.Trust;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The learner's state on disk: a versioned, checksummed binary file, written whole or not at all.
 *
 * <pre>
 *   "WFLEARN\n"                     8 bytes, magic
 *   int    version                  {@value #VERSION}
 *   int    regions, then each name  (modified UTF-8)
 *   double prior variance; long rebuilds; long dropped
 *   int    levels; per level: double offset variance, double region variance;
 *          double network variance; double noise variance
 *   int    networks; per network: long key, int cells;
 *          per cell: byte region, float weight, float mean, float M2, int minute,
 *          char floor (mean minus floor in hundredths of a ms, 0xFFFF for none; from version 2)
 *   int    pending samples; per sample: long key, byte region, float rtt, int minute
 *   long   CRC-32C of every byte above
 * </pre>
 *
 * Written to {@code <file>.tmp}, forced to disk, renamed over the file, and the directory forced,
 * so that a crash leaves the old file or the new one, never half of one. Read back exactly: the
 * floats are the store's own. A file that is not one, of another version, truncated, or whose
 * checksum does not match is refused with an {@link IOException} that names the file and says
 * which. (The previous table, which hysteresis compares with, is not kept: the first rebuild
 * after a restart publishes fresh figures, from the same evidence.)
 *
 * <p>Version 1 (before cells kept a floor, {@link FloorExcess}) is still read: its cells get no
 * floor, so their estimates are their means until new samples give them one (see {@link Fold}).
 */
final class Checkpoint {
    static final int VERSION = 2;
    /** The oldest version read: 1 lacks the cells' floors. */
    static final int OLDEST_VERSION = 1;
    private static final byte[] MAGIC = "WFLEARN\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    record State(List<String> regions, CellStore store, Journal pending, double priorVariance, Trust trust,
                 long rebuilds, long dropped) {
    }

    private Checkpoint() {
    }

    static void write(Path file, State s) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            CRC32C crc = new CRC32C();
            OutputStream raw = Channels.newOutputStream(channel);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 16));
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(s.regions().size());
            for (String r : s.regions()) {
                out.writeUTF(r);
            }
            out.writeDouble(s.priorVariance());
            out.writeLong(s.rebuilds());
            out.writeLong(s.dropped());
            Trust t = s.trust();
            out.writeInt(t.offsetVariance().length);
            for (int l = 0; l < t.offsetVariance().length; l++) {
                out.writeDouble(t.offsetVariance()[l]);
                out.writeDouble(t.regionVariance()[l]);
            }
            out.writeDouble(t.networkVariance());
            out.writeDouble(t.noiseVariance());
            CellStore store = s.store();
            out.writeInt(store.networkCount());
            for (int n = 0; n < store.networkCount(); n++) {
                out.writeLong(store.networkKey(n));
                int cells = 0;
                for (int c = store.firstCell(n); c != CellStore.NONE; c = store.nextCell(c)) {
                    cells++;
                }
                out.writeInt(cells);
                for (int c = store.firstCell(n); c != CellStore.NONE; c = store.nextCell(c)) {
                    out.writeByte(store.region(c));
                    out.writeFloat((float) store.weight(c));
                    out.writeFloat((float) store.mean(c));
                    out.writeFloat((float) store.m2(c));
                    out.writeInt(store.minute(c));
                    out.writeChar(store.gapCode(c));
                }
            }
            Journal p = s.pending();
            out.writeInt(p.size);
            for (int i = 0; i < p.size; i++) {
                out.writeLong(p.key[i]);
                out.writeByte(p.regionIndex(i));
                out.writeFloat(p.rttMs[i]);
                out.writeInt(p.minute[i]);
            }
            out.flush();
            long sum = crc.getValue();
            // The checksum itself goes after everything it covers.
            DataOutputStream tail = new DataOutputStream(raw);
            tail.writeLong(sum);
            tail.flush();
            channel.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for reading; the rename is then as durable as they make it.
        }
    }

    static void read(Path file, LearnedLatency into) throws IOException {
        long size = Files.size(file);
        if (size < MAGIC.length + 12) {
            throw new IOException(file + ": not a Wayfinder latency checkpoint (only " + size + " bytes)");
        }
        CRC32C crc = new CRC32C();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            // Everything but the last 8 bytes is checksummed.
            InputStream body = new BoundedInputStream(raw, size - 8);
            DataInputStream in = new DataInputStream(new CheckedInputStream(body, crc));
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not a Wayfinder latency checkpoint (wrong magic bytes)");
            }
            int version = in.readInt();
            if (version < OLDEST_VERSION || version > VERSION) {
                throw new IOException(file + ": latency checkpoint version " + version + ", this Wayfinder reads versions "
                        + OLDEST_VERSION + " to " + VERSION);
            }
            State state;
            try {
                state = body(in, version);
            } catch (EOFException e) {
                throw new IOException(file + ": latency checkpoint is truncated or damaged (it ends early)", e);
            } catch (RuntimeException e) {
                throw new IOException(file + ": latency checkpoint is damaged (" + e.getMessage() + ")", e);
            }
            if (in.read() != -1) {
                throw new IOException(file + ": latency checkpoint is damaged (bytes after the state)");
            }
            long expected = new DataInputStream(raw).readLong();
            if (expected != crc.getValue()) {
                throw new IOException(file + ": latency checkpoint is damaged (checksum mismatch)");
            }
            into.restoreFrom(state);
        }
    }

    private static State body(DataInputStream in, int version) throws IOException {
        int regions = count(in.readInt(), LearnedLatency.MAX_REGIONS, "regions");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < regions; i++) {
            names.add(in.readUTF());
        }
        double prior = in.readDouble();
        long rebuilds = in.readLong();
        long dropped = in.readLong();
        int levels = count(in.readInt(), 16, "levels");
        double[] o = new double[levels];
        double[] u = new double[levels];
        for (int l = 0; l < levels; l++) {
            o[l] = in.readDouble();
            u[l] = in.readDouble();
        }
        Trust trust = new Trust(o, u, in.readDouble(), in.readDouble());
        int networks = count(in.readInt(), Integer.MAX_VALUE, "networks");
        CellStore store = new CellStore(networks, networks);
        for (int n = 0; n < networks; n++) {
            int network = store.network(in.readLong());
            int cells = count(in.readInt(), 256, "cells of a network");
            for (int k = 0; k < cells; k++) {
                int region = in.readUnsignedByte();
                if (region >= regions) {
                    throw new IllegalStateException("a cell names region " + region + " of " + regions);
                }
                int cell = store.cell(network, region);
                float weight = in.readFloat();
                float mean = in.readFloat();
                float m2 = in.readFloat();
                int minute = in.readInt();
                char gap = version >= 2 ? in.readChar() : CellStore.NO_FLOOR;
                store.setCoded(cell, weight, mean, m2, minute, gap);
            }
        }
        int pending = count(in.readInt(), Integer.MAX_VALUE, "pending samples");
        Journal journal = new Journal(pending);
        for (int i = 0; i < pending; i++) {
            long key = in.readLong();
            int region = in.readUnsignedByte();
            journal.append(key, region, in.readFloat(), in.readInt(), Integer.MAX_VALUE);
        }
        return new State(names, store, journal, prior, trust, rebuilds, dropped);
    }

    private static int count(int n, int max, String what) {
        if (n < 0 || n > max) {
            throw new IllegalStateException(what + " count " + n + " is impossible");
        }
        return n;
    }

    /** Reads at most {@code limit} bytes of the underlying stream, leaving the rest in it. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
