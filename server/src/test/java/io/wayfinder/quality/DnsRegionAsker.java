package io.wayfinder.quality;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Asks a running Wayfinder, over UDP with an ECS option, where each client network of a
 * {@link GeneratedInternet} is sent: the profile of {@link #profileYaml} has one endpoint per region,
 * whose address says which. The question a resolver would ask on the client's behalf.
 */
final class DnsRegionAsker {
    static final String ZONE = "quality.test";
    static final String NAME = "www." + ZONE;

    private final InetSocketAddress server;
    private final int threads;

    DnsRegionAsker(InetSocketAddress server, int threads) {
        this.server = server;
        this.threads = threads;
    }

    /** The address of region {@code r}'s endpoint: 192.0.2.(r + 1). */
    static String endpointAddress(int region) {
        return "192.0.2." + (region + 1);
    }

    /** The zone and a Performance profile with one endpoint per region (unmonitored: always served). */
    static String profileYaml(List<String> regions) {
        StringBuilder yaml = new StringBuilder("""
                zones:
                  - name: %s
                    nameservers: [ns1.%s]
                profiles:
                  - name: perf
                    trafficRoutingMethod: Performance
                    dnsConfig: {relativeName: www, ttl: 30}
                    endpoints:
                """.formatted(ZONE, ZONE));
        for (int r = 0; r < regions.size(); r++) {
            yaml.append("      - {name: ").append(regions.get(r)).append(", target: ").append(endpointAddress(r))
                    .append(", endpointLocation: ").append(regions.get(r)).append("}\n");
        }
        return yaml.toString();
    }

    /** The region index each network is sent to, in the world's network order. */
    int[] ask(GeneratedInternet world) {
        int count = world.networkCount();
        int[] out = new int[count];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                    socket.setSoTimeout(2000);
                    byte[] buffer = new byte[1500];
                    int n;
                    while ((n = next.getAndAdd(1)) < count && failure.get() == null) {
                        out[n] = askOne(socket, buffer, world.networkAddress(n), n);
                    }
                } catch (IOException e) {
                    failure.compareAndSet(null, new UncheckedIOException(e));
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "dns-asker-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return out;
    }

    private int askOne(DatagramSocket socket, byte[] buffer, int address, int id) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromConstantString(NAME + "."), Type.A, DClass.IN));
        query.getHeader().setID(id & 0xffff);
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), 0};
        ClientSubnetOption ecs = new ClientSubnetOption(24, InetAddress.getByAddress(bytes));
        query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(ecs)), Section.ADDITIONAL);
        byte[] wire = query.toWire();
        for (int attempt = 0; attempt < 5; attempt++) {
            socket.send(new DatagramPacket(wire, wire.length, server));
            try {
                while (true) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    Message answer = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                    if (answer.getHeader().getID() != (id & 0xffff)) {
                        continue; // a late answer to an earlier attempt
                    }
                    if (answer.getRcode() != Rcode.NOERROR) {
                        throw new IllegalStateException("answer for " + (address >>> 24) + "." + ((address >>> 16) & 255)
                                + "." + ((address >>> 8) & 255) + ".0/24: " + Rcode.string(answer.getRcode()));
                    }
                    for (Record r : answer.getSection(Section.ANSWER)) {
                        if (r instanceof ARecord a) {
                            byte[] ip = a.getAddress().getAddress();
                            return (ip[3] & 255) - 1;
                        }
                    }
                    throw new IllegalStateException("no A record in " + answer);
                }
            } catch (SocketTimeoutException e) {
                // lost on a busy box: ask again
            }
        }
        throw new IOException("no answer from " + server + " after 5 attempts");
    }
}
