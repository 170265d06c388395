package io.wayfinder.answer;

import io.netty.buffer.ByteBuf;
import io.wayfinder.dns.server.Responder;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.Rcode;
import io.wayfinder.dns.wire.RecordType;
import io.wayfinder.dns.wire.ResponseWriter;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.Profile;
import io.wayfinder.routing.Router;
import io.wayfinder.routing.RoutingContext;
import io.wayfinder.routing.RoutingOutcome;
import io.wayfinder.routing.RoutingPlan;
import io.wayfinder.routing.RoutingTable;
import io.wayfinder.routing.Target;
import io.wayfinder.routing.Trace;
import io.wayfinder.traffic.TrafficRecorder;
import java.util.function.Supplier;

/**
 * Answers a query from the current {@link Snapshot}: the authoritative-server rules (REFUSED
 * outside our zones, NXDOMAIN and NODATA with the SOA, SOA and NS at the apex with glue for name
 * servers inside our zones, CNAMEs followed inside our zones) around routing, which picks the
 * endpoint a profile's name answers with.
 *
 * <p>One instance per event-loop channel: it owns the routing scratch state. No locks; the only
 * allocation per routed query is the client's {@link IpPrefix}, and not even that when the client
 * network is the previous query's. Several answers (MultiValue) share
 * the profile's TTL; a routing that finds no answer for this client is NODATA, with the SOA.
 *
 * <p>ANY gets one RRset (RFC 8482 §4.1), over UDP and TCP alike, never everything a name holds: at
 * an apex the SOA (always there, one record, where NS can be many), at a name server's name its A
 * records (else AAAA), at a profile's name the routed answer (the CNAME, or the addresses of the
 * first answer's type). They are real records a resolver can cache, and a query for ANY no longer
 * sends back several times its size to whoever its source address names.
 *
 * <p>Every answer a profile gives is counted in {@link AnswerCounts}: by the endpoint it chose
 * (each profile routing passes through counts the nested endpoint it followed; each address of a
 * MultiValue answer counts) and the result for the name asked: NOERROR, NODATA or NXDOMAIN. A
 * profile reached through a CNAME counts its own answer; the profile whose CNAME it was counts
 * NOERROR. The counters are this thread's, found again only when the configuration changes.
 *
 * <p>With a {@link TrafficRecorder} (the server's, with {@code api:}), each profile's answer is also
 * recorded for Traffic View: the client's network, the endpoint the profile chose (for a nested
 * one, the nested endpoint it followed) and its region, and the RTT the performance decision
 * estimated. A disabled profile's NXDOMAIN is not recorded (the name does not exist).
 */
public final class QueryAnswerer implements Responder {
    /** Internal result: the name exists but has no record of the type asked. Answered as NOERROR. */
    private static final int NODATA = -1;
    /** CNAME chains inside our zones are followed this far, then the rest is left to the resolver. */
    private static final int MAX_CHAIN = 8;

    private final Supplier<Snapshot> snapshots;
    private final AnswerCounts counts;
    /** The event loop's Traffic View recorder, or null when nobody reads Traffic View. */
    private final TrafficRecorder traffic;
    /** This thread's counters for the configuration answered last. */
    private AnswerCounts.Generation counted;
    private final RoutingContext context = new RoutingContext();
    private ZoneData zones;
    private RoutingTable routing;
    private DnsQuery query;
    private ResponseWriter writer;
    private boolean clientKnown;
    private Zone negativeZone;
    /** The names of the CNAME chain answered so far in this response, so a loop stops before it repeats. */
    private final NameNode[] chain = new NameNode[MAX_CHAIN];
    /** The zone whose NS records this response holds, for their glue; null when none. */
    private Zone glueZone;
    /** Message offsets of the NS names written, per name server of {@link #glueZone}; grows, never per query. */
    private int[] nsOffsets = new int[8];
    /**
     * The sum of what {@link #prefetch} read. Storing it keeps the JIT from dropping reads whose
     * values nothing else uses; only tests read it back.
     */
    private int prefetched;
    /** The clients {@link #prefetch} reads the rows of, one batch at a time; grows to the batch size, never per query. */
    private int[] rowClients = new int[32];
    /**
     * The zones the last {@link #prefetch} looked names up in: a query's slot in their name table
     * ({@link DnsQuery#prefetchedNameSlot}) is used by {@link #respond} only when it answers from the
     * same zones, the one table the slot means something in.
     */
    private ZoneData prefetchedZones;
    /** The client network of the last query routed, handed out again for the next one of the same network. */
    private IpPrefix lastClient;

    /** An answerer whose counts nobody reads (explanations, tests, benchmarks of routing alone). */
    public QueryAnswerer(Supplier<Snapshot> snapshots) {
        this(snapshots, new AnswerCounts());
    }

    /** @param counts shared by every answerer of a server; each thread counts in its own arrays */
    public QueryAnswerer(Supplier<Snapshot> snapshots, AnswerCounts counts) {
        this(snapshots, counts, null);
    }

    /**
     * @param traffic the recorder of the event loop this answerer runs on (only that loop may record
     *                into it), or null to record nothing
     */
    public QueryAnswerer(Supplier<Snapshot> snapshots, AnswerCounts counts, TrafficRecorder traffic) {
        this.snapshots = snapshots;
        this.counts = counts;
        this.traffic = traffic;
    }

    @Override
    public void respond(DnsQuery q, ResponseWriter w, ByteBuf out) {
        Snapshot snapshot = snapshots.get();
        zones = snapshot.zones();
        routing = snapshot.routing();
        query = q;
        writer = w;
        clientKnown = false;
        negativeZone = null;
        glueZone = null;
        w.begin(out, q);
        if (q.qclass() != RecordType.IN || q.qtype() == RecordType.AXFR || q.qtype() == RecordType.IXFR) {
            w.finish(Rcode.REFUSED, false, 0); // no zone transfers, for any name
            return;
        }
        byte[] name = q.lowerName();
        // The prefetch's lookup of this name, when it was made in this snapshot's zones.
        int prefetchedSlot = q.prefetchedNameSlot();
        NameNode node = prefetchedSlot >= 0 && zones == prefetchedZones
                ? zones.names.at(prefetchedSlot) : zones.names.get(name, 0, q.nameLength());
        if (node == null) {
            Zone zone = zones.zoneContaining(name, 0, q.nameLength());
            if (zone == null) {
                w.finish(Rcode.REFUSED, false, 0);
                return;
            }
            negativeZone = zone;
            finishNegative(Rcode.NXDOMAIN);
            return;
        }
        chain[0] = node;
        w.answer();
        int rcode = answerNode(node, ResponseWriter.QUESTION_NAME, q.qtype(), 0);
        if (rcode == NODATA || rcode == Rcode.NXDOMAIN) {
            finishNegative(rcode == NODATA ? Rcode.NOERROR : Rcode.NXDOMAIN);
        } else {
            if (glueZone != null) {
                writeGlue();
            }
            w.finish(rcode, true, scope());
        }
    }

    /**
     * For each query whose name is a profile's: touches the client's latency-table row when routing
     * through that profile may read it ({@link RoutingTable#readsRow}). The client is the one
     * {@link #respond} routes (the ECS subnet, else the sender); an IPv6 client is skipped (its
     * lookup has no direct index to read ahead), and so is a name reached only through a CNAME. No
     * answer state is touched, and nothing is allocated when the transport gave the senders as raw
     * bytes (the FFM path, the one caller).
     *
     * <p>Two loops, on purpose. The first finds which rows to read (name lookups and addresses, in
     * cache); the second only reads them. Each read is a miss of about 200 ns, and the processor
     * issues the next reads while the first wait only as far as its window of a few hundred
     * instructions reaches: with a name lookup between two reads (some 150 instructions) that is
     * one or two reads in flight, in a loop of reads alone it is most of the batch.
     */
    @Override
    public void prefetch(DnsQuery[] queries, int count) {
        Snapshot snapshot = snapshots.get();
        ZoneData zoneData = snapshot.zones();
        prefetchedZones = zoneData;
        NameTable<NameNode> names = zoneData.names;
        RoutingTable table = snapshot.routing();
        if (rowClients.length < count) {
            rowClients = new int[count];
        }
        int rows = 0;
        for (int i = 0; i < count; i++) {
            DnsQuery q = queries[i];
            if (q.qclass() != RecordType.IN) {
                continue; // refused before any lookup
            }
            int slot = names.slot(q.lowerName(), 0, q.nameLength());
            if (slot < 0) {
                continue;
            }
            q.prefetchedNameSlot(slot); // respond reads the name here instead of a second lookup
            NameNode node = names.at(slot);
            long client = rowClient(q, node, table);
            if (client >= 0) {
                rowClients[rows++] = (int) client;
            }
        }
        int sum = 0;
        for (int k = 0; k < rows; k++) {
            sum += table.touch(rowClients[k]);
        }
        prefetched += sum;
    }

    /** The IPv4 client whose row routing {@code q} (asking for {@code node}'s name) will read first (unsigned, as a long), or -1 when none. */
    private static long rowClient(DnsQuery q, NameNode node, RoutingTable table) {
        if (node.kind != NameNode.Kind.PROFILE) {
            return -1;
        }
        int address;
        int length;
        if (q.hasClientSubnet()) {
            if (q.clientSubnetFamily() != 1) {
                return -1;
            }
            address = IpPrefix.toIpv4Int(q.clientSubnetAddress(), 0);
            length = q.clientSubnetSourceLength();
        } else {
            byte[] sender = q.senderAddress();
            if (sender.length != 4) {
                return -1;
            }
            address = IpPrefix.toIpv4Int(sender, 0);
            length = 32;
        }
        return table.readsRow(node.profileIndex, length) ? address & 0xFFFF_FFFFL : -1;
    }

    /** What {@link #prefetch} has read so far, summed: for tests, to see that it read and what. */
    int prefetched() {
        return prefetched;
    }

    /**
     * A and AAAA records of the name servers just answered that are inside our zones. An NS answer
     * is not a referral, so none of this glue is required (RFC 9471): what does not fit is dropped.
     */
    private void writeGlue() {
        Zone zone = glueZone;
        writer.additional().droppable();
        for (int i = 0; i < zone.nsNames.length; i++) {
            NameNode host = zone.nsHosts[i];
            if (host == null) {
                continue;
            }
            for (byte[] a : host.ipv4) {
                writer.pointer(nsOffsets[i]).record(RecordType.A, host.zone.ttl, a);
            }
            for (byte[] a : host.ipv6) {
                writer.pointer(nsOffsets[i]).record(RecordType.AAAA, host.zone.ttl, a);
            }
        }
    }

    /** The ECS scope: what routing depended on, or 0 when nothing was routed (the answer is the same for all). */
    private int scope() {
        return clientKnown ? context.scope() : 0;
    }

    /** Writes what a name holds for a type; returns an rcode, or NODATA (then negativeZone is set). */
    private int answerNode(NameNode node, int owner, int qtype, int depth) {
        negativeZone = node.zone;
        switch (node.kind) {
            case APEX -> {
                Zone zone = node.zone;
                if (qtype == RecordType.SOA || qtype == RecordType.ANY) { // ANY: the SOA alone (RFC 8482)
                    writer.pointer(owner).soaRecord(zone.ttl, zone.soaMname, zone.soaRname, zone.soaNumbers);
                    return Rcode.NOERROR;
                }
                if (qtype == RecordType.NS) {
                    if (nsOffsets.length < zone.nsNames.length) {
                        nsOffsets = new int[zone.nsNames.length];
                    }
                    for (int i = 0; i < zone.nsNames.length; i++) {
                        nsOffsets[i] = writer.pointer(owner).nameRecord(RecordType.NS, zone.ttl, zone.nsNames[i]);
                    }
                    glueZone = zone;
                    return Rcode.NOERROR;
                }
                return writeAddresses(node, owner, qtype) ? Rcode.NOERROR : NODATA;
            }
            case HOST -> {
                return writeAddresses(node, owner, qtype) ? Rcode.NOERROR : NODATA;
            }
            case PROFILE -> {
                return answerProfile(routing.profile(node.profileIndex), owner, qtype, depth);
            }
            default -> {
                return NODATA;
            }
        }
    }

    /** A name server's addresses; for ANY one RRset (RFC 8482): the A records, or the AAAA when it has none. */
    private boolean writeAddresses(NameNode node, int owner, int qtype) {
        boolean wrote = false;
        if (qtype == RecordType.A || qtype == RecordType.ANY) {
            for (byte[] a : node.ipv4) {
                writer.pointer(owner).record(RecordType.A, node.zone.ttl, a);
                wrote = true;
            }
        }
        if (qtype == RecordType.AAAA || (qtype == RecordType.ANY && !wrote)) {
            for (byte[] a : node.ipv6) {
                writer.pointer(owner).record(RecordType.AAAA, node.zone.ttl, a);
                wrote = true;
            }
        }
        return wrote;
    }

    private int answerProfile(Profile profile, int owner, int qtype, int depth) {
        RoutingPlan plan = routing.plan();
        AnswerCounts.Generation g = counted;
        if (g == null || g.layout.plan != plan || g.retired) {
            g = counts.generation(plan); // the first answer from a new configuration, on this thread
            counted = g;
        }
        if (!profile.enabled()) {
            g.add(profile.index(), -1, AnswerCounts.NXDOMAIN);
            return Rcode.NXDOMAIN; // Inactive: as Azure, a disabled profile's name does not exist
        }
        if (!clientKnown) {
            context.reset(client(query));
            context.wantsIpv6(qtype == RecordType.AAAA);
            clientKnown = true;
        }
        RoutingOutcome outcome = Router.route(routing, profile, context, Trace.NONE);
        if (traffic != null) {
            recordTraffic(profile, outcome);
        }
        if (outcome != RoutingOutcome.ANSWER) {
            // NXDOMAIN: no endpoint enabled: as Azure, the name answers NXDOMAIN
            int result = outcome == RoutingOutcome.NXDOMAIN ? AnswerCounts.NXDOMAIN : AnswerCounts.NODATA;
            countNested(g, result);
            g.add(lastProfile(profile), -1, result);
            return outcome == RoutingOutcome.NXDOMAIN ? Rcode.NXDOMAIN : NODATA;
        }
        int ttl = profile.ttl();
        Endpoint first = context.answer(0);
        EndpointRecord record = zones.records[first.profile()][first.index()];
        if (record.type == RecordType.CNAME) {
            countNested(g, AnswerCounts.NOERROR); // this profile's answer is the CNAME, wherever it leads
            g.add(first.profile(), first.index(), AnswerCounts.NOERROR);
            int targetOffset = writer.pointer(owner).nameRecord(RecordType.CNAME, ttl, record.cnameTarget);
            if (qtype == RecordType.CNAME || qtype == RecordType.ANY) {
                return Rcode.NOERROR;
            }
            return follow(record.cnameTarget, targetOffset, qtype, depth);
        }
        // ANY: the RRset of the first answer's type, as if that type had been asked (RFC 8482: one RRset)
        int type = qtype == RecordType.ANY ? record.type : qtype;
        boolean wrote = false;
        for (int k = 0; k < context.answerCount(); k++) {
            Endpoint e = context.answer(k);
            EndpointRecord r = zones.records[e.profile()][e.index()];
            if (r.type == type) {
                writer.pointer(owner).record(r.type, ttl, r.lengthAndRdata);
                g.add(e.profile(), e.index(), AnswerCounts.NOERROR);
                wrote = true;
            }
        }
        if (!wrote) {
            g.add(first.profile(), first.index(), AnswerCounts.NODATA); // an endpoint of the other family
        }
        countNested(g, wrote ? AnswerCounts.NOERROR : AnswerCounts.NODATA);
        return wrote ? Rcode.NOERROR : NODATA;
    }

    /** Traffic View: this profile's own choice (the nested endpoint it followed, or its answer). */
    private void recordTraffic(Profile profile, RoutingOutcome outcome) {
        Endpoint chosen = context.nestedCount() > 0 ? context.nested(0)
                : outcome == RoutingOutcome.ANSWER ? context.answer(0) : null;
        String region = chosen == null || chosen.region() < 0 ? null : routing.region(chosen.region()).name();
        traffic.record(context.client(), query.hasClientSubnet(), profile.name(), chosen == null ? null : chosen.name(),
                region, context.estimateTenths());
    }

    /** Counts the result in each profile that routing left through a nested endpoint. */
    private void countNested(AnswerCounts.Generation g, int result) {
        for (int level = 0; level < context.nestedCount(); level++) {
            Endpoint via = context.nested(level);
            g.add(via.profile(), via.index(), result);
        }
    }

    /** The profile routing ended in: the queried one, or the child of the last nested endpoint followed. */
    private int lastProfile(Profile queried) {
        int n = context.nestedCount();
        return n == 0 ? queried.index() : ((Target.Nested) context.nested(n - 1).target()).profileIndex();
    }

    /** Follows a CNAME into our zones; outside them the resolver follows it. */
    private int follow(byte[] target, int targetOffset, int qtype, int depth) {
        NameNode next = zones.names.get(target, 0, target.length);
        if (next == null) {
            Zone zone = zones.zoneContaining(target, 0, target.length);
            if (zone == null) {
                return Rcode.NOERROR;
            }
            negativeZone = zone;
            return Rcode.NXDOMAIN;
        }
        if (depth + 1 >= MAX_CHAIN || alreadyInChain(next, depth)) {
            return Rcode.NOERROR; // a loop (a -> b -> a) ends where it would repeat a record
        }
        chain[depth + 1] = next;
        int rcode = answerNode(next, targetOffset, qtype, depth + 1);
        // A NODATA at the end of a chain is still NOERROR with the chain so far, plus the SOA.
        return rcode;
    }

    private boolean alreadyInChain(NameNode node, int depth) {
        for (int i = 0; i <= depth; i++) {
            if (chain[i] == node) {
                return true;
            }
        }
        return false;
    }

    private void finishNegative(int rcode) {
        Zone zone = negativeZone;
        writer.authority();
        int apexOffset = suffixOffset(zone.wireName);
        if (apexOffset >= 0) {
            writer.pointer(apexOffset);
        } else {
            writer.name(zone.wireName);
        }
        writer.soaRecord(zone.negativeTtl, zone.soaMname, zone.soaRname, zone.soaNumbers);
        writer.finish(rcode, true, scope());
    }

    /** Where the question name ends with this name, as a message offset; -1 when it does not. */
    private int suffixOffset(byte[] wireName) {
        byte[] q = query.lowerName();
        int length = query.nameLength();
        int pos = 0;
        while (pos < length) {
            if (length - pos == wireName.length
                    && java.util.Arrays.equals(q, pos, length, wireName, 0, wireName.length)) {
                return ResponseWriter.QUESTION_NAME + pos;
            }
            int label = q[pos];
            if (label == 0) {
                return -1;
            }
            pos += label + 1;
        }
        return -1;
    }

    /**
     * The client network routing uses: the ECS subnet when the query has one, else the resolver's
     * address as a host prefix. Without an object when the network is the last query's: the same
     * prefix is handed out again (it is immutable). A resolver sends many queries in a row, with the
     * same ECS subnet or from the same address.
     */
    private IpPrefix client(DnsQuery q) {
        boolean ipv6;
        long hi;
        long lo;
        int length;
        if (q.hasClientSubnet()) {
            byte[] a = q.clientSubnetAddress();
            length = q.clientSubnetSourceLength();
            ipv6 = q.clientSubnetFamily() != 1;
            hi = ipv6 ? IpPrefix.readLong(a, 0) & IpPrefix.highMask(length) : 0;
            lo = ipv6 ? IpPrefix.readLong(a, 8) & IpPrefix.lowMask(length)
                    : (IpPrefix.toIpv4Int(a, 0) & 0xFFFF_FFFFL) & IpPrefix.ipv4Mask(length);
        } else {
            byte[] b = q.senderAddress();
            ipv6 = b.length != 4;
            length = ipv6 ? 128 : 32;
            hi = ipv6 ? IpPrefix.readLong(b, 0) : 0;
            lo = ipv6 ? IpPrefix.readLong(b, 8) : IpPrefix.toIpv4Int(b, 0) & 0xFFFF_FFFFL;
        }
        IpPrefix last = lastClient;
        if (last != null && last.ipv6() == ipv6 && last.lo() == lo && last.hi() == hi && last.length() == length) {
            return last;
        }
        // The fields are masked already; the factories mask again, which changes nothing.
        last = ipv6 ? IpPrefix.ofIpv6(hi, lo, length) : IpPrefix.ofIpv4((int) lo, length);
        lastClient = last;
        return last;
    }
}
