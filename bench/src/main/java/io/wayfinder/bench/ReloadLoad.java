package io.wayfinder.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady, open-loop UDP query load with per-second latency percentiles, for
 * {@code bench/reload/run.sh}: what a reload or a start-up does to the answers' latency, not how
 * many queries a server can take (that is dnsperf's job, and dnsperf prints no percentiles).
 *
 * <p>Sends A queries for one name with an ECS option whose /24 is drawn from the table's own
 * prefixes (the CSV's first column), at a fixed rate in 1 ms ticks, from one thread; another thread
 * receives. The query ID indexes the send time, so the loop allocates nothing. Every second it
 * prints one line: wall time (epoch ms at the end of the second), queries sent, answers received,
 * and p50/p99/max latency in ms of the answers received in that second (a stalled server shows as
 * a second with few answers followed by one with late ones). An answer later than 65,536 queries
 * is not matched (13 s at 5,000 q/s) and counts as lost.
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar io.wayfinder.bench.ReloadLoad --port P --name www.routed.test
 *       --csv latency.csv [--rate 5000] [--seconds 60] [--stop-file F] [--raw FILE] [--wait-ready-ms N]
 * </pre>
 * {@code --raw FILE}: also writes every answer, at the end, as {@code receive-epoch-ms latency-us}
 * lines, for percentiles over any window (kept in two {@code int} arrays meanwhile).
 * {@code --wait-ready-ms N}: instead of a load, asks once every 10 ms until an answer comes (or N
 * ms pass) and prints the epoch ms of the first answer: the end of a start-up.
 */
public final class ReloadLoad {
    private static final int IDS = 65_536;

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 0;
        String name = "www.routed.test";
        Path csv = null;
        int rate = 5000;
        int seconds = 60;
        Path stopFile = null;
        Path raw = null;
        long waitReadyMs = -1;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--name" -> name = v;
                case "--csv" -> csv = Path.of(v);
                case "--rate" -> rate = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--stop-file" -> stopFile = Path.of(v);
                case "--raw" -> raw = Path.of(v);
                case "--wait-ready-ms" -> waitReadyMs = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        InetSocketAddress server = new InetSocketAddress(host, port);
        if (waitReadyMs >= 0) {
            System.exit(waitReady(server, name, waitReadyMs) ? 0 : 3);
        }
        List<byte[]> queries = queries(name, csv, 1 << 16);
        ReloadLoad load = new ReloadLoad(rate, seconds);
        load.run(server, queries, rate, seconds, stopFile, System.out);
        if (raw != null) {
            load.writeRaw(raw);
        }
    }

    /** Asks until the first answer; prints its epoch ms. */
    private static boolean waitReady(InetSocketAddress server, String name, long timeoutMs) throws IOException {
        byte[] q = query(name, 0x0A000001); // 10.0.0.1: any answer will do
        long deadline = System.currentTimeMillis() + timeoutMs;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(server);
            ch.socket().setSoTimeout(10);
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (System.currentTimeMillis() < deadline) {
                ch.write(ByteBuffer.wrap(q));
                in.clear();
                try {
                    // A socket timeout needs the blocking socket adaptor's receive.
                    java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[4096], 4096);
                    ch.socket().receive(p);
                    System.out.println(System.currentTimeMillis());
                    return true;
                } catch (SocketTimeoutException | java.net.PortUnreachableException e) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
        }
        return false;
    }

    /** Up to {@code count} queries for random /24s of the CSV's prefixes (its first column). */
    static List<byte[]> queries(String name, Path csv, int count) throws IOException {
        List<Integer> nets = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line;
            String last = "";
            while ((line = in.readLine()) != null) {
                if (line.isEmpty() || line.charAt(0) == '#' || line.startsWith("prefix")) {
                    continue;
                }
                String prefix = line.substring(0, line.indexOf(','));
                if (prefix.equals(last) || prefix.indexOf(':') >= 0) {
                    continue;
                }
                last = prefix;
                String[] octets = prefix.substring(0, prefix.indexOf('/')).split("\\.");
                nets.add(Integer.parseInt(octets[0]) << 24 | Integer.parseInt(octets[1]) << 16
                        | Integer.parseInt(octets[2]) << 8);
            }
        }
        if (nets.isEmpty()) {
            throw new IOException(csv + ": no IPv4 prefixes");
        }
        Random random = new Random(13);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(query(name, nets.get(random.nextInt(nets.size()))));
        }
        return out;
    }

    /** An A query with EDNS and an ECS option for the /24 of {@code ipv4}; ID 0. */
    static byte[] query(String name, int ipv4) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) 0).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 1);
        for (String label : name.split("\\.")) {
            b.put((byte) label.length()).put(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.put((byte) 0).putShort((short) 1).putShort((short) 1);
        // OPT: root name, type 41, UDP size 1232, no extended flags, RDATA = ECS option (code 8).
        b.put((byte) 0).putShort((short) 41).putShort((short) 1232).putInt(0);
        b.putShort((short) 11).putShort((short) 8).putShort((short) 7)
                .putShort((short) 1).put((byte) 24).put((byte) 0)
                .put((byte) (ipv4 >>> 24)).put((byte) (ipv4 >>> 16)).put((byte) (ipv4 >>> 8));
        return Arrays.copyOf(b.array(), b.position());
    }

    private final long[] sentAt = new long[IDS];
    /** Every answer: when it came (ms since the start) and its latency (µs); written by the receiver only. */
    private final int[] rawAt;
    private final int[] rawMicros;
    private int rawCount;
    private long startWallMillis;

    private ReloadLoad(int rate, int seconds) {
        int capacity = (int) Math.min(Integer.MAX_VALUE - 16, (long) rate * (seconds + 10));
        rawAt = new int[capacity];
        rawMicros = new int[capacity];
    }

    private void writeRaw(Path file) throws IOException {
        try (PrintStream out = new PrintStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (int i = 0; i < rawCount; i++) {
                out.print(startWallMillis + rawAt[i]);
                out.print(' ');
                out.println(rawMicros[i]);
            }
        }
    }

    private void run(InetSocketAddress server, List<byte[]> queries, int rate, int seconds, Path stopFile,
                     PrintStream out) throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.connect(server);
        ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        int[] sentPerSecond = new int[seconds + 2];
        long start = System.nanoTime();
        long startWall = System.currentTimeMillis();
        startWallMillis = startWall;
        Thread receiver = new Thread(() -> receive(ch, start, startWall, seconds, sentPerSecond, out), "receiver");
        receiver.setDaemon(true);
        receiver.start();

        ByteBuffer[] packets = new ByteBuffer[queries.size()];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = ByteBuffer.allocateDirect(queries.get(i).length).put(queries.get(i));
        }
        long tick = TimeUnit.MILLISECONDS.toNanos(1);
        long sent = 0;
        for (long t = 0; ; t++) {
            long due = start + t * tick;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            int second = (int) ((now - start) / 1_000_000_000L);
            if (second >= seconds || (stopFile != null && t % 100 == 0 && Files.exists(stopFile))) {
                break;
            }
            long target = (t + 1) * rate / 1000;
            for (; sent < target; sent++) {
                int id = (int) (sent & 0xFFFF);
                ByteBuffer p = packets[(int) (sent % packets.length)];
                p.putShort(0, (short) id);
                p.clear();
                sentAt[id] = System.nanoTime();
                ch.write(p);
                sentPerSecond[second]++;
            }
        }
        Thread.sleep(2000); // late answers
        ch.close(); // ends the receiver's blocking receive
        receiver.join(5000);
    }

    private void receive(DatagramChannel ch, long start, long startWall, int seconds, int[] sentPerSecond,
                         PrintStream out) {
        ByteBuffer in = ByteBuffer.allocateDirect(4096);
        long[] micros = new long[1 << 20];
        int n = 0;
        int second = 0;
        out.println("# wall_ms second sent received p50_ms p99_ms max_ms");
        try {
            // Blocking: the thread sleeps in the kernel until an answer comes, as a client's would.
            // A poll with short parks (as before) added its own delay to every answer and woke the
            // thread some 20,000 times a second, which on two cores competed with the server.
            while (true) {
                in.clear();
                ch.receive(in);
                long now = System.nanoTime();
                int s = (int) ((now - start) / 1_000_000_000L);
                while (s > second) {
                    print(out, startWall, second, second < sentPerSecond.length ? sentPerSecond[second] : 0, micros, n);
                    n = 0;
                    second++;
                }
                if (in.position() >= 2) {
                    int id = in.getShort(0) & 0xFFFF;
                    long at = sentAt[id];
                    if (at != 0 && n < micros.length) {
                        micros[n++] = (now - at) / 1000;
                        sentAt[id] = 0;
                        if (rawCount < rawAt.length) {
                            rawAt[rawCount] = (int) ((now - start) / 1_000_000);
                            rawMicros[rawCount++] = (int) ((now - at) / 1000);
                        }
                    }
                }
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            // the sender closed the channel: the run is over
        } catch (IOException e) {
            out.println("# receiver: " + e);
        }
        print(out, startWall, second, second < sentPerSecond.length ? sentPerSecond[second] : 0, micros, n);
    }

    private static void print(PrintStream out, long startWall, int second, int sent, long[] micros, int n) {
        Arrays.sort(micros, 0, n);
        out.printf("%d %d %d %d %.3f %.3f %.3f%n", startWall + (second + 1) * 1000L, second, sent, n,
                n == 0 ? 0 : micros[(int) (n * 0.50)] / 1000.0,
                n == 0 ? 0 : micros[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1000.0,
                n == 0 ? 0 : micros[n - 1] / 1000.0);
        out.flush();
    }
}
