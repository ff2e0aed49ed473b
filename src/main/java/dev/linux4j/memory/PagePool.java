package dev.linux4j.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Off-heap 4 KiB page frames for guest memory (DESIGN.md decision 1). Frames are carved from
 * chunks (64 KiB growing to 2 MiB) and recycled through a free list; every frame handed out
 * reads as zeros.
 * Guest memory is addressed by the frame's native address through the one segment
 * {@link #RAW}, so every access site sees a single segment kind.
 *
 * <p>A frame has one owner (one page-table entry) unless {@link #share} gave it more: a
 * copy-on-write fork shares private frames between parent and child, and {@link #release}
 * frees a frame only when its last owner lets go (Linux's page {@code _mapcount}).
 */
public final class PagePool {
    /** The whole native address space as one segment: the only segment guest accesses use. */
    public static final MemorySegment RAW = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final int PAGE = 4096;
    /**
     * The first chunk's size; each next one is twice the last, up to {@link #MAX_CHUNK}: a
     * short-lived program uses a hundred or so pages, and each chunk is zeroed when it is
     * allocated (see {@link #allocateChunk}).
     */
    private static final long FIRST_CHUNK = 64L << 10;
    private static final long MAX_CHUNK = 2L << 20;

    private static final PagePool SHARED = new PagePool();

    // Guarded by this.
    private long[] free = new long[1024];
    private int freeCount;
    private long chunkNext;
    private long chunkEnd;
    private long nextChunk = FIRST_CHUNK;
    private long framesInUse;
    /** Owner counts of frames with more than one owner; absent (0) means exactly one. */
    private final OwnerCounts owners = new OwnerCounts();

    PagePool() {} // tests make their own; the program uses {@link #shared}

    /** The pool all address spaces share (copy-on-write fork hands frames between them). */
    public static PagePool shared() {
        return SHARED;
    }

    /** A zero-filled frame's native address. */
    public synchronized long allocate() {
        framesInUse++;
        if (freeCount > 0) {
            long frame = free[--freeCount];
            RAW.asSlice(frame, PAGE).fill((byte) 0);
            return frame;
        }
        if (chunkNext == chunkEnd) {
            chunkNext = allocateChunk(nextChunk);
            chunkEnd = chunkNext + nextChunk;
            nextChunk = Math.min(2 * nextChunk, MAX_CHUNK);
        }
        long frame = chunkNext;
        chunkNext += PAGE;
        return frame;
    }

    /**
     * The address of {@code size} bytes of zeroed native memory, page-aligned, never freed.
     * {@code Arena.allocate} zero-fills with a Java loop, which a program's start-up runs in
     * HotSpot's bytecode interpreter (python3's start-up spent 45 ms in it, 10-17 ms per 2 MiB);
     * {@code allocateFrom} leaves the memory to a copy from a heap array, which the JVM zeroes
     * and the copy moves natively (9 ms for the same chunks).
     */
    private static long allocateChunk(long size) {
        MemorySegment zeros = MemorySegment.ofArray(new long[Math.toIntExact((size + PAGE) / Long.BYTES)]);
        MemorySegment chunk = Arena.global().allocateFrom(ValueLayout.JAVA_LONG, zeros, ValueLayout.JAVA_LONG, 0,
                zeros.byteSize() / Long.BYTES);
        return (chunk.address() + PAGE - 1) & -PAGE;
    }

    /** Gives a frame one more owner (a copy-on-write fork maps it in the child too). */
    public synchronized void share(long frame) {
        int n = owners.get(frame);
        owners.put(frame, n == 0 ? 2 : n + 1);
    }

    /**
     * A frame the caller owns alone, with the contents of {@code frame}: {@code frame} itself
     * when nobody else owns it, else a fresh copy (and the caller's share of {@code frame} is
     * given up). The write fault of a copy-on-write page (do_wp_page / wp_page_copy).
     */
    public synchronized long unshare(long frame) {
        int n = owners.get(frame);
        if (n == 0) {
            return frame; // the last owner: reuse the page (wp_page_reuse)
        }
        // Copy before giving up the share: the other owner may reuse the frame as soon as it is
        // the last one, and must not write into it while this copy is being made.
        long copy = allocate();
        MemorySegment.copy(RAW, frame, RAW, copy, PAGE);
        owners.put(frame, n == 2 ? 0 : n - 1);
        return copy;
    }

    /** Drops one owner of a frame; the last one returns it to the pool. */
    public synchronized void release(long frame) {
        if (!owners.isEmpty()) {
            int n = owners.get(frame);
            if (n != 0) {
                owners.put(frame, n == 2 ? 0 : n - 1);
                return;
            }
        }
        framesInUse--;
        if (freeCount == free.length) {
            free = java.util.Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = frame;
    }

    /** Frames handed out and not yet released. */
    public synchronized long framesInUse() {
        return framesInUse;
    }
}
