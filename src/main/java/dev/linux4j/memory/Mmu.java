package dev.linux4j.memory;

import static dev.linux4j.abi.Mman.PAGE_SHIFT;
import static dev.linux4j.abi.Mman.PROT_READ;
import static dev.linux4j.abi.Mman.PROT_WRITE;
import static dev.linux4j.memory.PagePool.RAW;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One guest thread's view of an address space: loads, stores and atomics through a small
 * direct-mapped TLB in front of the page table. Not thread-safe; each CPU owns one.
 *
 * <p>Memory ordering (DESIGN.md decision 2): x86-TSO forbids load-load, load-store and
 * store-store reordering. Plain Java accesses give no such promise (C2 may reorder them even on
 * an x86 host), so every load is followed by an acquire fence and every store preceded by a
 * release fence: together exactly the orders TSO keeps, store-load excepted. On an x86 host
 * both fences are compiler barriers only (no instruction; measured: xorshift, sieve, strsort
 * and n-body within run-to-run noise), on AArch64 they are the needed barriers.
 * {@code -Dlinux4j.tsoFences=false} removes them, for measurement only. Locked
 * read-modify-writes are atomic VarHandle operations; a misaligned one takes a global lock.
 */
@SuppressWarnings("removal") // sun.misc.Unsafe's memory access, used only when allowed (see UNSAFE)
public final class Mmu {
    private static final boolean TSO_FENCES =
            Boolean.parseBoolean(System.getProperty("linux4j.tsoFences", "true"));
    private static final int TLB_BITS = 12;
    private static final int TLB_SIZE = 1 << TLB_BITS;
    private static final int TLB_MASK = TLB_SIZE - 1;
    /**
     * A TLB entry's four longs, by byte offset in the entry: the virtual page number a read may
     * use (-1: none) and its addend (the page's host address minus its guest address, so that
     * host = addend + guest address), then the same for a write (a page that is read-only,
     * copy-on-write or holds decoded code has no write translation).
     */
    public static final int READ_TAG = 0;
    public static final int READ_ADDEND = 8;
    public static final int WRITE_TAG = 16;
    public static final int WRITE_ADDEND = 24;
    private static final int ENTRY_SHIFT = 5; // 32 bytes per entry
    private static final int PAGE_MASK = 0xfff;

    /**
     * The plain loads and stores of guest memory (not the locked ones) go through
     * {@code sun.misc.Unsafe} on the host address when the JVM permits it without a warning
     * ({@code --sun-misc-unsafe-memory-access=allow}, which the launcher passes), else through
     * the memory segment as everything else does. Each is then one intrinsic, where the segment's
     * VarHandle path inlines some 700 bytes of bytecode into every compiled region that accesses
     * memory, crowding out C2's inlining budget: n-body 4.8 -> 4.3 s, python3 3.3 -> 2.95 s,
     * sha256sum 3.2 -> 3.0 s, the others unchanged (bench/run's workloads, same JVM options).
     */
    private static final sun.misc.Unsafe UNSAFE = unsafeIfAllowed();

    private static sun.misc.Unsafe unsafeIfAllowed() {
        if (!"allow".equals(System.getProperty("sun.misc.unsafe.memory.access"))) {
            return null; // the default would print a warning at the first access
        }
        try {
            java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // a JDK without it
        }
    }

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final VarHandle INT_ATOMIC = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG_ATOMIC = ValueLayout.JAVA_LONG.varHandle();
    /** Guards locked accesses that are misaligned or cross a page, and 16-byte ones. */
    private static final Object SPLIT_LOCK = new Object();

    private final AddressSpace space;
    /**
     * The TLB: {@link #TLB_SIZE} entries of four longs (see {@link #READ_TAG}), the entry of
     * page {@code vpn & (TLB_SIZE - 1)} at {@link #entryOffset}. One array rather than one per field: a
     * compiled region keeps the TLB in a JVM local for its whole run, and four arrays (and their
     * lengths, for the bounds checks) were four more long-lived values in loops where C2 already
     * runs out of host registers (its code for xorshift's and the sieve's loops keeps the guest's
     * registers in stack slots, with one array as with four). One array instead, medians of two
     * batches of 3 interleaved runs: xorshift 1.42/1.41 -> 1.07/1.26 s, sha256sum of 64 MiB
     * 3.52/3.86 -> 2.94/2.84 s, strsort 5.87/6.36 -> 5.43/5.31 s, n-body 5.73/6.23 ->
     * 5.34/5.05 s, the sieve unchanged (2.17/2.29 -> 2.19/2.29 s). A read's tag and host share
     * a cache line too. Tags of the last byte, addends and Unsafe reads (see {@link #tlb()}) cut
     * the inline hit path from ~20 host instructions to ~9.
     *
     * <p>4,096 entries (128 KB): the sieve's 10 MB array, walked by strides, is 2,442 pages, and
     * with 512 entries nearly every page change missed. The miss path's call was then frequent
     * enough that C2 kept the guest's registers of the inner loop in stack slots (a
     * store-to-load forwarding on the loop counter every iteration); with the array's pages all
     * in the TLB they stay in host registers. Sieve 1.74 -> 1.31 s (medians of 3 interleaved),
     * strsort 4.20 -> 4.28 s (of 5; its random accesses miss the host's L1 cache on the TLB
     * itself more often); xorshift, n-body, sha256sum, python3, gcc and start-up unchanged
     * within noise. 2,048 entries (fewer than the sieve's pages) did not help the sieve.
     */
    private final long[] tlb = new long[(TLB_SIZE << ENTRY_SHIFT) / Long.BYTES];
    private int generation;

    public Mmu(AddressSpace space) {
        this.space = space;
        space.attachMmu();
        flush();
    }

    public AddressSpace space() {
        return space;
    }

    /** Whether the cached translations are as the address space is now (no {@link #revalidate} due). */
    public boolean isCurrent() {
        return space.generation() == generation;
    }

    /** Drops cached translations if the address space changed since they were made. */
    public void revalidate() {
        if (!isCurrent()) {
            flush();
        }
    }

    public void flush() {
        generation = space.generation();
        Arrays.fill(tlb, -1L); // no vpn is -1 (a vpn has 52 bits)
    }

    // ---------------------------------------------------------------- translation

    private long readFrame(long addr) {
        long vpn = addr >>> PAGE_SHIFT;
        int e = entryOffset(addr);
        long page = addr & ~PAGE_MASK;
        if (tlbAt(tlb, e + READ_TAG) == vpn) {
            return tlbAt(tlb, e + READ_ADDEND) + page;
        }
        long frame = space.frameFor(addr, PROT_READ);
        tlbSet(e + READ_TAG, vpn);
        tlbSet(e + READ_ADDEND, frame - page);
        return frame;
    }

    /**
     * Stores (missing the write TLB, as every store to a page holding decoded code does) that
     * found their page marked as code, so far: compiled code that sees this unchanged knows its
     * own thread has not invalidated any translation. Counting every write-TLB miss instead (as
     * this did) changed it whenever a loop's stores walked through more pages than the TLB
     * holds, and HotSpot, which had compiled the path where it changed as never taken, threw
     * the compiled region away (the sieve benchmark's main loop, once the sieve's stride passed
     * a page).
     */
    public int codeStores;

    private long writeFrame(long addr) {
        long vpn = addr >>> PAGE_SHIFT;
        int e = entryOffset(addr);
        long page = addr & ~PAGE_MASK;
        if (tlbAt(tlb, e + WRITE_TAG) == vpn) {
            return tlbAt(tlb, e + WRITE_ADDEND) + page;
        }
        int codeStoresBefore = space.codeStores;
        long frame = space.frameForMmuWrite(addr);
        if (space.codeStores != codeStoresBefore) {
            codeStores++;
        }
        if (tlbAt(tlb, e + READ_TAG) == vpn) {
            tlbSet(e + READ_ADDEND, frame - page); // a copy-on-write fault may have moved the page
        }
        if (AddressSpace.writeCacheable(space.pteFor(addr))) {
            tlbSet(e + WRITE_TAG, vpn);
            tlbSet(e + WRITE_ADDEND, frame - page);
        }
        return frame;
    }

    private void tlbSet(int offset, long value) {
        tlb[offset >>> 3] = value;
    }

    /** Host address for a read of {@code size} bytes within one page. */
    private long hostForRead(long addr) {
        return readFrame(addr) + (addr & PAGE_MASK);
    }

    private long hostForWrite(long addr) {
        return writeFrame(addr) + (addr & PAGE_MASK);
    }

    // ---------------------------------------------------------------- for compiled code

    /**
     * The TLB's array, for compiled regions that inline the hit path of a translation and call
     * the full access only on a miss, as the reads and writes below do: the entry of
     * {@code addr}'s page is at {@link #entryOffset}; when its tag (read with {@link #tlbAt})
     * equals the page number of the access's <em>last</em> byte, the host address is the addend
     * after it plus {@code addr}. An access that crosses a page never matches (the entry of page
     * n never holds page n + 1), so one compare tests the page, the TLB and the crossing.
     * The array never changes identity.
     */
    public long[] tlb() {
        return tlb;
    }

    /** The byte offset in {@link #tlb()} of the entry for {@code addr}'s page. */
    public static int entryOffset(long addr) {
        return (int) (addr >>> (PAGE_SHIFT - ENTRY_SHIFT)) & (TLB_MASK << ENTRY_SHIFT);
    }

    /**
     * The long at byte offset {@code offset} of the TLB: through {@code sun.misc.Unsafe} when
     * allowed, without the two bounds checks per access an array index costs (the offset is in
     * range by construction), else by index.
     */
    public static long tlbAt(long[] tlb, int offset) {
        return UNSAFE != null ? UNSAFE.getLong(tlb, TLB_BASE + offset) : tlb[offset >>> 3];
    }

    private static final long TLB_BASE = UNSAFE != null ? UNSAFE.arrayBaseOffset(long[].class) : 0;

    /**
     * The load at a host address a TLB hit gave, zero-extended: what the reads below and
     * compiled regions' inline accesses make.
     */
    public static long load(long host, int size) {
        long v = switch (size) {
            case 1 -> (UNSAFE != null ? UNSAFE.getByte(host) : RAW.get(ValueLayout.JAVA_BYTE, host)) & 0xffL;
            case 2 -> (UNSAFE != null ? UNSAFE.getShort(host) : RAW.get(SHORT, host)) & 0xffffL;
            case 4 -> (UNSAFE != null ? UNSAFE.getInt(host) : RAW.get(INT, host)) & 0xffffffffL;
            default -> UNSAFE != null ? UNSAFE.getLong(host) : RAW.get(LONG, host);
        };
        if (TSO_FENCES) {
            VarHandle.acquireFence();
        }
        return v;
    }

    /** The store at a host address a write-TLB hit gave: what the writes below and compiled regions make. */
    public static void store(long host, long value, int size) {
        if (TSO_FENCES) {
            VarHandle.releaseFence();
        }
        switch (size) {
            case 1 -> {
                if (UNSAFE != null) {
                    UNSAFE.putByte(host, (byte) value);
                } else {
                    RAW.set(ValueLayout.JAVA_BYTE, host, (byte) value);
                }
            }
            case 2 -> {
                if (UNSAFE != null) {
                    UNSAFE.putShort(host, (short) value);
                } else {
                    RAW.set(SHORT, host, (short) value);
                }
            }
            case 4 -> {
                if (UNSAFE != null) {
                    UNSAFE.putInt(host, (int) value);
                } else {
                    RAW.set(INT, host, (int) value);
                }
            }
            default -> {
                if (UNSAFE != null) {
                    UNSAFE.putLong(host, value);
                } else {
                    RAW.set(LONG, host, value);
                }
            }
        }
    }

    // ---------------------------------------------------------------- loads

    public int read8(long addr) {
        int e = entryOffset(addr);
        long host = tlbAt(tlb, e + READ_TAG) == addr >>> PAGE_SHIFT ? tlbAt(tlb, e + READ_ADDEND) + addr
                : hostForRead(addr);
        return (int) load(host, 1);
    }

    public int read16(long addr) {
        int e = entryOffset(addr);
        if (tlbAt(tlb, e + READ_TAG) == (addr + 1) >>> PAGE_SHIFT) {
            return (int) load(tlbAt(tlb, e + READ_ADDEND) + addr, 2);
        }
        if ((addr & PAGE_MASK) > 4094) {
            return read8(addr) | (read8(addr + 1) << 8);
        }
        return (int) load(hostForRead(addr), 2);
    }

    public int read32(long addr) {
        int e = entryOffset(addr);
        if (tlbAt(tlb, e + READ_TAG) == (addr + 3) >>> PAGE_SHIFT) {
            return (int) load(tlbAt(tlb, e + READ_ADDEND) + addr, 4);
        }
        if ((addr & PAGE_MASK) > 4092) {
            return (int) readSplit(addr, 4);
        }
        return (int) load(hostForRead(addr), 4);
    }

    public long read64(long addr) {
        int e = entryOffset(addr);
        if (tlbAt(tlb, e + READ_TAG) == (addr + 7) >>> PAGE_SHIFT) {
            return load(tlbAt(tlb, e + READ_ADDEND) + addr, 8);
        }
        if ((addr & PAGE_MASK) > 4088) {
            return readSplit(addr, 8);
        }
        return load(hostForRead(addr), 8);
    }

    /** Reads {@code size} (1, 2, 4 or 8) bytes zero-extended. */
    public long read(long addr, int size) {
        return switch (size) {
            case 1 -> read8(addr);
            case 2 -> read16(addr);
            case 4 -> read32(addr) & 0xffffffffL;
            default -> read64(addr);
        };
    }

    private long readSplit(long addr, int size) {
        // Touch both pages first so a fault reports the first inaccessible byte's page.
        hostForRead(addr);
        hostForRead(addr + size - 1);
        long v = 0;
        for (int k = size - 1; k >= 0; k--) {
            v = (v << 8) | read8(addr + k);
        }
        return v;
    }

    // ---------------------------------------------------------------- stores

    public void write8(long addr, int value) {
        int e = entryOffset(addr);
        long host = tlbAt(tlb, e + WRITE_TAG) == addr >>> PAGE_SHIFT ? tlbAt(tlb, e + WRITE_ADDEND) + addr
                : hostForWrite(addr);
        store(host, value, 1);
    }

    public void write16(long addr, int value) {
        int e = entryOffset(addr);
        if (tlbAt(tlb, e + WRITE_TAG) == (addr + 1) >>> PAGE_SHIFT) {
            store(tlbAt(tlb, e + WRITE_ADDEND) + addr, value, 2);
        } else if ((addr & PAGE_MASK) > 4094) {
            writeSplit(addr, value, 2);
        } else {
            store(hostForWrite(addr), value, 2);
        }
    }

    public void write32(long addr, int value) {
        int e = entryOffset(addr);
        if (tlbAt(tlb, e + WRITE_TAG) == (addr + 3) >>> PAGE_SHIFT) {
            store(tlbAt(tlb, e + WRITE_ADDEND) + addr, value, 4);
        } else if ((addr & PAGE_MASK) > 4092) {
            writeSplit(addr, value, 4);
        } else {
            store(hostForWrite(addr), value, 4);
        }
    }

    public void write64(long addr, long value) {
        int e = entryOffset(addr);
        if (tlbAt(tlb, e + WRITE_TAG) == (addr + 7) >>> PAGE_SHIFT) {
            store(tlbAt(tlb, e + WRITE_ADDEND) + addr, value, 8);
        } else if ((addr & PAGE_MASK) > 4088) {
            writeSplit(addr, value, 8);
        } else {
            store(hostForWrite(addr), value, 8);
        }
    }

    /** Writes the low {@code size} (1, 2, 4 or 8) bytes of value. */
    public void write(long addr, long value, int size) {
        switch (size) {
            case 1 -> write8(addr, (int) value);
            case 2 -> write16(addr, (int) value);
            case 4 -> write32(addr, (int) value);
            default -> write64(addr, value);
        }
    }

    private void writeSplit(long addr, long value, int size) {
        // Both pages must be writable before any byte changes, as on x86.
        hostForWrite(addr);
        hostForWrite(addr + size - 1);
        for (int k = 0; k < size; k++) {
            write8(addr + k, (int) (value >>> (8 * k)));
        }
    }

    /** Checks that [addr, addr+size) is writable without writing it (for instructions that must not half-complete). */
    public void probeWrite(long addr, int size) {
        hostForWrite(addr);
        hostForWrite(addr + size - 1);
    }

    // ---------------------------------------------------------------- atomics (LOCK prefix, XCHG)

    /**
     * Atomic compare-and-exchange of {@code size} bytes: stores {@code update} if memory holds
     * {@code expected}. Returns the value memory held (zero-extended); the exchange happened iff
     * it equals {@code expected} under the size mask.
     */
    public long compareAndExchange(long addr, long expected, long update, int size) {
        long mask = size == 8 ? -1L : (1L << (size * 8)) - 1;
        expected &= mask;
        update &= mask;
        if (size == 8 && (addr & 7) == 0) {
            hostForRead(addr);
            long host = hostForWrite(addr);
            return (long) LONG_ATOMIC.compareAndExchange(RAW, host, expected, update);
        }
        if (size == 4 && (addr & 3) == 0) {
            hostForRead(addr);
            long host = hostForWrite(addr);
            return (int) INT_ATOMIC.compareAndExchange(RAW, host, (int) expected, (int) update) & 0xffffffffL;
        }
        if (size < 4 && (addr & 3) + size <= 4) {
            // Byte and word CAS through the aligned word that contains them.
            long wordAddr = addr & ~3L;
            int shift = (int) (addr & 3) * 8;
            hostForRead(wordAddr);
            long host = hostForWrite(wordAddr);
            while (true) {
                int word = (int) INT_ATOMIC.getVolatile(RAW, host);
                long current = (word >>> shift) & mask;
                if (current != expected) {
                    return current;
                }
                int replaced = (int) ((word & ~(mask << shift)) | (update << shift));
                if ((int) INT_ATOMIC.compareAndExchange(RAW, host, word, replaced) == word) {
                    return current;
                }
            }
        }
        synchronized (SPLIT_LOCK) {
            probeWrite(addr, size);
            long current = read(addr, size);
            if (current == expected) {
                write(addr, update, size);
            }
            return current;
        }
    }

    /** CMPXCHG16B: 16-byte compare-and-exchange under the global lock; returns the old {lo, hi}. */
    public long[] compareAndExchange128(long addr, long expectedLo, long expectedHi, long updateLo, long updateHi) {
        synchronized (SPLIT_LOCK) {
            probeWrite(addr, 16);
            long lo = read64(addr);
            long hi = read64(addr + 8);
            if (lo == expectedLo && hi == expectedHi) {
                write64(addr, updateLo);
                write64(addr + 8, updateHi);
            }
            return new long[] {lo, hi};
        }
    }

    /** A full fence: MFENCE, and the ordering every LOCKed instruction implies. */
    public static void fullFence() {
        VarHandle.fullFence();
    }

    // ---------------------------------------------------------------- bulk (REP MOVS / REP STOS fast paths)

    /**
     * Copies {@code n} bytes from {@code src} to {@code dst} with memmove semantics. Neither range
     * may cross a page; the caller rules out overlaps where memmove and the guest's element-wise
     * order would differ. Both pages are translated (and may fault) before any byte moves.
     */
    public void copyWithinPage(long dst, long src, int n) {
        long s = hostForRead(src);
        long d = hostForWrite(dst);
        if (TSO_FENCES) {
            VarHandle.fullFence();
        }
        java.lang.foreign.MemorySegment.copy(RAW, s, RAW, d, n);
    }

    /**
     * Stores {@code n} bytes at {@code dst} repeating the 8-byte little-endian {@code pattern}
     * from its first byte. The range may not cross a page; it is translated before any store.
     */
    public void fillWithinPage(long dst, long pattern, int n) {
        long d = hostForWrite(dst);
        if (TSO_FENCES) {
            VarHandle.releaseFence();
        }
        int k = 0;
        for (; k + 8 <= n; k += 8) {
            RAW.set(LONG, d + k, pattern);
        }
        for (; k < n; k++) {
            RAW.set(ValueLayout.JAVA_BYTE, d + k, (byte) (pattern >>> (8 * (k & 7))));
        }
    }
}
