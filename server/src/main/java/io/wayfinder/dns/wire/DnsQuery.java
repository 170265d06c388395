package io.wayfinder.dns.wire;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * One decoded query, as the answering code needs it. Mutable and reused: each event-loop thread
 * (or TCP connection) owns one and {@link QueryDecoder} overwrites it for every packet, so the
 * query path allocates nothing for decoding.
 *
 * <p>The question is kept twice: as the offset of its raw bytes in the packet, copied into the
 * response byte for byte (case preserved, as resolvers check), and as a lower-cased copy of the
 * name in uncompressed wire format, which is what names are looked up by.
 */
public final class DnsQuery {
    /** The largest name in wire format (RFC 1035 §2.3.4). */
    public static final int MAX_NAME_LENGTH = 255;

    // Header
    int id;
    int flags;

    // Question: raw bytes at packet[12 .. 12 + nameLength + 4), name first.
    boolean questionParsed;
    int nameLength;
    final byte[] lowerName = new byte[MAX_NAME_LENGTH];
    /**
     * The question as it came, name (case kept), type and class: {@code nameLength + 4} bytes once
     * {@code questionParsed}. The decoder reads it in one copy and the writer echoes it from here,
     * not from the packet: a copy from one Netty buffer to another makes a {@code ByteBuffer} slice
     * per call on the direct buffers Netty uses without {@code Unsafe} (Java 24+, the FFM path).
     */
    final byte[] question = new byte[MAX_NAME_LENGTH + 4];
    int qtype;
    int qclass;

    // EDNS(0)
    boolean edns;
    int udpPayloadSize;
    int ednsVersion;
    boolean dnssecOk;

    // EDNS Client Subnet (RFC 7871)
    boolean ecs;
    int ecsFamily;
    int ecsSourceLength;
    final byte[] ecsAddress = new byte[16];

    // TSIG (RFC 8945): where its parts are in the packet (absolute indices), to echo them in BADKEY
    boolean tsig;
    int tsigKeyNameOffset;
    /** The key name's length once its compression pointers are expanded. */
    int tsigKeyNameLength;
    int tsigAlgorithmOffset;
    int tsigAlgorithmLength;
    /** Time signed (6 bytes) and fudge (2) follow here. */
    int tsigTimeOffset;
    int tsigOriginalId;

    // Where it came from
    ByteBuf packet;
    /** The sender as the transport gave it; null when it gave raw bytes (see {@link #rawSenderAddress}). */
    InetSocketAddress sender;
    boolean tcp;
    /**
     * A transport that reads datagrams into memory it owns (the FFM UDP path) copies the sender's
     * address here, with no object per datagram, and decodes with a null sender.
     */
    private final byte[] rawIpv4 = new byte[4];
    private final byte[] rawIpv6 = new byte[16];
    private boolean rawIsIpv6;
    private int rawPort;
    /** See {@link #prefetchedNameSlot()}: -1 after every {@link #reset}. */
    private int prefetchedNameSlot = -1;

    public int id() {
        return id;
    }

    /** The opcode (0 = QUERY). */
    public int opcode() {
        return (flags >>> 11) & 0xF;
    }

    public boolean recursionDesired() {
        return (flags & 0x0100) != 0;
    }

    /** The question name in wire format, lower-cased, uncompressed; valid for {@link #nameLength()} bytes. */
    public byte[] lowerName() {
        return lowerName;
    }

    /** The length of the question name in wire format, including the root label. */
    public int nameLength() {
        return nameLength;
    }

    public int qtype() {
        return qtype;
    }

    public int qclass() {
        return qclass;
    }

    public boolean edns() {
        return edns;
    }

    public int udpPayloadSize() {
        return udpPayloadSize;
    }

    public boolean hasClientSubnet() {
        return ecs;
    }

    /** 1 for IPv4, 2 for IPv6 (IANA address family numbers). */
    public int clientSubnetFamily() {
        return ecsFamily;
    }

    public int clientSubnetSourceLength() {
        return ecsSourceLength;
    }

    /** The ECS address, left-aligned: 4 (IPv4) or 16 (IPv6) bytes meaningful, zero past the source length. */
    public byte[] clientSubnetAddress() {
        return ecsAddress;
    }

    /** Whether the query carries a TSIG record (it is then answered NOTAUTH/BADKEY, RFC 8945 §5.2.1). */
    public boolean signed() {
        return tsig;
    }

    /**
     * The sender's address and port. Allocates when the transport gave raw bytes (then made once
     * per query, on demand): for logs and explanations; the query path reads {@link #senderAddress()}.
     */
    public InetSocketAddress sender() {
        if (sender == null) {
            try {
                byte[] a = rawIsIpv6 ? rawIpv6 : rawIpv4;
                sender = new InetSocketAddress(InetAddress.getByAddress(a.clone()), rawPort);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
            }
        }
        return sender;
    }

    /**
     * The sender's address: 4 bytes (IPv4) or 16 (IPv6). With raw bytes from the transport it is
     * this query's own array (no allocation; overwritten by the next packet): read it, do not keep it.
     */
    public byte[] senderAddress() {
        if (sender == null) {
            return rawIsIpv6 ? rawIpv6 : rawIpv4;
        }
        return sender.getAddress().getAddress();
    }

    /**
     * Where a transport with its own buffers writes the sender's address (4 bytes for IPv4, 16 for
     * IPv6) before {@link QueryDecoder#decode} with a null sender; {@link #rawSender} says which.
     */
    public byte[] rawSenderAddress(boolean ipv6) {
        return ipv6 ? rawIpv6 : rawIpv4;
    }

    /** Marks the next packet's sender as the bytes in {@link #rawSenderAddress(boolean)}. */
    public void rawSender(boolean ipv6, int port) {
        rawIsIpv6 = ipv6;
        rawPort = port;
    }

    public boolean overTcp() {
        return tcp;
    }

    /**
     * Where the responder's {@code prefetch} found the question name in its own table of names, left
     * for its {@code respond} to read the entry there instead of looking the name up twice; -1 when
     * the prefetch did not find it or did not run. Every decode sets it back to -1.
     *
     * <p>An index, not the entry itself: the entry is a type of the answering side, which this
     * package must not know (ArchitectureTest), and a field of a type declared here (an
     * {@code Object}, or an interface the entry implements) would need a cast back to the entry on
     * every answer. An int is neither, and costs no allocation. It means something only in the table
     * the prefetch looked in: the responder must check that it answers from that same table.
     */
    public int prefetchedNameSlot() {
        return prefetchedNameSlot;
    }

    /** Leaves the slot for {@link #prefetchedNameSlot()}; the responder's prefetch only. */
    public void prefetchedNameSlot(int slot) {
        prefetchedNameSlot = slot;
    }

    /** Clears what a new packet must set; cheap, called once per packet. A null sender: the raw one. */
    void reset(ByteBuf packet, InetSocketAddress sender, boolean tcp) {
        this.packet = packet;
        this.sender = sender;
        this.tcp = tcp;
        questionParsed = false;
        nameLength = 0;
        edns = false;
        udpPayloadSize = 512;
        ednsVersion = 0;
        dnssecOk = false;
        ecs = false;
        ecsFamily = 0;
        ecsSourceLength = 0;
        tsig = false;
        prefetchedNameSlot = -1;
    }

    /** Renders the question name for logs and explanations (allocates; not for the query path). */
    public String nameText() {
        return WireNames.toText(lowerName, 0);
    }
}
