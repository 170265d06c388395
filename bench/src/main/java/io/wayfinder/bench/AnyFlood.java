package io.wayfinder.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reflection flood on loopback for {@code bench/attack/any-flood.sh}: ANY queries with EDNS (a
 * 4,096-byte buffer, as amplification attacks ask for) sent at a fixed rate from one or many source
 * addresses, and every response counted, as the victims would receive them.
 *
 * <p>A real attacker forges the victim's address as the source; loopback cannot forge without raw
 * sockets, but every 127/8 address is a real local address on Linux, so each source here is a
 * socket bound to its own 127.a.b.1 (one /24 each): {@code --sources 1} is a reflection at one
 * victim, {@code --sources N} a flood spread over N networks. Bytes are DNS payloads (add 28 per
 * packet for IPv4 and UDP headers).
 *
 * <pre>
 *   java -cp benchmarks.jar io.wayfinder.bench.AnyFlood --server 127.0.0.1:PORT --name flood.test
 *       [--rate 40000] [--seconds 10] [--sources 1] [--type 255]
 *   java -cp benchmarks.jar io.wayfinder.bench.AnyFlood --server 127.0.0.1:PORT --name flood.test --probe
 * </pre>
 * Prints one line of {@code key=value}. Refuses any server or source that is not loopback.
 */
public final class AnyFlood {
    private static final int HEADER_AND_UDP = 28;

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = null;
        String name = null;
        int rate = 40_000;
        int seconds = 10;
        int sources = 1;
        int type = 255;
        boolean probe = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server" -> {
                    String v = args[++i];
                    int colon = v.lastIndexOf(':');
                    server = new InetSocketAddress(InetAddress.getByName(v.substring(0, colon).replace("[", "").replace("]", "")),
                            Integer.parseInt(v.substring(colon + 1)));
                }
                case "--name" -> name = args[++i];
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--sources" -> sources = Integer.parseInt(args[++i]);
                case "--type" -> type = Integer.parseInt(args[++i]);
                case "--probe" -> probe = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (server == null || name == null) {
            throw new IllegalArgumentException("--server and --name are required");
        }
        if (!server.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException(server + " is not a loopback address; refusing");
        }
        byte[] query = query(name, type);
        if (probe) {
            System.exit(probe(server, query) ? 0 : 1);
        }
        flood(server, query, rate, seconds, sources);
    }

    /** Whether the server answers one query within a second. */
    static boolean probe(InetSocketAddress server, byte[] query) throws IOException {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(1000);
            socket.send(new java.net.DatagramPacket(query, query.length, server));
            socket.receive(new java.net.DatagramPacket(new byte[4096], 4096));
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    static void flood(InetSocketAddress server, byte[] query, int rate, int seconds, int sources) throws Exception {
        List<DatagramChannel> channels = new ArrayList<>();
        Selector selector = Selector.open();
        for (int i = 0; i < sources; i++) {
            // One /24 per source: 127.0.0.2 for a single victim, else 127.(1 + i / 256).(i % 256).1.
            InetAddress source = sources == 1 ? InetAddress.getByName("127.0.0.2")
                    : InetAddress.getByAddress(new byte[] {127, (byte) (1 + i / 256), (byte) (i % 256), 1});
            if (!source.isLoopbackAddress()) {
                throw new IllegalArgumentException(source + " is not a loopback address; refusing");
            }
            DatagramChannel ch = DatagramChannel.open();
            ch.setOption(StandardSocketOptions.SO_RCVBUF, sources == 1 ? 8 << 20 : 256 << 10);
            ch.bind(new InetSocketAddress(source, 0));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            channels.add(ch);
        }
        AtomicLong received = new AtomicLong();
        AtomicLong bytesOut = new AtomicLong();
        AtomicLong truncated = new AtomicLong();
        AtomicLong[] rcodes = new AtomicLong[16];
        for (int i = 0; i < rcodes.length; i++) {
            rcodes[i] = new AtomicLong();
        }
        long[] largest = new long[1];
        Thread receiver = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    if (selector.select(200) == 0) {
                        continue;
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        DatagramChannel ch = (DatagramChannel) key.channel();
                        while (true) {
                            buffer.clear();
                            if (ch.receive(buffer) == null) {
                                break;
                            }
                            int length = buffer.position();
                            received.incrementAndGet();
                            bytesOut.addAndGet(length);
                            largest[0] = Math.max(largest[0], length);
                            if (length >= 4) {
                                if ((buffer.get(2) & 0x02) != 0) {
                                    truncated.incrementAndGet();
                                }
                                rcodes[buffer.get(3) & 0xF].incrementAndGet();
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                e.printStackTrace();
            }
        }, "any-flood-receiver");
        receiver.setDaemon(true);
        receiver.start();

        ByteBuffer packet = ByteBuffer.allocateDirect(query.length);
        long sent = 0;
        long sendErrors = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long perPacket = 1_000_000_000L / rate;
        long next = start;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            // Send everything that is due (catching up after a stall), then pause until the next one.
            while (next <= now && next < end) {
                packet.clear();
                packet.put(query).flip();
                // A fresh ID per query, as a flood would have.
                packet.putShort(0, (short) sent);
                try {
                    channels.get((int) (sent % sources)).send(packet, server);
                } catch (IOException e) {
                    sendErrors++;
                }
                sent++;
                next += perPacket;
            }
            long pause = next - System.nanoTime();
            if (pause > 20_000) {
                TimeUnit.NANOSECONDS.sleep(pause - 10_000);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Thread.sleep(1000); // the last answers
        receiver.interrupt();
        receiver.join(2000);
        for (DatagramChannel ch : channels) {
            ch.close();
        }
        long in = sent * query.length;
        long out = bytesOut.get();
        long got = received.get();
        System.out.printf(Locale.ROOT,
                "sources=%d seconds=%.1f sent=%d send_errors=%d query_bytes=%d bytes_in=%d received=%d truncated=%d"
                        + " noerror=%d refused=%d largest=%d bytes_out=%d amplification=%.2f"
                        + " amplification_with_headers=%.2f sent_per_s=%.0f reflected_per_s=%.0f"
                        + " in_mbit_s=%.2f reflected_mbit_s=%.2f%n",
                sources, elapsed, sent, sendErrors, query.length, in, got, truncated.get(),
                rcodes[0].get(), rcodes[5].get(), largest[0], out, (double) out / in,
                (double) (out + got * HEADER_AND_UDP) / (in + sent * HEADER_AND_UDP), sent / elapsed, got / elapsed,
                in * 8 / elapsed / 1e6, out * 8 / elapsed / 1e6);
    }

    /** A query with RD clear and EDNS0 asking for 4,096-byte responses. */
    static byte[] query(String name, int type) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 0).putShort((short) 0)
                .putShort((short) 1);
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            b.put((byte) bytes.length).put(bytes);
        }
        b.put((byte) 0).putShort((short) type).putShort((short) 1);
        b.put((byte) 0).putShort((short) 41).putShort((short) 4096).putInt(0).putShort((short) 0); // OPT
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }
}
