package dev.linux4j.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Off-heap 4 KiB page frames for guest memory (DESIGN.md decision 1). Frames are carved from
 * 2 MiB chunks and recycled through a free list; every frame handed out reads as zeros.
 * Guest memory is addressed by the frame's native address through the one segment
 * {@link #RAW}, so every access site sees a single segment kind.
 */
public final class PagePool {
    /** The whole native address space as one segment: the only segment guest accesses use. */
    public static final MemorySegment RAW = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final int PAGE = 4096;
    private static final long CHUNK = 2L << 20;

    private static final PagePool SHARED = new PagePool();

    // Guarded by this.
    private long[] free = new long[1024];
    private int freeCount;
    private long chunkNext;
    private long chunkEnd;
    private long framesInUse;

    private PagePool() {}

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
            MemorySegment chunk = Arena.global().allocate(CHUNK, PAGE);
            chunkNext = chunk.address();
            chunkEnd = chunkNext + CHUNK;
        }
        long frame = chunkNext;
        chunkNext += PAGE;
        return frame;
    }

    /** Returns a frame to the pool. */
    public synchronized void release(long frame) {
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
