package dev.linux4j.cpu;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A hash table from {@code long} to objects, open addressing without boxing: the code cache's
 * tables of blocks by address and code pages by number. A new process looks up about a thousand
 * blocks as it starts (busybox true: 830), each a miss of its jump cache; with
 * {@code HashMap<Long, ...>} the boxing, hashing and node chasing of those lookups were a tenth
 * of a spawn. Not thread-safe: the owner locks.
 *
 * <p>An empty slot is one whose value is null, so every key (0 too) can be stored; deletion moves
 * later entries of the probe run back (no tombstones).
 */
final class LongTable<V> {
    private long[] keys;
    private Object[] values;
    private int size;

    /** A table sized for {@code expected} entries before it grows. */
    LongTable(int expected) {
        int n = Integer.highestOneBit(Math.max(expected, 4) * 2 - 1) << 1;
        keys = new long[n];
        values = new Object[n];
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        long[] k = keys;
        Object[] v = values;
        int mask = k.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            Object o = v[i];
            if (o == null) {
                return null;
            }
            if (k[i] == key) {
                return (V) o;
            }
        }
    }

    /** Maps {@code key} to {@code value} (not null), replacing any value it had. */
    void put(long key, V value) {
        long[] k = keys;
        Object[] v = values;
        int mask = k.length - 1;
        int i = slot(key, mask);
        while (v[i] != null) {
            if (k[i] == key) {
                v[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        k[i] = key;
        v[i] = value;
        if (++size * 2 > k.length) {
            grow();
        }
    }

    /** Removes the entry of {@code key} if it maps to {@code value} (the same object). */
    void remove(long key, V value) {
        long[] k = keys;
        Object[] v = values;
        int mask = k.length - 1;
        for (int i = slot(key, mask); v[i] != null; i = (i + 1) & mask) {
            if (k[i] == key) {
                if (v[i] == value) {
                    delete(i);
                }
                return;
            }
        }
    }

    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    @SuppressWarnings("unchecked")
    void forEachValue(Consumer<? super V> action) {
        for (Object o : values) {
            if (o != null) {
                action.accept((V) o);
            }
        }
    }

    private void delete(int i) {
        long[] k = keys;
        Object[] v = values;
        int mask = k.length - 1;
        size--;
        int hole = i;
        for (int j = (i + 1) & mask; v[j] != null; j = (j + 1) & mask) {
            int home = slot(k[j], mask);
            // k[j] moves into the hole unless its home lies cyclically in (hole, j].
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                k[hole] = k[j];
                v[hole] = v[j];
                hole = j;
            }
        }
        v[hole] = null;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] != null) {
                int i = slot(oldKeys[j], mask);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    /** Fibonacci hashing: block addresses and page numbers differ in their low bits, mostly. */
    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
