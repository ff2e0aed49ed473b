package dev.linux4j.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * A thread's native scratch memory for host calls: the errno state, C strings and small structs
 * a call passes, handed out from one area allocated once per thread and given back when the call
 * ends. A confined {@link Arena} per call cost a malloc and a free per allocation (three for an
 * fstat: 4% of a spawn, which pages in its program with one fstat per page). Allocations that do
 * not fit fall back to a confined arena, freed with the outermost scope. Scopes nest; a segment
 * must not be used after its scope closes.
 */
final class Scratch implements SegmentAllocator, AutoCloseable {
    private static final long SIZE = 16 * 1024;
    private static final int MAX_DEPTH = 16;
    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    /** The most one pread or pwrite moves through {@link #ioBuffer}. */
    static final int IO_SIZE = 64 * 1024;

    private final MemorySegment area = Arena.ofAuto().allocate(SIZE, 16);
    private MemorySegment io;
    private final long[] marks = new long[MAX_DEPTH];
    private int depth;
    private long top;
    private Arena overflow;

    private Scratch() {}

    /** Opens a scope on this thread's scratch memory (close it with try-with-resources). */
    static Scratch open() {
        Scratch s = CURRENT.get();
        if (s.depth == MAX_DEPTH) {
            throw new IllegalStateException("host call scratch nested too deep");
        }
        s.marks[s.depth++] = s.top;
        return s;
    }

    /**
     * Room for up to {@code len} bytes of file data (at most {@link #IO_SIZE}) within this scope,
     * not zeroed: a call fills it and copies it out, or copies in and writes it. From the scratch
     * area when it fits (a page fault reads 4 KiB), else from a larger buffer the thread allocates
     * on its first large transfer: every guest process has a thread of its own, and the JDK
     * zero-fills a new 64 KiB segment with a loop that runs interpreted early on (~0.5 ms).
     */
    MemorySegment ioBuffer(int len) {
        MemorySegment m = fromArea(len, 16);
        if (m != null) {
            return m;
        }
        if (io == null) {
            io = Arena.ofAuto().allocate(IO_SIZE, 16);
        }
        return io.asSlice(0, Math.min(len, IO_SIZE));
    }

    /** Zeroed memory, as an arena gives. */
    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        MemorySegment m = fromArea(byteSize, byteAlignment);
        if (m != null) {
            return m.fill((byte) 0);
        }
        if (overflow == null) {
            overflow = Arena.ofConfined();
        }
        return overflow.allocate(byteSize, byteAlignment);
    }

    /** The next {@code byteSize} bytes of the area at that alignment, as they are; null if they do not fit. */
    private MemorySegment fromArea(long byteSize, long byteAlignment) {
        long start = (top + byteAlignment - 1) & -byteAlignment;
        if (byteSize > SIZE || start > SIZE - byteSize) {
            return null;
        }
        top = start + byteSize;
        return area.asSlice(start, byteSize);
    }

    @Override
    public void close() {
        top = marks[--depth];
        if (depth == 0 && overflow != null) {
            overflow.close();
            overflow = null;
        }
    }
}
