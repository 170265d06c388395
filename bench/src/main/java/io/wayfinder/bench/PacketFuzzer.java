package io.wayfinder.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * Sends generated packets to a running Wayfinder on loopback and checks what comes back: every
 * answer must be a DNS message that parses (dnsjava, with a structural RFC 1035 walk as the judge
 * where dnsjava itself throws on something legal), the server must keep answering a canary query,
 * and its {@code wayfinder_dns_internal_errors_total} must stay 0.
 *
 * <p>Three kinds of packets, in equal shares: <b>valid</b> queries built with dnsjava (names in and
 * around the served zones in random case, every common type, EDNS with random payload sizes, DO,
 * ECS, unknown options, TSIG signatures), <b>mutated</b> ones (1 to 8 bit flips, byte overwrites,
 * insertions, deletions, truncations, forged counts and compression pointers applied to a valid
 * query) and <b>random</b> bytes (0 to 600, half of them behind a plausible header). A share goes
 * over TCP, several messages per connection, some with lying length prefixes.
 *
 * <p>{@code --server 127.0.0.1:PORT --metrics 127.0.0.1:PORT [--packets N] [--tcp-share F]
 * [--seed S] [--zone NAME] [--failures FILE]}. Exit status 0 when every check held, 3 when not.
 */
public final class PacketFuzzer {
    private static final int MAX_UDP_ANSWER = 65535;
    private static final int BATCH = 128;
    /** TCP connections run in parallel: a connection waits out a read timeout when a lie left the server waiting. */
    private static final int TCP_WORKERS = 4;

    private final InetSocketAddress server;
    private final String metrics;
    private final long packets;
    private final double tcpShare;
    private final Random random;
    private final String zone;
    private final PrintStream failures;
    private final List<byte[]> valid = new ArrayList<>();

    private final AtomicLong sentUdp = new AtomicLong();
    private final AtomicLong sentTcp = new AtomicLong();
    private final long[] sentByKind = new long[3];
    private final AtomicLong answersUdp = new AtomicLong();
    private final AtomicLong answersTcp = new AtomicLong();
    private final AtomicLong unparsable = new AtomicLong();
    private final AtomicLong dnsjavaOnly = new AtomicLong();
    private final AtomicLong notResponses = new AtomicLong();
    private final AtomicLong tcpConnections = new AtomicLong();
    private long canaries;
    private long canaryFailures;

    private PacketFuzzer(InetSocketAddress server, String metrics, long packets, double tcpShare, long seed, String zone,
                         PrintStream failures) {
        this.server = server;
        this.metrics = metrics;
        this.packets = packets;
        this.tcpShare = tcpShare;
        this.random = new Random(seed);
        this.zone = zone;
        this.failures = failures;
    }

    public static void main(String[] args) throws Exception {
        String serverArg = null;
        String metricsArg = null;
        long packets = 1_000_000;
        double tcpShare = 0.05;
        long seed = 1;
        String zone = "fuzz.test";
        Path failuresFile = Path.of("fuzz-failures.txt");
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--server" -> serverArg = value;
                case "--metrics" -> metricsArg = value;
                case "--packets" -> packets = Long.parseLong(value);
                case "--tcp-share" -> tcpShare = Double.parseDouble(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--zone" -> zone = value;
                case "--failures" -> failuresFile = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (serverArg == null || metricsArg == null) {
            throw new IllegalArgumentException("--server and --metrics are required");
        }
        InetSocketAddress server = hostPort(serverArg);
        if (!server.getAddress().isLoopbackAddress() || !hostPort(metricsArg).getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("loopback only: " + serverArg + ", " + metricsArg);
        }
        try (PrintStream failures = new PrintStream(Files.newOutputStream(failuresFile), true, StandardCharsets.UTF_8)) {
            boolean ok = new PacketFuzzer(server, metricsArg, packets, tcpShare, seed, zone, failures).run(seed);
            System.exit(ok ? 0 : 3);
        }
    }

    private boolean run(long seed) throws Exception {
        for (int i = 0; i < 4000; i++) {
            valid.add(validQuery());
        }
        double before = internalErrors();
        long tcpPackets = Math.round(packets * tcpShare);
        long udpPackets = packets - tcpPackets;
        long started = System.nanoTime();
        List<Thread> tcp = new ArrayList<>();
        for (int t = 0; t < TCP_WORKERS; t++) {
            long share = tcpPackets / TCP_WORKERS + (t < tcpPackets % TCP_WORKERS ? 1 : 0);
            long workerSeed = seed + 1 + t;
            Thread worker = new Thread(() -> runTcp(share, workerSeed), "fuzz-tcp-" + t);
            worker.start();
            tcp.add(worker);
        }
        runUdp(udpPackets);
        for (Thread worker : tcp) {
            worker.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        boolean up = canary();
        double after = internalErrors();

        System.out.printf("## Summary%n");
        System.out.printf("packets sent           %,d (UDP %,d, TCP %,d in %,d connections) in %.0f s (%,.0f/s)%n",
                sentUdp.get() + sentTcp.get(), sentUdp.get(), sentTcp.get(), tcpConnections.get(), seconds,
                (sentUdp.get() + sentTcp.get()) / seconds);
        System.out.printf("  of which (UDP)       valid %,d, mutated %,d, random %,d%n", sentByKind[0], sentByKind[1], sentByKind[2]);
        System.out.printf("answers received       UDP %,d, TCP %,d%n", answersUdp.get(), answersTcp.get());
        System.out.printf("answers not parsing    %,d (plus %,d that only dnsjava refused; see %s)%n", unparsable.get(),
                dnsjavaOnly.get(), "the failures file");
        System.out.printf("answers without QR     %,d%n", notResponses.get());
        System.out.printf("canary queries         %,d, failed %,d; answering at the end: %s%n", canaries, canaryFailures,
                up ? "yes" : "NO");
        System.out.printf("internal errors        %.0f before, %.0f after%n", before, after);
        boolean ok = up && canaryFailures == 0 && unparsable.get() == 0 && notResponses.get() == 0 && after == 0;
        System.out.println(ok ? "PASS" : "FAIL");
        return ok;
    }

    // ---- UDP: batches from one socket, answers drained between batches

    private void runUdp(long count) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open(); Selector selector = Selector.open()) {
            ch.bind(new InetSocketAddress(server.getAddress(), 0));
            ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocate(MAX_UDP_ANSWER);
            long nextCanary = 20_000;
            for (long sent = 0; sent < count; ) {
                for (int b = 0; b < BATCH && sent < count; b++, sent++) {
                    int kind = random.nextInt(3);
                    byte[] packet = packet(kind);
                    sentByKind[kind]++;
                    // 0 bytes sent means no room in the socket buffer, except for an empty packet
                    while (ch.send(ByteBuffer.wrap(packet), server) == 0 && packet.length > 0) {
                        drain(ch, selector, in, 1);
                    }
                    sentUdp.incrementAndGet();
                }
                drain(ch, selector, in, 2);
                if (sent >= nextCanary) {
                    nextCanary += 20_000;
                    canary();
                }
            }
            drain(ch, selector, in, 300);
        }
    }

    /** Reads answers until none has come for {@code quietMillis}. */
    private void drain(DatagramChannel ch, Selector selector, ByteBuffer in, int quietMillis) throws IOException {
        while (selector.select(quietMillis) > 0) {
            selector.selectedKeys().clear();
            while (true) {
                in.clear();
                if (ch.receive(in) == null) {
                    break;
                }
                answersUdp.incrementAndGet();
                check(java.util.Arrays.copyOf(in.array(), in.position()), "udp");
            }
        }
    }

    // ---- TCP: connections of 1 to 20 messages, some cut short or with lying length prefixes

    private void runTcp(long count, long seed) {
        Random r = new Random(seed);
        long sent = 0;
        while (sent < count) {
            int messages = (int) Math.min(count - sent, 1 + r.nextInt(20));
            int written = 0;
            try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
                tcpConnections.incrementAndGet();
                socket.setSoTimeout(100);
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                for (int i = 0; i < messages; i++) {
                    byte[] packet = packet(r.nextInt(3)); // java.util.Random is thread-safe
                    int length = r.nextInt(40) == 0 ? r.nextInt(65536) : packet.length; // now and then a lie
                    out.writeShort(length);
                    out.write(packet);
                    sentTcp.incrementAndGet();
                    written++;
                }
                out.flush();
                readTcpAnswers(socket.getInputStream(), messages);
            } catch (IOException e) {
                // a connection the server closed on garbage, or refused: the next one starts afresh
            }
            sent += Math.max(written, 1); // what was not written goes into the next connections
        }
    }

    private void readTcpAnswers(InputStream stream, int messages) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        try {
            for (int read = 0; read < messages; read++) {
                byte[] answer = new byte[in.readUnsignedShort()];
                in.readFully(answer);
                answersTcp.incrementAndGet();
                check(answer, "tcp");
            }
        } catch (EOFException | SocketTimeoutException done) {
            // the server closed after its last answer, or is waiting for bytes a lie promised
        }
    }

    // ---- the checks

    private void check(byte[] answer, String transport) {
        if (answer.length >= 3 && (answer[2] & 0x80) == 0) {
            notResponses.incrementAndGet();
            failures.println(transport + " answer without QR: " + HexFormat.of().formatHex(answer));
        }
        try {
            Message m = new Message(answer);
            if (m.numBytes() != answer.length) {
                throw new IOException("dnsjava read " + m.numBytes() + " of " + answer.length + " bytes");
            }
        } catch (IOException e) {
            unparsable.incrementAndGet();
            failures.println(transport + " unparsable (" + e.getMessage() + "): " + HexFormat.of().formatHex(answer));
        } catch (RuntimeException e) {
            // dnsjava throws unchecked exceptions on some legal data (an IPv4-mapped address in ECS)
            if (WireWalk.isWellFormed(answer)) {
                dnsjavaOnly.incrementAndGet();
                failures.println(transport + " well-formed, dnsjava threw " + e + ": " + HexFormat.of().formatHex(answer));
            } else {
                unparsable.incrementAndGet();
                failures.println(transport + " unparsable (" + e + "): " + HexFormat.of().formatHex(answer));
            }
        }
    }

    /** Whether the server still answers a plain query for the zone's apex SOA, over UDP, within 3 tries. */
    private boolean canary() {
        canaries++;
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(new InetSocketAddress(server.getAddress(), 0))) {
            socket.setSoTimeout(1000);
            Message q = Message.newQuery(Record.newRecord(Name.fromString(zone + "."), Type.SOA, DClass.IN));
            byte[] wire = q.toWire();
            for (int attempt = 0; attempt < 3; attempt++) {
                socket.send(new java.net.DatagramPacket(wire, wire.length, server));
                byte[] buffer = new byte[4096];
                java.net.DatagramPacket reply = new java.net.DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(reply);
                    Message m = new Message(java.util.Arrays.copyOf(buffer, reply.getLength()));
                    if (m.getHeader().getID() == q.getHeader().getID() && m.getRcode() == Rcode.NOERROR
                            && !m.getSection(Section.ANSWER).isEmpty()) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // try again
                }
            }
        } catch (IOException e) {
            failures.println("canary: " + e);
        }
        canaryFailures++;
        return false;
    }

    private double internalErrors() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body = client.send(HttpRequest.newBuilder(URI.create("http://" + metrics + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^wayfinder_dns_internal_errors_total(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(body);
        if (!m.find()) {
            throw new IOException("no wayfinder_dns_internal_errors_total in the metrics");
        }
        return Double.parseDouble(m.group(1));
    }

    // ---- generation

    private byte[] packet(int kind) {
        return switch (kind) {
            case 0 -> valid.get(random.nextInt(valid.size()));
            case 1 -> mutate(valid.get(random.nextInt(valid.size())));
            default -> randomBytes();
        };
    }

    private static final String[] LABELS = {"www", "eu", "ns1", "ns2", "alias", "deep", "x", "nope", "a-rather-long-label"};
    private static final int[] TYPES = {Type.A, Type.AAAA, Type.NS, Type.SOA, Type.CNAME, Type.MX, Type.TXT, Type.ANY,
        Type.AXFR, Type.IXFR, Type.DNSKEY, Type.DS, Type.PTR, Type.SRV, Type.HTTPS, 65280, 0};

    private byte[] validQuery() {
        try {
            StringBuilder name = new StringBuilder();
            int labels = random.nextInt(4);
            for (int i = 0; i < labels; i++) {
                name.append(LABELS[random.nextInt(LABELS.length)]).append('.');
            }
            name.append(random.nextInt(10) == 0 ? "example.com." : random.nextInt(6) == 0 ? "big.test." : zone + ".");
            String text = randomCase(name.toString());
            int type = TYPES[random.nextInt(TYPES.length)];
            int dclass = random.nextInt(20) == 0 ? DClass.CH : DClass.IN;
            Message m = Message.newQuery(Record.newRecord(Name.fromString(text), type, dclass));
            if (random.nextBoolean()) {
                m.getHeader().unsetFlag(Flags.RD);
            }
            if (random.nextInt(4) != 0) {
                List<EDNSOption> options = new ArrayList<>();
                if (random.nextBoolean()) {
                    boolean v6 = random.nextInt(3) == 0;
                    byte[] address = new byte[v6 ? 16 : 4];
                    random.nextBytes(address);
                    int source = random.nextInt(v6 ? 129 : 33);
                    for (int bit = source; bit < address.length * 8; bit++) {
                        address[bit / 8] &= (byte) ~(0x80 >>> (bit % 8)); // no bits past the source length
                    }
                    options.add(new ClientSubnetOption(source, InetAddress.getByAddress(address)));
                }
                if (random.nextInt(5) == 0) {
                    byte[] data = new byte[random.nextInt(12)];
                    random.nextBytes(data);
                    options.add(new GenericEDNSOption(10, data)); // a cookie
                }
                int payload = random.nextInt(3) == 0 ? random.nextInt(65536) : 1232;
                int version = random.nextInt(20) == 0 ? 1 : 0;
                m.addRecord(new OPTRecord(payload, 0, version, random.nextBoolean() ? 0x8000 : 0, options), Section.ADDITIONAL);
            }
            if (random.nextInt(30) == 0) {
                m.setTSIG(new TSIG(TSIG.HMAC_SHA256, "fuzz-key.", "c2VjcmV0IGtleSBmb3IgdGVzdHM="));
            }
            return m.toWire(65535);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomCase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(random.nextInt(4) == 0 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    private byte[] mutate(byte[] original) {
        byte[] p = original.clone();
        int mutations = 1 + random.nextInt(8);
        for (int i = 0; i < mutations; i++) {
            if (p.length == 0) {
                break;
            }
            int at = random.nextInt(p.length);
            switch (random.nextInt(7)) {
                case 0 -> p[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> p[at] = (byte) random.nextInt(256);
                case 2 -> p = java.util.Arrays.copyOf(p, at); // truncate
                case 3 -> { // insert a byte
                    byte[] q = new byte[p.length + 1];
                    System.arraycopy(p, 0, q, 0, at);
                    q[at] = (byte) random.nextInt(256);
                    System.arraycopy(p, at, q, at + 1, p.length - at);
                    p = q;
                }
                case 4 -> { // delete a byte
                    byte[] q = new byte[p.length - 1];
                    System.arraycopy(p, 0, q, 0, at);
                    System.arraycopy(p, at + 1, q, at, p.length - at - 1);
                    p = q;
                }
                case 5 -> { // forge a section count
                    if (p.length >= 12) {
                        int count = 4 + 2 * random.nextInt(4);
                        p[count] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0);
                        p[count + 1] = (byte) random.nextInt(4);
                    }
                }
                default -> { // a compression pointer, anywhere, to anywhere
                    if (at + 1 < p.length) {
                        p[at] = (byte) (0xC0 | random.nextInt(64) >> 4);
                        p[at + 1] = (byte) random.nextInt(256);
                    }
                }
            }
        }
        return p;
    }

    private byte[] randomBytes() {
        byte[] p = new byte[random.nextInt(601)];
        random.nextBytes(p);
        if (random.nextBoolean() && p.length >= 12) {
            p[2] &= 0x07; // QR clear, opcode QUERY: past the first checks
            p[4] = 0;
            p[5] = 1;
        }
        return p;
    }

    private static InetSocketAddress hostPort(String text) throws IOException {
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(text.substring(colon + 1)));
    }

    /** A structural walk of a DNS message (RFC 1035 §4): counts, names with backward pointers, rdata lengths. */
    static final class WireWalk {
        private WireWalk() {
        }

        static boolean isWellFormed(byte[] m) {
            if (m.length < 12) {
                return false;
            }
            int pos = 12;
            int qd = u16(m, 4);
            int rr = u16(m, 6) + u16(m, 8) + u16(m, 10);
            for (int i = 0; i < qd; i++) {
                pos = name(m, pos);
                if (pos < 0 || pos + 4 > m.length) {
                    return false;
                }
                pos += 4;
            }
            for (int i = 0; i < rr; i++) {
                pos = name(m, pos);
                if (pos < 0 || pos + 10 > m.length) {
                    return false;
                }
                pos += 10 + u16(m, pos + 8);
                if (pos > m.length) {
                    return false;
                }
            }
            return pos == m.length;
        }

        private static int name(byte[] m, int pos) {
            int total = 0;
            int end = -1;
            int at = pos;
            for (int hops = 0; hops < 128; hops++) {
                if (at >= m.length) {
                    return -1;
                }
                int len = m[at] & 0xFF;
                if ((len & 0xC0) == 0xC0) {
                    if (at + 1 >= m.length) {
                        return -1;
                    }
                    int target = ((len & 0x3F) << 8) | (m[at + 1] & 0xFF);
                    if (target >= at) {
                        return -1;
                    }
                    if (end < 0) {
                        end = at + 2;
                    }
                    at = target;
                    continue;
                }
                if (len > 63) {
                    return -1;
                }
                total += len + 1;
                if (total > 255) {
                    return -1;
                }
                if (len == 0) {
                    return end < 0 ? at + 1 : end;
                }
                at += len + 1;
            }
            return -1;
        }

        private static int u16(byte[] m, int at) {
            return ((m[at] & 0xFF) << 8) | (m[at + 1] & 0xFF);
        }
    }
}
