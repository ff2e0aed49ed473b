package dev.linux4j.memory;

/**
 * Owner counts of shared frames: an open-addressing hash table from frame address to count,
 * without boxing. A fork shares every private frame of the parent and an exit or execve
 * releases them, so this table sees thousands of updates per spawn; a {@code HashMap<Long,
 * Integer>} spent most of that time in collisions, since frame addresses differ only above
 * bit 12. Not thread-safe: {@link PagePool} guards it.
 */
final class OwnerCounts {
    /** Frame addresses are never 0, which therefore marks an empty slot. */
    private long[] keys = new long[1024];
    private int[] counts = new int[1024];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    /** The count of {@code frame}, 0 if absent. */
    int get(long frame) {
        long[] k = keys;
        int mask = k.length - 1;
        for (int i = slot(frame, mask); ; i = (i + 1) & mask) {
            long key = k[i];
            if (key == frame) {
                return counts[i];
            }
            if (key == 0) {
                return 0;
            }
        }
    }

    /** Sets the count of {@code frame}; 0 removes it. */
    void put(long frame, int count) {
        int mask = keys.length - 1;
        int i = slot(frame, mask);
        while (keys[i] != 0 && keys[i] != frame) {
            i = (i + 1) & mask;
        }
        if (keys[i] == frame) {
            if (count == 0) {
                remove(i);
            } else {
                counts[i] = count;
            }
            return;
        }
        if (count == 0) {
            return;
        }
        keys[i] = frame;
        counts[i] = count;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    /** Deletes slot {@code i}, moving later entries of its probe run back (no tombstones). */
    private void remove(int i) {
        long[] k = keys;
        int mask = k.length - 1;
        size--;
        int hole = i;
        for (int j = (i + 1) & mask; k[j] != 0; j = (j + 1) & mask) {
            int home = slot(k[j], mask);
            // Move k[j] into the hole if its home is not in (hole, j] cyclically.
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                k[hole] = k[j];
                counts[hole] = counts[j];
                hole = j;
            }
        }
        k[hole] = 0;
        counts[hole] = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = slot(oldKeys[j], mask);
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                counts[i] = oldCounts[j];
            }
        }
    }

    private static int slot(long frame, int mask) {
        return (int) (((frame >>> 12) * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
