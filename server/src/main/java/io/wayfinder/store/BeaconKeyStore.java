package io.wayfinder.store;

import java.util.List;

/**
 * Where the real-user beacon's application keys live: beside the profiles, in the same store and
 * under the same durability contract (a write is on disk when the call returns), but outside the
 * profiles' revision: a key is not configuration that the DNS answers depend on.
 */
public interface BeaconKeyStore {

    /**
     * One key as stored.
     *
     * @param origins       the origins its pages may post from, as given (normalised by the caller)
     * @param revokedMillis when it was revoked, or 0
     * @param revokedBy     who revoked it, or null
     */
    record StoredBeaconKey(String key, String name, List<String> origins, long createdMillis, String createdBy,
                           long revokedMillis, String revokedBy) {
        public StoredBeaconKey {
            origins = List.copyOf(origins);
        }
    }

    /** Every key, revoked ones included, oldest first. */
    List<StoredBeaconKey> beaconKeys();

    /** Adds a key; keys are unique (a duplicate is a {@link StoreException}: the caller makes them at random). */
    void addBeaconKey(StoredBeaconKey key);

    /**
     * Revokes a key: it stays, with when and by whom, so that posts with it are told it was revoked.
     *
     * @return false when there is no such key; true when it is revoked now or was before (the first
     *         revocation's time and actor are kept)
     */
    boolean revokeBeaconKey(String key, long nowMillis, String actor);
}
