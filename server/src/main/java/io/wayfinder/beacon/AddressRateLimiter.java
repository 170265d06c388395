package io.wayfinder.beacon;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source address, in bounded memory: posts to {@code /rum} from one IPv4
 * address, or one IPv6 /64 (what one subscriber is given), at {@code perMinute} on average and
 * {@code burst} at once.
 *
 * <p>Layout: {@value #STRIPES} stripes, each a map in access order under its own lock, holding at
 * most {@code tracked / STRIPES} buckets; a new address in a full stripe evicts the address seen
 * least recently. A forgotten address starts again with a full bucket, which is what it would
 * have anyway once it has been quiet for {@code burst / rate}: only a flood of more distinct
 * addresses than {@code tracked} within that time lets one of them past its rate (and each of
 * those only its burst). Memory: about 100 bytes an address.
 *
 * <p>Why not a fixed array indexed by a hash, with no keys: addresses that collide would share one
 * bucket, and a flood from many addresses would then throttle the honest ones it collides with.
 * Here a flood can only make the limit forget, never deny someone who sent little.
 */
public final class AddressRateLimiter {
    static final int STRIPES = 16;

    /** One address's bucket. Guarded by its stripe's lock. */
    private static final class Bucket {
        /** Tokens left, 0 to burst; a post takes one. */
        double tokens;
        /** When {@link #tokens} was last brought up to date, System.nanoTime() scale. */
        long updatedNanos;
    }

    /** An IPv4 address ({@code hi} = -1, {@code lo} its 32 bits) or the /64 of an IPv6 address ({@code lo} = -1): never equal. */
    private record Source(long hi, long lo) {
    }

    private final double perNano;
    private final int burst;
    private final int perStripe;
    private final Map<Source, Bucket>[] stripes;

    /**
     * @param perMinute posts a minute on average, per address
     * @param burst     posts at once after a quiet spell
     * @param tracked   addresses tracked at once, at most (rounded up to a multiple of {@value #STRIPES})
     */
    @SuppressWarnings("unchecked")
    public AddressRateLimiter(int perMinute, int burst, int tracked) {
        if (perMinute < 1 || burst < 1 || tracked < 1) {
            throw new IllegalArgumentException("perMinute, burst and tracked must be positive");
        }
        this.perNano = perMinute / 60e9;
        this.burst = burst;
        this.perStripe = Math.max(1, (tracked + STRIPES - 1) / STRIPES);
        this.stripes = new Map[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            int cap = perStripe;
            stripes[i] = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Source, Bucket> eldest) {
                    return size() > cap;
                }
            };
        }
    }

    /**
     * Takes a token for a post from this address.
     *
     * @param address 4 or 16 bytes
     * @return 0 when the post may go ahead, else the whole seconds until it may (at least 1)
     */
    public long acquire(byte[] address, long nowNanos) {
        Source source = source(address);
        int stripe = (source.hashCode() * 0x9E3779B9 >>> 28) & (STRIPES - 1);
        Map<Source, Bucket> buckets = stripes[stripe];
        synchronized (buckets) {
            Bucket b = buckets.get(source);
            if (b == null) {
                b = new Bucket();
                b.tokens = burst;
                b.updatedNanos = nowNanos;
                buckets.put(source, b);
            } else {
                long elapsed = Math.max(0, nowNanos - b.updatedNanos);
                b.tokens = Math.min(burst, b.tokens + elapsed * perNano);
                b.updatedNanos = nowNanos;
            }
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / perNano / 1e9));
        }
    }

    /** Addresses tracked now. */
    public int tracked() {
        int n = 0;
        for (Map<Source, Bucket> s : stripes) {
            synchronized (s) {
                n += s.size();
            }
        }
        return n;
    }

    /** The most addresses tracked at once. */
    public int capacity() {
        return perStripe * STRIPES;
    }

    private static Source source(byte[] a) {
        if (a.length == 4) {
            return new Source(-1, ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFFL) << 16) | ((a[2] & 0xFFL) << 8) | (a[3] & 0xFFL));
        }
        long hi = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (a[i] & 0xFF);
        }
        return new Source(hi, -1);
    }
}
