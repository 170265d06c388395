package io.wayfinder.answer;

import java.util.Arrays;

/**
 * An immutable hash table from lower-case wire-format names to values, looked up straight from a
 * slice of the query's name buffer: no String, no key object, no allocation. Open addressing with
 * linear probing at a load factor of at most one half.
 */
final class NameTable<V> {
    private final byte[][] keys;
    private final Object[] values;
    private final int mask;
    private final int size;

    private NameTable(byte[][] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.mask = keys.length - 1;
        this.size = size;
    }

    V get(byte[] name, int offset, int length) {
        int slot = slot(name, offset, length);
        return slot < 0 ? null : at(slot);
    }

    /**
     * Where the name is in this table, for {@link #at} to read its value again without hashing and
     * probing a second time; -1 when the name is not here. A slot means nothing in another table.
     */
    int slot(byte[] name, int offset, int length) {
        int slot = hash(name, offset, length) & mask;
        while (true) {
            byte[] key = keys[slot];
            if (key == null) {
                return -1;
            }
            if (key.length == length && Arrays.equals(key, 0, length, name, offset, offset + length)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The value of the name found at {@code slot} (a result of {@link #slot} on this table, not -1). */
    @SuppressWarnings("unchecked")
    V at(int slot) {
        return (V) values[slot];
    }

    V get(byte[] name) {
        return get(name, 0, name.length);
    }

    int size() {
        return size;
    }

    static int hash(byte[] b, int offset, int length) {
        int h = 0x811C9DC5;
        for (int i = offset; i < offset + length; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    static final class Builder<V> {
        private final java.util.LinkedHashMap<String, byte[]> keys = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, V> values = new java.util.HashMap<>();

        /** Adds or replaces. */
        Builder<V> put(byte[] wireName, V value) {
            String k = Arrays.toString(wireName);
            keys.put(k, wireName);
            values.put(k, value);
            return this;
        }

        V get(byte[] wireName) {
            return values.get(Arrays.toString(wireName));
        }

        NameTable<V> build() {
            int capacity = Integer.highestOneBit(Math.max(4, keys.size() * 2 - 1)) << 1;
            byte[][] table = new byte[capacity][];
            Object[] vals = new Object[capacity];
            for (java.util.Map.Entry<String, byte[]> e : keys.entrySet()) {
                byte[] key = e.getValue();
                int slot = hash(key, 0, key.length) & (capacity - 1);
                while (table[slot] != null) {
                    slot = (slot + 1) & (capacity - 1);
                }
                table[slot] = key;
                vals[slot] = values.get(e.getKey());
            }
            return new NameTable<>(table, vals, keys.size());
        }
    }
}
