package io.wayfinder.control;

import io.wayfinder.beacon.BeaconKey;
import io.wayfinder.store.BeaconKeyStore;
import io.wayfinder.store.BeaconKeyStore.StoredBeaconKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The beacon's application keys: kept in the store, looked up from memory. Every post to
 * {@code /rum} looks its key up, so lookups never touch the store; the copy in memory is read
 * again after each write made here, and (for keys written by another node sharing the store) on a
 * lookup that misses, at most once every {@value #MISS_RELOAD_MILLIS} ms, so that a flood of
 * unknown keys cannot turn into a flood of queries. Any thread.
 */
public final class BeaconKeys {
    /** How soon a key created on another node is known here, at worst. */
    static final long MISS_RELOAD_MILLIS = 10_000;

    private final BeaconKeyStore store;
    private final Clock clock;
    /** Every key by its value, revoked ones included; replaced whole. */
    private volatile Map<String, BeaconKey> keys;
    private volatile long loadedMillis;

    public BeaconKeys(BeaconKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        reload();
    }

    /** The key with this value (revoked or not), or null when there is none. */
    public BeaconKey find(String key) {
        BeaconKey k = keys.get(key);
        if (k == null && BeaconKey.looksLikeKey(key) && clock.millis() - loadedMillis >= MISS_RELOAD_MILLIS) {
            synchronized (this) {
                if (clock.millis() - loadedMillis >= MISS_RELOAD_MILLIS) {
                    reload();
                }
            }
            k = keys.get(key);
        }
        return k;
    }

    /** Every key, revoked ones included, oldest first. */
    public List<BeaconKey> list() {
        List<BeaconKey> out = new ArrayList<>();
        for (StoredBeaconKey s : store.beaconKeys()) {
            out.add(of(s));
        }
        return out;
    }

    /**
     * Creates a key, durably.
     *
     * @throws IllegalArgumentException naming the field ({@code name: ...}, {@code origins[1]: ...})
     */
    public synchronized BeaconKey create(String name, List<String> origins, String actor) {
        BeaconKey k = BeaconKey.create(name, origins, clock.millis(), actor);
        store.addBeaconKey(new StoredBeaconKey(k.key(), k.name(), k.origins(), k.createdMillis(), k.createdBy(), 0, null));
        reload();
        return k;
    }

    /**
     * Revokes a key, durably; posts with it are refused from now on.
     *
     * @return the key as revoked (when it was revoked before, as it was then), or null when there is none
     */
    public synchronized BeaconKey revoke(String key, String actor) {
        if (!BeaconKey.looksLikeKey(key) || !store.revokeBeaconKey(key, clock.millis(), actor)) {
            return null;
        }
        reload();
        return keys.get(key);
    }

    private synchronized void reload() {
        Map<String, BeaconKey> next = new HashMap<>();
        for (StoredBeaconKey s : store.beaconKeys()) {
            next.put(s.key(), of(s));
        }
        keys = next;
        loadedMillis = clock.millis();
    }

    private static BeaconKey of(StoredBeaconKey s) {
        return new BeaconKey(s.key(), s.name(), s.origins(), s.createdMillis(), s.createdBy(), s.revokedMillis(),
                s.revokedBy());
    }
}
