package io.wayfinder.net;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An inclusive range of addresses of one family, {@code first} to {@code last}, as Azure's
 * {@code subnets} entries give them. A range that is not one prefix is covered exactly by a few:
 * {@link #prefixes()} gives the fewest (at most 2 per bit of address width).
 */
public record IpRange(IpPrefix first, IpPrefix last) {
    public IpRange {
        if (first.length() != first.maxLength() || last.length() != last.maxLength()) {
            throw new IllegalArgumentException("a range is given by two addresses");
        }
        if (first.ipv6() != last.ipv6()) {
            throw new IllegalArgumentException("first and last must be of the same family (IPv4 or IPv6)");
        }
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("first (" + first.addressText() + ") is after last (" + last.addressText() + ")");
        }
    }

    /** The range of a prefix's addresses. */
    public static IpRange of(IpPrefix prefix) {
        int width = prefix.maxLength();
        IpPrefix first = prefix.ipv6() ? IpPrefix.ofIpv6(prefix.hi(), prefix.lo(), width) : IpPrefix.ofIpv4(prefix.ipv4(), width);
        IpPrefix last = prefix.ipv6() ? IpPrefix.ofIpv6(prefix.lastHi(), prefix.lastLo(), width)
                : IpPrefix.ofIpv4((int) prefix.lastLo(), width);
        return new IpRange(first, last);
    }

    public boolean ipv6() {
        return first.ipv6();
    }

    /** Whether the two ranges share an address. */
    public boolean overlaps(IpRange other) {
        return ipv6() == other.ipv6() && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    /** Whether this range follows another without a gap (so that the two merge into one). */
    boolean adjoins(IpRange before) {
        if (ipv6() != before.ipv6()) {
            return false;
        }
        long hi = before.last.hi();
        long lo = before.last.lo();
        if (ipv6()) {
            lo++;
            if (lo == 0) {
                hi++;
                if (hi == 0) {
                    return false; // before ends at the last address
                }
            }
        } else {
            lo++;
            if (lo > 0xFFFF_FFFFL) {
                return false;
            }
        }
        return first.hi() == hi && first.lo() == lo;
    }

    /** The fewest prefixes that together hold exactly this range's addresses, in address order. */
    public List<IpPrefix> prefixes() {
        List<IpPrefix> out = new ArrayList<>();
        int width = first.maxLength();
        // Walk from first: take the largest aligned block that starts here and does not pass last.
        long hi = first.hi();
        long lo = first.lo();
        while (true) {
            int length = width;
            while (length > 0) {
                int shorter = length - 1;
                IpPrefix block = ipv6() ? IpPrefix.ofIpv6(hi, lo, shorter) : IpPrefix.ofIpv4((int) lo, shorter);
                boolean aligned = block.hi() == hi && block.lo() == lo; // starts here, not before
                if (!aligned || !fitsBefore(block)) {
                    break;
                }
                length = shorter;
            }
            IpPrefix prefix = ipv6() ? IpPrefix.ofIpv6(hi, lo, length) : IpPrefix.ofIpv4((int) lo, length);
            out.add(prefix);
            if (prefix.lastHi() == last.hi() && prefix.lastLo() == last.lo()) {
                return out;
            }
            // Next address after the block.
            if (ipv6()) {
                lo = prefix.lastLo() + 1;
                hi = lo == 0 ? prefix.lastHi() + 1 : prefix.lastHi();
            } else {
                lo = prefix.lastLo() + 1;
            }
        }
    }

    /** Whether the block ends at or before {@code last}. */
    private boolean fitsBefore(IpPrefix block) {
        int c = Long.compareUnsigned(block.lastHi(), last.hi());
        return c < 0 || (c == 0 && Long.compareUnsigned(block.lastLo(), last.lo()) <= 0);
    }

    /** Sorts ranges and merges those that overlap or adjoin: the same addresses, in the fewest ranges. */
    public static List<IpRange> union(List<IpRange> ranges) {
        List<IpRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing(IpRange::first));
        List<IpRange> out = new ArrayList<>();
        for (IpRange r : sorted) {
            IpRange previous = out.isEmpty() ? null : out.get(out.size() - 1);
            if (previous != null && (previous.overlaps(r) || r.adjoins(previous))) {
                IpPrefix last = previous.last.compareTo(r.last) >= 0 ? previous.last : r.last;
                out.set(out.size() - 1, new IpRange(previous.first, last));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return first.addressText() + "-" + last.addressText();
    }
}
