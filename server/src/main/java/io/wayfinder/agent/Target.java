package io.wayfinder.agent;

import io.wayfinder.net.IpPrefix;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A client network the server asked to measure, and the address that stands for it: its resolver's,
 * or the network's first host (the server's {@code addressFrom}).
 *
 * @param network the network the samples are posted for
 * @param address the 4 or 16 bytes of the address probed
 */
public record Target(IpPrefix network, byte[] address, String addressFrom) {

    public Target {
        if (network == null) {
            throw new IllegalArgumentException("network is required");
        }
        if (address == null || address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address must have 4 or 16 bytes");
        }
        address = address.clone();
    }

    /** The address as the JDK takes it (no lookup: made from bytes). */
    public InetAddress inetAddress() {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, which the constructor refuses
        }
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    /** The address as text. */
    public String addressText() {
        return IpPrefix.fromBytes(address, address.length * 8).addressText();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Target t && t.network.equals(network) && java.util.Arrays.equals(t.address, address)
                && java.util.Objects.equals(t.addressFrom, addressFrom);
    }

    @Override
    public int hashCode() {
        return network.hashCode() * 31 + java.util.Arrays.hashCode(address);
    }

    @Override
    public String toString() {
        return network + " (" + addressText() + ")";
    }
}
