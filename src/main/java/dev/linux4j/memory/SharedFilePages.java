package dev.linux4j.memory;

import static dev.linux4j.abi.Mman.PAGE_SHIFT;
import static dev.linux4j.abi.Mman.PAGE_SIZE;
import static dev.linux4j.memory.PagePool.RAW;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page cache of files mapped MAP_SHARED (Linux's {@code address_space} of an inode, for the
 * pages some shared mapping holds): every MAP_SHARED mapping of the same file, in any address
 * space, maps the same frame for the same file page, so a store through one is seen by all.
 * Dirty data reaches the file on msync(2), munmap(2), exit, and before read(2) of the file
 * ({@link #writeBack(Object)}); write(2) to the file refreshes the cached pages
 * ({@link #refresh(Object, long, long)}).
 *
 * <p>Only pages that some shared mapping has touched are cached; private mappings copy file data
 * into their own frames at first touch and never appear here.
 *
 * <p>Locking: each {@link Cache} guards its own page map; an {@link AddressSpace} lock may be held
 * when a cache lock is taken, never the other way round.
 */
public final class SharedFilePages {
    private static final Map<Object, Cache> CACHES = new ConcurrentHashMap<>();

    /** Caches whose pages a writable mapping may have dirtied: read(2) must write them back first. */
    private static final java.util.concurrent.atomic.AtomicInteger WRITABLE = new java.util.concurrent.atomic.AtomicInteger();

    private SharedFilePages() {}

    /** Whether some cached page may hold stores the file does not have yet (read(2) coherence). */
    public static boolean anyWritable() {
        return WRITABLE.get() != 0;
    }

    /** Whether any file has shared pages: read(2) and write(2) need no coherence work when not. */
    public static boolean isEmpty() {
        return CACHES.isEmpty();
    }

    /** Whether some MAP_SHARED mapping holds pages of the file {@code identity} names. */
    static boolean holds(Object identity) {
        return CACHES.containsKey(identity);
    }

    /** One file's cached pages: frame and number of page-table entries mapping it. */
    static final class Cache {
        private final Object identity;
        // Guarded by this.
        private final Map<Long, long[]> pages = new HashMap<>();
        private MappedFile source;

        Cache(Object identity) {
            this.identity = identity;
        }
    }

    /**
     * The frame for page {@code pageIndex} of {@code file}, read from the file on first use,
     * with one more mapping reference.
     */
    static long acquire(MappedFile file, long pageIndex) {
        Cache cache = CACHES.computeIfAbsent(file.identity(), Cache::new);
        synchronized (cache) {
            if (cache.source == null || (!cache.source.writable() && file.writable())) {
                if (cache.source != null) {
                    cache.source.unpin();
                }
                file.pin();
                cache.source = file;
                if (file.writable()) {
                    WRITABLE.incrementAndGet();
                }
            }
            long[] page = cache.pages.get(pageIndex);
            if (page == null) {
                long frame = PagePool.shared().allocate();
                fill(file, frame, pageIndex << PAGE_SHIFT);
                page = new long[] {frame, 0};
                cache.pages.put(pageIndex, page);
                if (CACHES.get(file.identity()) != cache) {
                    CACHES.put(file.identity(), cache); // raced with the last release
                }
            }
            page[1]++;
            return page[0];
        }
    }

    /** Drops one mapping reference; the last writes the page back and frees the frame. */
    static void release(Object identity, long pageIndex, boolean writeBack) {
        Cache cache = CACHES.get(identity);
        if (cache == null) {
            return;
        }
        synchronized (cache) {
            long[] page = cache.pages.get(pageIndex);
            if (page == null) {
                return;
            }
            if (writeBack) {
                writePage(cache.source, page[0], pageIndex);
            }
            if (--page[1] == 0) {
                if (!writeBack) {
                    writePage(cache.source, page[0], pageIndex);
                }
                cache.pages.remove(pageIndex);
                PagePool.shared().release(page[0]);
                if (cache.pages.isEmpty()) {
                    CACHES.remove(identity, cache);
                    if (cache.source.writable()) {
                        WRITABLE.decrementAndGet();
                    }
                    cache.source.unpin();
                    cache.source = null;
                }
            }
        }
    }

    /** Reads the file page at {@code offset} into a zeroed frame (the tail past EOF stays zero). */
    static void fill(MappedFile file, long frame, long offset) {
        fill(file, frame, offset, file.size());
    }

    /** {@link #fill} with the file's size already known (one fstat less per page fault). */
    static void fill(MappedFile file, long frame, long offset, long size) {
        if (offset >= size) {
            return;
        }
        byte[] buf = new byte[(int) Math.min(PAGE_SIZE, size - offset)];
        int n = 0;
        while (n < buf.length) {
            int k = file.read(offset + n, buf, n, buf.length - n);
            if (k <= 0) {
                break;
            }
            n += k;
        }
        MemorySegment.copy(buf, 0, RAW, ValueLayout.JAVA_BYTE, frame, n);
    }

    /**
     * Fills a private copy of the file page at {@code offset}: from the shared cached page when a
     * MAP_SHARED mapping holds it (its stores are the file's current contents), else from the file,
     * whose size the caller has just read.
     */
    static void fillPrivate(MappedFile file, long frame, long offset, long size) {
        Cache cache = CACHES.get(file.identity());
        if (cache != null) {
            synchronized (cache) {
                long[] page = cache.pages.get(offset >>> PAGE_SHIFT);
                if (page != null) {
                    MemorySegment.copy(RAW, page[0], RAW, frame, PAGE_SIZE);
                    return;
                }
            }
        }
        fill(file, frame, offset, size);
    }

    /** Writes the part of a cached page below EOF back to the file (never extends the file). */
    private static void writePage(MappedFile file, long frame, long pageIndex) {
        if (file == null || !file.writable()) {
            return;
        }
        long offset = pageIndex << PAGE_SHIFT;
        long size = file.size();
        if (offset >= size) {
            return;
        }
        byte[] buf = new byte[(int) Math.min(PAGE_SIZE, size - offset)];
        MemorySegment.copy(RAW, ValueLayout.JAVA_BYTE, frame, buf, 0, buf.length);
        file.write(offset, buf, 0, buf.length);
    }

    /** Writes every cached page of the file back: msync(2), and before read(2) sees the file. */
    public static void writeBack(Object identity) {
        Cache cache = CACHES.get(identity);
        if (cache == null) {
            return;
        }
        synchronized (cache) {
            for (Map.Entry<Long, long[]> e : cache.pages.entrySet()) {
                writePage(cache.source, e.getValue()[0], e.getKey());
            }
        }
    }

    /** Writes back cached pages of the file in [offset, offset+length). */
    static void writeBack(Object identity, long offset, long length) {
        Cache cache = CACHES.get(identity);
        if (cache == null) {
            return;
        }
        synchronized (cache) {
            long first = offset >>> PAGE_SHIFT;
            long last = (offset + length - 1) >>> PAGE_SHIFT;
            for (Map.Entry<Long, long[]> e : cache.pages.entrySet()) {
                if (e.getKey() >= first && e.getKey() <= last) {
                    writePage(cache.source, e.getValue()[0], e.getKey());
                }
            }
        }
    }

    /**
     * Re-reads cached pages overlapping [offset, offset+length) after write(2) or truncate
     * changed the file, so that mappings see what read(2) would.
     */
    public static void refresh(Object identity, long offset, long length) {
        Cache cache = CACHES.get(identity);
        if (cache == null) {
            return;
        }
        synchronized (cache) {
            long first = offset >>> PAGE_SHIFT;
            long last = length == Long.MAX_VALUE ? Long.MAX_VALUE : (offset + Math.max(length, 1) - 1) >>> PAGE_SHIFT;
            for (Map.Entry<Long, long[]> e : cache.pages.entrySet()) {
                if (e.getKey() >= first && e.getKey() <= last) {
                    long frame = e.getValue()[0];
                    RAW.asSlice(frame, PAGE_SIZE).fill((byte) 0);
                    fill(cache.source, frame, e.getKey() << PAGE_SHIFT);
                }
            }
        }
    }

    /** Whether page {@code pageIndex} of the file is cached (mincore of a shared page). */
    static boolean isCached(Object identity, long pageIndex) {
        Cache cache = CACHES.get(identity);
        if (cache == null) {
            return false;
        }
        synchronized (cache) {
            return cache.pages.containsKey(pageIndex);
        }
    }
}
