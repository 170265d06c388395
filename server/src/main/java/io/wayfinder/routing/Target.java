package io.wayfinder.routing;

import io.wayfinder.net.IpPrefix;
import java.util.Locale;

/** What an endpoint answers with: an address (A or AAAA), a name (CNAME), or another profile. */
public sealed interface Target {

    /** An IPv4 address (a /32), answered as an A record. */
    record Ipv4(IpPrefix address) implements Target {
        @Override
        public String toString() {
            return address.addressText();
        }
    }

    /** An IPv6 address (a /128), answered as an AAAA record. */
    record Ipv6(IpPrefix address) implements Target {
        @Override
        public String toString() {
            return address.addressText();
        }
    }

    /** A DNS name (lower case, no trailing dot), answered as a CNAME. */
    record Name(String name) implements Target {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Another profile, whose own routing method picks the answer. */
    record Nested(int profileIndex, String profileName) implements Target {
        @Override
        public String toString() {
            return "profile " + profileName;
        }
    }

    /** Parses an external endpoint's target: an address literal or a DNS name. */
    static Target external(String text) {
        String s = text.strip();
        if (IpPrefix.looksLikeAddress(s)) {
            byte[] bytes = IpPrefix.parseAddress(s);
            IpPrefix host = IpPrefix.fromBytes(bytes, bytes.length * 8);
            return bytes.length == 4 ? new Ipv4(host) : new Ipv6(host);
        }
        String name = s.toLowerCase(Locale.ROOT);
        return new Name(name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
    }
}
